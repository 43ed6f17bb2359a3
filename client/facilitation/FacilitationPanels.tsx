import { useValue, type Editor } from 'tldraw'
import type { BoardStore } from '../sync/board-store.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { cardMarksAtom } from './card-marks.ts'
import { FacilitatorPanel } from './FacilitatorPanel.tsx'
import { VotePanel } from './VotePanel.tsx'

/** Facilitation in the side panel: the vote (for everyone) and the facilitator's tools. */
export function FacilitationPanels({ connection, board, editor, boardId }: { connection: BoardConnection; board: BoardStore; editor: Editor | null; boardId: string }) {
  // The vote controller is made by FacilitationBar and shared through the store's card marks.
  const marks = useValue('card marks', () => cardMarksAtom(board.store).get(), [board])
  const privateIds = useValue('private ids', () => board.privateIds.get(), [board])
  return (
    <>
      {editor && marks && <VotePanel editor={editor} votes={marks.votes} privateIds={privateIds} />}
      <FacilitatorPanel connection={connection} board={board} editor={editor} boardId={boardId} />
    </>
  )
}
