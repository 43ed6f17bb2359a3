import { createShapeId, type Editor, type TLShapeId, type VecLike } from 'tldraw'
import { CARD_SIZE, CARD_TYPE } from '../../core/shapes.ts'

/** Adds an empty activity card centred on `point` and opens it for editing. */
export function createCardAt(editor: Editor, point: VecLike): TLShapeId | null {
  if (editor.getIsReadonly()) return null
  const id = createShapeId()
  editor.markHistoryStoppingPoint('create card')
  editor.createShape({
    id,
    type: CARD_TYPE,
    x: point.x - CARD_SIZE.w / 2,
    y: point.y - CARD_SIZE.h / 2,
    props: { w: CARD_SIZE.w, h: CARD_SIZE.h, title: '', description: '' },
  })
  const shape = editor.getShape(id)
  if (!shape) return null
  editor.select(id)
  editor.setEditingShape(id)
  editor.setCurrentTool('select.editing_shape', { type: 'pointer', name: 'pointer_down', target: 'shape', shape })
  return id
}
