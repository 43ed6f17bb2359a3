import { atom, StateNode, type TLKeyboardEventInfo, type TLShapeId, type VecLike } from 'tldraw'
import { CARD_TYPE } from '../../core/shapes.ts'
import { toggleCardPath } from './card-hits.ts'
import { notify } from './notices.ts'
import { cardCenter, isCard, placementAt, segmentShapes, templateNames } from './template-shapes.ts'

export const CONNECT_TOOL = 'snurra-connect'

/** The connection being drawn, for the overlay: from a card's centre to the pointer. */
export interface ConnectDrag {
  cardId: TLShapeId
  from: VecLike
  to: VecLike
  /** The action path under the pointer, if any. */
  pathId: string | null
}

export const connectDrag = atom<ConnectDrag | null>('connect drag', null)

/**
 * Drag from a card to an action path's segment to tie the card to that path, or untie it if
 * it already hits it. Writes only the card's `paths` prop, the same data the edit panel's
 * checkboxes write. Stays active for the next connection; Escape goes back to selecting.
 */
export class ConnectTool extends StateNode {
  static override id = CONNECT_TOOL

  override onEnter() {
    this.editor.setCursor({ type: 'cross', rotation: 0 })
    if (!segmentShapes(this.editor).some((s) => s.props.kind === 'path')) {
      notify(this.editor, (t) => t('canvas.connectNoPaths'))
      this.editor.setCurrentTool('select')
    }
  }

  override onExit() {
    connectDrag.set(null)
  }

  override onPointerDown() {
    const point = this.editor.inputs.getCurrentPagePoint()
    const card = this.editor.getShapeAtPoint(point, { hitInside: true, margin: 4, filter: (s) => s.type === CARD_TYPE })
    const from = card ? cardCenter(this.editor, card) : null
    if (!card || !from) return
    connectDrag.set({ cardId: card.id, from, to: point, pathId: null })
  }

  override onPointerMove() {
    const drag = connectDrag.get()
    if (!drag) return
    const to = this.editor.inputs.getCurrentPagePoint()
    connectDrag.set({ ...drag, to, pathId: placementAt(this.editor, to).pathId })
  }

  override onPointerUp() {
    const drag = connectDrag.get()
    connectDrag.set(null)
    if (!drag) return
    const card = this.editor.getShape(drag.cardId)
    const pathId = placementAt(this.editor, this.editor.inputs.getCurrentPagePoint()).pathId
    if (!isCard(card) || !pathId || this.editor.getIsReadonly()) return
    const names = templateNames(this.editor)
    const added = toggleCardPath(this.editor, card, pathId)
    const vars = { path: names.path(pathId), card: card.props.title }
    notify(
      this.editor,
      (t) => t(added ? 'canvas.pathConnected' : 'canvas.pathDisconnected', { ...vars, card: vars.card || t('card.untitled') }),
      () => {
        const now = this.editor.getShape(drag.cardId)
        if (isCard(now) && (now.props.paths[pathId] === true) === added) toggleCardPath(this.editor, now, pathId)
      },
    )
  }

  override onCancel() {
    if (connectDrag.get()) connectDrag.set(null)
    else this.editor.setCurrentTool('select')
  }

  override onKeyDown(info: TLKeyboardEventInfo) {
    if (info.key === 'Escape') this.onCancel()
  }

  override onInterrupt() {
    connectDrag.set(null)
  }
}
