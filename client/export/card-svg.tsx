import type { CardShapeProps } from '../../core/shapes.ts'
import { computeCoverage } from '../../core/coverage.ts'
import type { BoardLabels } from '../activity/board-labels.ts'
import { STATUS_LABELS } from '../activity/labels.ts'
import { DEFAULT_LANGUAGE, isLanguage, translate, type MessageKey, type MessageVars } from '../i18n/messages.ts'
import { textColorOn, wrapText } from '../shapes/wrap-text.ts'
import { EXPORT_FONT } from './legend-svg.ts'

const NO_SECTOR = '#d5d8dd'
const PAPER = '#fff8cc'
const BAND = 22
const PAD = 10
const TITLE = 16
const CHIP = 11
const CHIP_H = 16
const HITS = 12

/** tldraw draws exports in its own React root, outside our provider: use the page's language. */
function exportT(key: MessageKey, vars?: MessageVars): string {
  const lang = document.documentElement.lang
  return translate(isLanguage(lang) ? lang : DEFAULT_LANGUAGE, key, vars)
}

interface Chip {
  label: string
  fill: string
  ink: string
  round: boolean
}

/** Chips in rows, each as wide as its (estimated) text; what does not fit above `bottom` is left out. */
function layoutChips(chips: Chip[], width: number, top: number, bottom: number) {
  const placed: Array<Chip & { x: number; y: number; w: number; text: string }> = []
  let x = 0
  let y = top
  for (const chip of chips) {
    const [text] = wrapText(chip.label, CHIP, width - 12, 1)
    const w = Math.min(width, text.length * CHIP * 0.56 + 12)
    if (x > 0 && x + w > width) {
      x = 0
      y += CHIP_H + 3
    }
    if (y + CHIP_H > bottom) break
    placed.push({ ...chip, x, y, w, text })
    x += w + 3
  }
  return placed
}

/**
 * The card's face as plain SVG for exports: sector band, title, task and path chips, "hits N of
 * M paths". Drawn as SVG (not the HTML face in a foreignObject) so PDF keeps it as text.
 */
export function CardSvg({ props, labels }: { props: CardShapeProps; labels: BoardLabels }) {
  const { w, h } = props
  const [hit] = computeCoverage([{ id: '', ...props }], labels.tasks, labels.paths).activities
  const sector = labels.sectors.find((s) => s.id === props.sector)
  const band = sector?.color ?? NO_SECTOR
  const bandInk = textColorOn(band)
  const title = props.title || exportT('card.untitled')
  const inner = w - 2 * PAD
  const titleLines = wrapText(title, TITLE, inner, 2)
  const titleTop = BAND + 6 + TITLE
  const total = labels.paths.length
  const hitsY = h - 9
  const chips: Chip[] = [
    ...labels.tasks.filter((t) => hit.taskIds.includes(t.id)).map((t) => ({ label: t.label, fill: t.color, ink: textColorOn(t.color), round: false })),
    ...labels.paths.filter((p) => hit.pathIds.includes(p.id)).map((p) => ({ label: p.label, fill: '#ffffff', ink: '#1b1d21', round: true })),
  ]
  const chipsTop = titleTop + (titleLines.length - 1) * TITLE * 1.25 + 8
  const placed = layoutChips(chips, inner, chipsTop, total > 0 ? hitsY - HITS - 2 : h - PAD)
  const sectorText = sector?.label ?? (props.sector || exportT('activity.sectorNone'))

  return (
    <g fontFamily={EXPORT_FONT}>
      <title>{[props.title, props.description].filter(Boolean).join('\n') || title}</title>
      <rect width={w} height={h} rx={8} fill={PAPER} stroke="#b8a93f" strokeWidth={1} />
      <path d={`M0 ${BAND} V8 A8 8 0 0 1 8 0 H${w - 8} A8 8 0 0 1 ${w} 8 V${BAND} Z`} fill={band} />
      <text x={PAD} y={15} fontSize={12} fontWeight={700} fill={bandInk}>
        {wrapText(sectorText, 12, inner * 0.55, 1)[0]}
      </text>
      <text x={w - PAD} y={15} fontSize={12} fontWeight={600} fill={bandInk} textAnchor="end">
        {exportT(STATUS_LABELS[props.status])}
      </text>
      <text x={PAD} y={titleTop} fontSize={TITLE} fontWeight={700} fill={props.title ? '#1b1d21' : '#5a5e66'} data-export="card-title">
        {titleLines.map((line, i) => (
          <tspan key={i} x={PAD} y={titleTop + i * TITLE * 1.25}>
            {line}
          </tspan>
        ))}
      </text>
      {placed.map((chip, i) => (
        <g key={i} transform={`translate(${PAD + chip.x} ${chip.y})`}>
          <rect width={chip.w} height={CHIP_H} rx={chip.round ? CHIP_H / 2 : 4} fill={chip.fill} stroke={chip.round ? '#4a4f57' : 'none'} />
          <text x={6} y={12} fontSize={CHIP} fill={chip.ink}>
            {chip.text}
          </text>
        </g>
      ))}
      {total > 0 && (
        <text x={PAD} y={hitsY} fontSize={HITS} fontWeight={700} fill="#3b3f46">
          {exportT('activity.hits', { count: hit.pathIds.length, total })}
        </text>
      )}
    </g>
  )
}
