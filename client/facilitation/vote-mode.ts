import { react, type Editor } from 'tldraw'
import type { VoteController } from './vote-controller.ts'
import { VOTE_TOOL } from './VoteTool.ts'

/**
 * Enters vote mode when a vote opens, if `enter` (participants: the facilitator is busy running
 * the session) and the person is not typing in a card; leaves it when the vote ends. In between,
 * the vote bar's toggle and Escape switch it by hand.
 */
export function startVoteMode(editor: Editor, votes: VoteController, enter: boolean): () => void {
  let wasOpen: boolean | null = null
  let live = true
  const stop = react('vote mode', () => {
    const open = votes.view.get().canVote
    if (wasOpen === open) return
    wasOpen = open
    // Switching tools writes the editor's state: never inside the reaction that is still
    // capturing what it read (that corrupts tldraw's dependency tracking), so do it just after.
    queueMicrotask(() => {
      if (!live) return
      // On first load a vote may already be open: enter too, the person came to vote.
      if (open && enter && !editor.getEditingShapeId()) editor.setCurrentTool(VOTE_TOOL)
      else if (!open && editor.getCurrentToolId() === VOTE_TOOL) editor.setCurrentTool('select')
    })
  })
  return () => {
    live = false
    stop()
  }
}

export function setVoteMode(editor: Editor, on: boolean): void {
  editor.setCurrentTool(on ? VOTE_TOOL : 'select')
}
