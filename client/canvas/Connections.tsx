import { useEditor, useValue } from 'tldraw'
import { segmentAnchor } from '../../core/circle.ts'
import { labelAngle } from '../shapes/segment-layout.ts'
import { connectDrag } from './ConnectTool.ts'
import { isCard, segmentShapes } from './template-shapes.ts'

interface Line {
  key: string
  x1: number
  y1: number
  x2: number
  y2: number
  selected: boolean
}

/**
 * Connection lines from each card to each action path it hits, drawn in page space between the
 * template layer and the cards. Derived from the cards' `paths` props on every render, so the
 * lines and the edit panel's checkboxes can never disagree: there is no second record of a hit.
 */
export function Connections() {
  const editor = useEditor()
  const lines = useValue('connection lines', () => connectionLines(editor), [editor])
  const drag = useValue(connectDrag)
  // Shapes stack by z-index in page order; the template layer comes first, so this sits just
  // above it and below the first card (equal z-index: the shapes come later in the DOM).
  const layer = useValue('template layer size', () => editor.getCurrentPageShapes().filter((s) => s.meta?.template === true).length, [editor])
  if (!lines.length && !drag) return null
  return (
    <svg className="snurra-connections" style={{ zIndex: editor.options.maxShapesPerPage * 2 + layer }} aria-hidden="true">
      {lines.map((l) => (
        <g key={l.key} className={l.selected ? 'snurra-connection snurra-connection--selected' : 'snurra-connection'}>
          <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className="snurra-connection__casing" />
          <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className="snurra-connection__line" />
          <circle cx={l.x2} cy={l.y2} r={7} className="snurra-connection__end" />
        </g>
      ))}
      {drag && (
        <g className="snurra-connection snurra-connection--drawing">
          <line x1={drag.from.x} y1={drag.from.y} x2={drag.to.x} y2={drag.to.y} className="snurra-connection__casing" />
          <line x1={drag.from.x} y1={drag.from.y} x2={drag.to.x} y2={drag.to.y} className="snurra-connection__line" />
          <circle cx={drag.to.x} cy={drag.to.y} r={drag.pathId ? 9 : 5} className="snurra-connection__end" />
        </g>
      )}
    </svg>
  )
}

function connectionLines(editor: ReturnType<typeof useEditor>): Line[] {
  const anchors = new Map(segmentShapes(editor).filter((s) => s.props.kind === 'path').map((s) => [s.props.refId, segmentAnchor(s.props, labelAngle(s.props))]))
  if (!anchors.size) return []
  const selected = new Set(editor.getSelectedShapeIds())
  const out: Line[] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (!isCard(shape)) continue
    const center = editor.getShapePageBounds(shape)?.center
    if (!center) continue
    for (const pathId of Object.keys(shape.props.paths)) {
      const to = anchors.get(pathId)
      // A reference to a deleted path has no segment and so no line (coverage ignores it too).
      if (!to || shape.props.paths[pathId] !== true) continue
      out.push({ key: `${shape.id}:${pathId}`, x1: center.x, y1: center.y, x2: to.x, y2: to.y, selected: selected.has(shape.id) })
    }
  }
  // Selected cards' lines last, so they are drawn on top.
  return out.sort((a, b) => Number(a.selected) - Number(b.selected))
}
