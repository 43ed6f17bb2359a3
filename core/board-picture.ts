import type { ActionPath } from './board-meta.ts'
import { isCardRecord, type ActivityRow } from './board-view.ts'
import { CARD_FACE, cardBandPath, cardFaceLayout, type CardBoardLabels, type CardWords, type PlacedChip } from './card-layout.ts'
import { circleSegments, PATH_COLOR } from './circle.ts'
import type { Coverage } from './coverage.ts'
import { heatFor } from './heat.ts'
import type { LegendModel, LegendRow } from './legend-model.ts'
import { matrixCells } from './matrix.ts'
import type { JsonRecord } from './record-store.ts'
import { coerceActivity } from './register.ts'
import { tint, type Prim, type Scene } from './scene.ts'
import { BADGE_HEIGHT, FONT, layoutOf } from './segment-layout.ts'
import { CARD_SIZE } from './shapes.ts'
import type { Template } from './template.ts'
import { wedgePath } from './wedge.ts'
import { textColorOn, wrapText } from './wrap-text.ts'

/**
 * The board as a vector picture for the report, drawn from the document alone (tldraw does not
 * run in Node): the template circle or matrix from core's geometry, the cards where they lie,
 * and the legend beside them, in the same colours and layout as the browser's export.
 */
export interface PlacedCard {
  x: number
  y: number
  w: number
  h: number
  activity: ActivityRow
}

const INK = '#1b1d21'
const MUTED = '#4a4f57'
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback)

/** Every card with its page position (a card inside a frame or group is offset by its parents). */
export function placedCards(records: readonly JsonRecord[]): PlacedCard[] {
  const byId = new Map(records.map((r) => [r.id, r]))
  const pageOffset = (record: JsonRecord): { x: number; y: number } => {
    let x = 0
    let y = 0
    const seen = new Set<string>()
    for (let parent = byId.get(String(record.parentId)); parent && parent.typeName === 'shape' && !seen.has(parent.id); parent = byId.get(String(parent.parentId))) {
      seen.add(parent.id)
      x += num(parent.x, 0)
      y += num(parent.y, 0)
    }
    return { x, y }
  }
  return records.filter(isCardRecord).map((record) => {
    const props = (record.props ?? {}) as Record<string, unknown>
    const offset = pageOffset(record)
    const activity = coerceActivity({ ...(props as object), id: record.id } as ActivityRow)
    const size = (v: unknown, fallback: number) => Math.min(2000, Math.max(40, num(v, fallback)))
    return { x: offset.x + num(record.x, 0), y: offset.y + num(record.y, 0), w: size(props.w, CARD_SIZE.w), h: size(props.h, CARD_SIZE.h), activity }
  })
}

export interface PictureInput {
  template: Template
  paths: ActionPath[]
  coverage: Coverage
  cards: PlacedCard[]
  labels: CardBoardLabels
  legend: LegendModel
  cardWords: (activity: ActivityRow) => CardWords
}

