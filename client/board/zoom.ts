import { Box, react, type Editor, type TLCamera } from 'tldraw'
import { SEGMENT_TYPE } from '../../core/shapes.ts'
import type { SegmentShape } from '../shapes/types.ts'

const sameCamera = (a: TLCamera, b: TLCamera) => Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.z - b.z) < 1e-4

/**
 * Fits the template circle into view on load, and again when it grows (action paths added)
 * or the window is resized, but only while the user has not moved the camera since the last
 * fit. A board without a circle is fitted to its content once.
 */
export function fitTemplateWhileUntouched(editor: Editor): () => void {
  // Reactive only to segment records, so dragging cards never re-runs this.
  const segments = editor.store.query.records('shape', () => ({ type: { eq: SEGMENT_TYPE } }))
  let fitted: TLCamera | null = null
  let frame = -1

  const fit = () => {
    if (fitted && !sameCamera(fitted, editor.getCamera())) return
    const radius = Math.max(0, ...segments.get().map((s) => (s as SegmentShape).props.outerRadius))
    if (radius > 0) editor.zoomToBounds(new Box(-radius, -radius, radius * 2, radius * 2), { inset: 64, animation: { duration: 0 } })
    else if (!fitted && editor.getCurrentPageShapeIds().size) editor.zoomToFit({ animation: { duration: 0 } })
    fitted = editor.getCamera()
  }

  const stop = react('fit template', () => {
    segments.get()
    editor.getViewportScreenBounds()
    // After the frame: the viewport's size settles only after the first layout.
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(fit)
  })
  return () => {
    cancelAnimationFrame(frame)
    stop()
  }
}
