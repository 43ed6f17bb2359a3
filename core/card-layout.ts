import type { Activity } from './activity.ts'
import { computeCoverage, type Target } from './coverage.ts'
import type { TemplateItem } from './template.ts'
import { textColorOn, wrapText } from './wrap-text.ts'

/**
 * Where everything on an activity card's face goes in an exported picture: sector band, status,
 * title, task and path chips, "hits N of M paths". One layout for the browser's SVG (card-svg)
 * and the server's report, so a card looks the same in both.
 */
export const CARD_FACE = { paper: '#fff8cc', border: '#b8a93f', noSector: '#d5d8dd', band: 22, pad: 10, title: 16, chip: 11, chipHeight: 16, hits: 12, radius: 8 } as const

export interface CardBoardLabels {
  tasks: TemplateItem[]
  paths: Target[]
  sectors: TemplateItem[]
}

/** The words a card face needs, in the reader's language. */
export interface CardWords {
  untitled: string
  sectorNone: string
  status: string
  hits: (count: number, total: number) => string
}

export interface PlacedChip {
  text: string
  fill: string
  ink: string
  round: boolean
  x: number
  y: number
  w: number
}

export interface CardFaceLayout {
  w: number
  h: number
  band: string
  bandInk: string
  sectorText: string
  statusText: string
  title: string
  titleLines: string[]
  titleTop: number
  titleLineHeight: number
  untitled: boolean
  chips: PlacedChip[]
  hitsText: string | null
  hitsY: number
}

interface Chip {
  label: string
  fill: string
  ink: string
  round: boolean
}

/** Chips in rows, each as wide as its (estimated) text; what does not fit above `bottom` is left out. */
function layoutChips(chips: Chip[], width: number, top: number, bottom: number): PlacedChip[] {
  const { chip: size, chipHeight } = CARD_FACE
  const placed: PlacedChip[] = []
  let x = 0
  let y = top
  for (const chip of chips) {
    const [text] = wrapText(chip.label, size, width - 12, 1)
    const w = Math.min(width, text.length * size * 0.56 + 12)
    if (x > 0 && x + w > width) {
      x = 0
      y += chipHeight + 3
    }
    if (y + chipHeight > bottom) break
    placed.push({ text, fill: chip.fill, ink: chip.ink, round: chip.round, x, y, w })
    x += w + 3
  }
  return placed
}

export function cardFaceLayout(activity: Activity & { w: number; h: number }, labels: CardBoardLabels, words: CardWords): CardFaceLayout {
  const { w, h } = activity
  const { band: bandHeight, pad, title: titleSize, hits: hitsSize } = CARD_FACE
  const [hit] = computeCoverage([{ id: '', ...activity }], labels.tasks, labels.paths).activities
  const sector = labels.sectors.find((s) => s.id === activity.sector)
  const band = sector?.color ?? CARD_FACE.noSector
  const title = activity.title || words.untitled
  const inner = w - 2 * pad
  const titleLines = wrapText(title, titleSize, inner, 2)
  const titleTop = bandHeight + 6 + titleSize
  const titleLineHeight = titleSize * 1.25
  const total = labels.paths.length
  const hitsY = h - 9
  const chips: Chip[] = [
    ...labels.tasks.filter((t) => hit.taskIds.includes(t.id)).map((t) => ({ label: t.label, fill: t.color, ink: textColorOn(t.color), round: false })),
    ...labels.paths.filter((p) => hit.pathIds.includes(p.id)).map((p) => ({ label: p.label, fill: '#ffffff', ink: '#1b1d21', round: true })),
  ]
  const chipsTop = titleTop + (titleLines.length - 1) * titleLineHeight + 8
  return {
    w,
    h,
    band,
    bandInk: textColorOn(band),
    sectorText: wrapText(sector?.label ?? (activity.sector || words.sectorNone), 12, inner * 0.55, 1)[0] ?? '',
    statusText: words.status,
    title,
    titleLines,
    titleTop,
    titleLineHeight,
    untitled: !activity.title,
    chips: layoutChips(chips, inner, chipsTop, total > 0 ? hitsY - hitsSize - 2 : h - pad),
    hitsText: total > 0 ? words.hits(hit.pathIds.length, total) : null,
    hitsY,
  }
}

/** The card's outline with its top band, as SVG path data in the card's own coordinates. */
export const cardBandPath = (w: number) => `M0 ${CARD_FACE.band} V8 A8 8 0 0 1 8 0 H${w - 8} A8 8 0 0 1 ${w} 8 V${CARD_FACE.band} Z`
