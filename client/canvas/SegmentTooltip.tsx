import { useEditor, useValue } from 'tldraw'
import { segmentAt } from '../../core/circle.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { layerCounts } from './counts.ts'
import { segmentShapes, templateNames } from './template-shapes.ts'

/**
 * The full name and count of the ring segment under the pointer. Ring labels are shortened to
 * fit at 100 % zoom; this is where the whole name is always readable (the paths panel and the
 * card's checkboxes list them too, for the keyboard).
 */
export function SegmentTooltip() {
  const editor = useEditor()
  const t = useT()
  const hover = useValue(
    'segment under pointer',
    () => {
      if (!editor.getInstanceState().isHoveringCanvas) return null
      const point = editor.inputs.getCurrentPagePoint()
      if (editor.getShapeAtPoint(point, { hitInside: true, filter: (s) => s.type === CARD_TYPE })) return null
      const segment = segmentAt(point, segmentShapes(editor).map((s) => s.props))
      if (!segment || segment.kind === 'center') return null
      const counts = layerCounts(editor).get()
      const count = (segment.kind === 'task' ? counts.tasks : counts.paths).get(segment.refId) ?? 0
      const names = templateNames(editor)
      const screen = editor.pageToViewport(point)
      return { kind: segment.kind, label: segment.kind === 'task' ? names.task(segment.refId) : names.path(segment.refId), count, x: screen.x, y: screen.y }
    },
    [editor],
  )
  if (!hover) return null
  return (
    <div className="segment-tooltip" style={{ left: hover.x + 18, top: hover.y + 18 }} data-testid="segment-tooltip" aria-hidden="true">
      <span className="segment-tooltip__kind">{t(hover.kind === 'task' ? 'canvas.kindTask' : 'canvas.kindPath')}</span>
      <strong>{hover.label}</strong>
      <span>{hover.count === 0 && hover.kind === 'path' ? t('canvas.uncovered') : t(hover.count === 1 ? 'canvas.countOne' : 'canvas.countMany', { count: hover.count })}</span>
    </div>
  )
}
