import { memo } from 'react'
import { computed, useEditor, useValue, type Computed, type Editor, type TLShape } from 'tldraw'
import { segmentAnchor } from '../../core/circle.ts'
import { labelAngle } from '../shapes/segment-layout.ts'
import { connectDrag } from './ConnectTool.ts'
import { isCard, segmentShapes } from './template-shapes.ts'
import type { CardShape } from '../shapes/types.ts'

/**
 * Past this many cards with lines, only the selected cards' lines are drawn: thousands of lines
 * are noise to a reader and repainting them on every remote move made a large board stutter
 * (bench scenario 6: 4,000 lines cost ~300 ms a frame without a GPU).
 */
export const ALL_LINES_UP_TO = 150

/** The paths a card has a line to: those it hits that still have a segment (coverage ignores the rest too). */
function linedPaths(card: CardShape, segments: { has(pathId: string): boolean }): string[] {
  const paths = card.props.paths
  return Object.keys(paths).filter((id) => paths[id] === true && segments.has(id))
}

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
 * template layer and the cards (on a large board, for the selected cards only). Derived from the
 * cards' `paths` props, so the lines and the edit panel's checkboxes can never disagree: there
 * is no second record of a hit.
 */
export function Connections() {
  const editor = useEditor()
  const lines = useValue('connection lines', () => drawnLines(editor).get().groups, [editor])
  const drag = useValue(connectDrag)
  // Shapes stack by z-index in page order; the template layer comes first, so this sits just
  // above it and below the first card (equal z-index: the shapes come later in the DOM).
  const layer = useValue('template layer size', () => editor.getCurrentPageShapes().filter((s) => s.meta?.template === true).length, [editor])
  if (!lines.length && !drag) return null
  return (
    <svg className="snurra-connections" style={{ zIndex: editor.options.maxShapesPerPage * 2 + layer }} aria-hidden="true">
      {lines.map((group) => (
        <CardLines key={group[0].key} lines={group} />
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

/** One card's lines; re-rendered only when that card's lines changed (the array is cached). */
const CardLines = memo(function CardLines({ lines }: { lines: Line[] }) {
  return (
    <>
      {lines.map((l) => (
        <g key={l.key} className={l.selected ? 'snurra-connection snurra-connection--selected' : 'snurra-connection'}>
          <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className="snurra-connection__casing" />
          <line x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className="snurra-connection__line" />
          <circle cx={l.x2} cy={l.y2} r={7} className="snurra-connection__end" />
        </g>
      ))}
    </>
  )
})

interface DrawnLines {
  /** Lines per card, for the cards whose lines are drawn. */
  groups: Line[][]
  /** More cards have lines than are drawn at once (the heat legend then says how to see them). */
  limited: boolean
}

const drawn = new WeakMap<Editor, Computed<DrawnLines>>()

/** The lines to draw, computed once per change for everyone who asks (the lines and the legend). */
export function drawnLines(editor: Editor): Computed<DrawnLines> {
  let lines = drawn.get(editor)
  if (!lines) {
    lines = computed('connection lines', () => connectionLines(editor))
    drawn.set(editor, lines)
  }
  return lines
}

type LineCache = Map<string, { shape: TLShape; selected: boolean; anchors: unknown; lines: Line[] }>
const lineCaches = new WeakMap<Editor, LineCache>()

/** Lines per card (cards without lines left out), selected cards last; a card's array is reused while the card, its selection and the anchors are unchanged. */
function connectionLines(editor: Editor): DrawnLines {
  const anchors = new Map(segmentShapes(editor).filter((s) => s.props.kind === 'path').map((s) => [s.props.refId, segmentAnchor(s.props, labelAngle(s.props))]))
  if (!anchors.size) return { groups: [], limited: false }
  const anchorsKey = JSON.stringify([...anchors])
  const selected = new Set(editor.getSelectedShapeIds())
  const cache: LineCache = lineCaches.get(editor) ?? new Map()
  const next: LineCache = new Map()
  const plain: Line[][] = []
  const chosen: Line[][] = []
  for (const shape of editor.getCurrentPageShapes()) {
    if (!isCard(shape)) continue
    const isSelected = selected.has(shape.id)
    const hit = cache.get(shape.id)
    let lines: Line[]
    if (hit && hit.shape === shape && hit.selected === isSelected && hit.anchors === anchorsKey) lines = hit.lines
    else {
      lines = []
      const center = editor.getShapePageBounds(shape)?.center
      if (center) {
        for (const pathId of linedPaths(shape, anchors)) {
          const to = anchors.get(pathId)!
          lines.push({ key: `${shape.id}:${pathId}`, x1: center.x, y1: center.y, x2: to.x, y2: to.y, selected: isSelected })
        }
      }
    }
    next.set(shape.id, { shape, selected: isSelected, anchors: anchorsKey, lines })
    if (lines.length) (isSelected ? chosen : plain).push(lines)
  }
  lineCaches.set(editor, next)
  if (plain.length + chosen.length > ALL_LINES_UP_TO) return { groups: chosen, limited: true }
  // Selected cards' lines last, so they are drawn on top.
  return { groups: [...plain, ...chosen], limited: false }
}
