import { Box, type Editor } from 'tldraw'
import { isTemplateShape } from '../../core/board-doc.ts'
import type { JsonRecord } from '../../core/record-store.ts'

/** Fits the template circle (or, on a board without one, everything) into the viewport. */
export function zoomToBoard(editor: Editor): void {
  const template = editor.getCurrentPageShapes().filter((s) => isTemplateShape(s as unknown as JsonRecord))
  const bounds = template.map((s) => editor.getShapePageBounds(s)).filter((b): b is Box => !!b)
  if (bounds.length) editor.zoomToBounds(Box.Common(bounds), { inset: 32, animation: { duration: 0 } })
  else if (editor.getCurrentPageShapeIds().size) editor.zoomToFit({ animation: { duration: 0 } })
}
