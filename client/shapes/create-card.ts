import { createShapeId, type Editor, type TLShapeId, type VecLike } from 'tldraw'
import { CARD_SIZE, CARD_TYPE } from '../../core/shapes.ts'

/** Adds an empty activity card centred on `point` and opens it for editing. */
export function createCardAt(editor: Editor, point: VecLike): TLShapeId | null {
  if (editor.getIsReadonly()) return null
  const id = createShapeId()
  const { x, y } = freeSpot(editor, point.x - CARD_SIZE.w / 2, point.y - CARD_SIZE.h / 2)
  editor.markHistoryStoppingPoint('create card')
  editor.createShape({
    id,
    type: CARD_TYPE,
    x,
    y,
    props: { w: CARD_SIZE.w, h: CARD_SIZE.h, title: '', description: '' },
  })
  const shape = editor.getShape(id)
  if (!shape) return null
  editor.select(id)
  editor.setEditingShape(id)
  editor.setCurrentTool('select.editing_shape', { type: 'pointer', name: 'pointer_down', target: 'shape', shape })
  return id
}

/** Steps down and right past cards already at this spot, so repeated adds do not stack exactly. */
function freeSpot(editor: Editor, x: number, y: number): { x: number; y: number } {
  const cards = editor.getCurrentPageShapes().filter((s) => s.type === CARD_TYPE)
  for (let i = 0; i < 20 && cards.some((c) => Math.abs(c.x - x) < 4 && Math.abs(c.y - y) < 4); i++) {
    x += 24
    y += 24
  }
  return { x, y }
}
