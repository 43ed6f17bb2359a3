import type { Editor, TLShape } from 'tldraw'
import { isTemplateShape } from '../../core/board-doc.ts'
import type { JsonRecord } from '../../core/record-store.ts'

const isTemplate = (shape: TLShape) => isTemplateShape(shape as unknown as JsonRecord)

/**
 * The template layer is written only by core's setup code, which reaches the store as remote
 * changes. Refuse every local attempt to move, unlock, restyle or delete it, whatever the
 * menus offer.
 */
export function guardTemplateLayer(editor: Editor): () => void {
  const stopDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
    if (source === 'user' && isTemplate(shape)) return false
  })
  const stopChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && isTemplate(prev) ? prev : next,
  )
  return () => {
    stopDelete()
    stopChange()
  }
}
