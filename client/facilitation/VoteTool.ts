import { StateNode, type TLKeyboardEventInfo } from 'tldraw'
import { CARD_TYPE } from '../../core/shapes.ts'
import { cardMarksAtom } from './card-marks.ts'

export const VOTE_TOOL = 'snurra-vote'

/**
 * Vote mode: a click on an activity card casts one of this person's votes on it (the "−" on
 * the card's badge takes one back). Nothing on the board moves or gets selected meanwhile.
 * Escape goes back to selecting.
 */
export class VoteTool extends StateNode {
  static override id = VOTE_TOOL

  override onEnter() {
    this.editor.setCursor({ type: 'pointer', rotation: 0 })
    this.editor.selectNone()
  }

  // Clicks while voting are votes: leave no selection behind for the select tool to pick up.
  override onExit() {
    this.editor.selectNone()
  }

  override onPointerDown() {
    const point = this.editor.inputs.getCurrentPagePoint()
    const card = this.editor.getShapeAtPoint(point, { hitInside: true, margin: 2, filter: (s) => s.type === CARD_TYPE })
    if (card) void cardMarksAtom(this.editor.store).get()?.votes.cast(card.id)
  }

  override onKeyDown(info: TLKeyboardEventInfo) {
    if (info.key === 'Escape') this.editor.setCurrentTool('select')
  }

  override onCancel() {
    this.editor.setCurrentTool('select')
  }
}