interface Box {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/** The longer side of the board part of the picture, so legend text stays in proportion. */
const BOARD_SIZE = 1400
const GAP = 48
const MARGIN = 24
export const LEGEND_WIDTH = 460

export function boardPicture(input: PictureInput): Scene {
  const layer = templateLayer(input)
  const box: Box = { ...layer.box }
  for (const c of input.cards) {
    box.minX = Math.min(box.minX, c.x)
    box.minY = Math.min(box.minY, c.y)
    box.maxX = Math.max(box.maxX, c.x + c.w)
    box.maxY = Math.max(box.maxY, c.y + c.h)
  }
  if (!Number.isFinite(box.minX)) Object.assign(box, { minX: 0, minY: 0, maxX: 400, maxY: 300 })
  const width = box.maxX - box.minX
  const height = box.maxY - box.minY
  const scale = Math.min(2, BOARD_SIZE / Math.max(width, height, 1))
  const cards: Prim[] = input.cards.map((c) => ({ kind: 'group', dx: c.x, dy: c.y, items: cardFace(c, input) }))
  const board: Prim = { kind: 'group', dx: MARGIN - box.minX * scale, dy: MARGIN - box.minY * scale, scale, items: [...layer.items, ...cards] }
  const legend = legendItems(input.legend)
  const legendX = MARGIN + width * scale + GAP
  return {
    width: Math.ceil(legendX + LEGEND_WIDTH + MARGIN),
    height: Math.ceil(MARGIN + Math.max(height * scale, legend.height) + MARGIN),
    items: [board, { kind: 'group', dx: legendX, dy: MARGIN, items: legend.items }],
  }
}

function templateLayer(input: PictureInput): { items: Prim[]; box: Box } {
  if (input.template.layout === 'circle') return circleLayer(input)
  if (input.template.layout === 'matrix') return matrixLayer(input)
  return { items: [], box: { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity } }
}

/** Lines of text centred on (x, y) — what the canvas does with dominant-baseline: central. */
function centredLines(lines: string[], x: number, y: number, size: number, lineHeight: number, fill: string, bold: boolean, maxWidth: number): Prim[] {
  const top = y - ((lines.length - 1) * lineHeight) / 2 + size * 0.35
  return lines.map((text, i) => ({ kind: 'text', x, y: top + i * lineHeight, text, size, bold, fill, anchor: 'middle', maxWidth }))
}

function circleLayer(input: PictureInput): { items: Prim[]; box: Box } {
  const counts = new Map([...input.coverage.tasks, ...input.coverage.paths].map((c) => [c.id, c.count]))
  const items: Prim[] = []
  let radius = 0
  for (const { props } of circleSegments(input.template, input.paths)) {
    const R = props.outerRadius
    radius = Math.max(radius, R)
    const count = counts.get(props.refId) ?? 0
    const heat = heatFor(count)
    const isPath = props.kind === 'path'
    const fill = isPath ? heat.fill : props.color
    const ink = isPath ? heat.text : textColorOn(props.color)
    const parts: Prim[] = [{ kind: 'path', d: wedgePath(props), fill, evenOdd: true, stroke: props.kind === 'center' ? MUTED : '#ffffff', strokeWidth: props.kind === 'center' ? 3 : 4 }]
    if (isPath && count === 0) parts.push({ kind: 'path', d: wedgePath({ ...props, innerRadius: props.innerRadius + 4, outerRadius: R - 4 }, R), stroke: MUTED, strokeWidth: 2, dash: [8, 6] })
    if (isPath && props.color !== PATH_COLOR) parts.push({ kind: 'path', d: wedgePath({ ...props, outerRadius: props.innerRadius + 10 }, R), fill: props.color, stroke: '#ffffff', strokeWidth: 2 })
    const layout = layoutOf(props)
    const lines = wrapText(props.label, layout.fontSize, layout.width, layout.maxLines)
    parts.push(...centredLines(lines, layout.center.x, layout.center.y, layout.fontSize, layout.fontSize * 1.2, ink, FONT[props.kind].weight >= 600, layout.width))
    if (layout.badge && props.kind !== 'center') {
      const { x, y } = layout.badge
      parts.push({ kind: 'rect', x: x - 18, y: y - BADGE_HEIGHT / 2, w: 36, h: BADGE_HEIGHT, r: BADGE_HEIGHT / 2, fill: '#ffffff', stroke: INK, strokeWidth: 2, dash: count === 0 ? [4, 3] : undefined })
      parts.push({ kind: 'text', x, y: y + 15 * 0.35, text: String(count), size: 15, bold: true, fill: INK, anchor: 'middle' })
    }
    items.push({ kind: 'group', dx: -R, dy: -R, items: parts })
  }
  return { items, box: { minX: -radius, minY: -radius, maxX: radius, maxY: radius } }
}

const CELL_FONT = { corner: 18, column: 20, row: 20, cell: 16 } as const

function matrixLayer(input: PictureInput): { items: Prim[]; box: Box } {
  const items: Prim[] = []
  let maxX = 0
  let maxY = 0
  for (const { x, y, props } of matrixCells(input.template)) {
    maxX = Math.max(maxX, x + props.w)
    maxY = Math.max(maxY, y + props.h)
    const fill = props.kind === 'cell' ? tint(props.color, 0x14 / 255) : props.kind === 'corner' ? '#ffffff' : props.color
    const ink = props.kind === 'cell' || props.kind === 'corner' ? INK : textColorOn(props.color)
    const size = CELL_FONT[props.kind]
    const lines = wrapText(props.label, size, props.w - 28, 5)
    items.push({
      kind: 'group',
      dx: x,
      dy: y,
      items: [{ kind: 'rect', x: 0, y: 0, w: props.w, h: props.h, fill, stroke: props.kind === 'cell' ? '#9aa0a8' : '#ffffff', strokeWidth: 2 }, ...centredLines(lines, props.w / 2, props.h / 2, size, size * 1.2, ink, true, props.w - 28)],
    })
  }
  return { items, box: { minX: 0, minY: 0, maxX, maxY } }
}

function cardFace(card: PlacedCard, input: PictureInput): Prim[] {
  const face = cardFaceLayout({ ...card.activity, w: card.w, h: card.h }, input.labels, input.cardWords(card.activity))
  const { pad, title, chip: chipSize, chipHeight, hits } = CARD_FACE
  const chip = (c: PlacedChip): Prim => ({
    kind: 'group',
    dx: pad + c.x,
    dy: c.y,
    items: [
      { kind: 'rect', x: 0, y: 0, w: c.w, h: chipHeight, r: c.round ? chipHeight / 2 : 4, fill: c.fill, stroke: c.round ? MUTED : undefined },
      { kind: 'text', x: 6, y: 12, text: c.text, size: chipSize, fill: c.ink, maxWidth: c.w - 8 },
    ],
  })
  return [
    { kind: 'rect', x: 0, y: 0, w: face.w, h: face.h, r: CARD_FACE.radius, fill: CARD_FACE.paper, stroke: CARD_FACE.border, strokeWidth: 1 },
    { kind: 'path', d: cardBandPath(face.w), fill: face.band },
    { kind: 'text', x: pad, y: 15, text: face.sectorText, size: 12, bold: true, fill: face.bandInk, maxWidth: (face.w - 2 * pad) * 0.6 },
    { kind: 'text', x: face.w - pad, y: 15, text: face.statusText, size: 12, bold: true, fill: face.bandInk, anchor: 'end', maxWidth: (face.w - 2 * pad) * 0.4 },
    ...face.titleLines.map((text, i): Prim => ({ kind: 'text', x: pad, y: face.titleTop + i * face.titleLineHeight, text, size: title, bold: true, fill: face.untitled ? '#5a5e66' : INK, maxWidth: face.w - 2 * pad })),
    ...face.chips.map(chip),
    ...(face.hitsText ? [{ kind: 'text', x: pad, y: face.hitsY, text: face.hitsText, size: hits, bold: true, fill: '#3b3f46', maxWidth: face.w - 2 * pad } as Prim] : []),
  ]
}

const LEGEND_FONT = 15
const LEGEND_LINE = LEGEND_FONT * 1.3
const SWATCH = 18
const COUNT_WIDTH = 44
const LABEL_X = SWATCH + 10 + 34

/** The legend as the browser's picture draws it (client/export/legend-svg.ts): sections, rows, notes. */
function legendItems(model: LegendModel): { items: Prim[]; height: number } {
  const items: Prim[] = []
  let y = 0
  for (const section of model.sections) {
    y += 24
    items.push({ kind: 'text', x: 0, y, text: section.heading, size: 18, bold: true, fill: INK, maxWidth: LEGEND_WIDTH })
    y += 12
    for (const row of section.rows) y = legendRow(items, row, y)
    y += 8
  }
  y += 10
  for (const note of model.notes) {
    const lines = wrapText(note, 14, LEGEND_WIDTH, 4)
    y += 14 * 1.3
    lines.forEach((text, i) => items.push({ kind: 'text', x: 0, y: y + i * 14 * 1.3, text, size: 14, fill: MUTED, maxWidth: LEGEND_WIDTH }))
    y += (lines.length - 1) * 14 * 1.3 + 4
  }
  return { items, height: y + 8 }
}

function legendRow(items: Prim[], row: LegendRow, top: number): number {
  const lines = wrapText(row.label, LEGEND_FONT, LEGEND_WIDTH - LABEL_X - COUNT_WIDTH, 4)
  items.push({
    kind: 'rect',
    x: 0,
    y: top + 3,
    w: SWATCH,
    h: SWATCH,
    r: row.kind === 'path' ? SWATCH / 2 : 3,
    fill: row.uncovered ? '#ffffff' : row.swatch,
    stroke: MUTED,
    strokeWidth: 1.5,
    dash: row.uncovered ? [3, 2] : undefined,
  })
  const baseline = top + LEGEND_FONT + 2
  items.push({ kind: 'text', x: SWATCH + 10, y: baseline, text: row.short, size: LEGEND_FONT, bold: true, fill: INK })
  lines.forEach((text, i) => items.push({ kind: 'text', x: LABEL_X, y: baseline + i * LEGEND_LINE, text, size: LEGEND_FONT, fill: INK, maxWidth: LEGEND_WIDTH - LABEL_X - COUNT_WIDTH }))
  items.push({ kind: 'text', x: LEGEND_WIDTH, y: baseline, text: String(row.count), size: LEGEND_FONT, bold: true, fill: INK, anchor: 'end' })
  return top + Math.max(SWATCH + 6, lines.length * LEGEND_LINE + 6)
}
