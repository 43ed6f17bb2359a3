import { wrapText } from '../shapes/wrap-text.ts'
import type { LegendModel, LegendRow } from './legend-model.ts'
import { svgEl, textLines } from './svg-dom.ts'

/** A common sans-serif for the browser's SVG and PNG (the server's report embeds DejaVu Sans). */
export const EXPORT_FONT = 'Helvetica, Arial, sans-serif'
const INK = '#1b1d21'
const MUTED = '#4a4f57'

export const LEGEND_WIDTH = 460
const FONT = 15
const LINE = FONT * 1.3
const SWATCH = 18
const COUNT_WIDTH = 44
const LABEL_X = SWATCH + 10 + 34

/** The legend as an SVG group `LEGEND_WIDTH` wide; returns it with its height. */
export function legendGroup(model: LegendModel): { group: SVGGElement; height: number } {
  const group = svgEl('g', { 'data-export': 'legend', 'font-family': EXPORT_FONT, fill: INK })
  let y = 0
  for (const section of model.sections) {
    y += 24
    group.append(svgEl('text', { x: 0, y, 'font-size': 18, 'font-weight': 700 }, section.heading))
    y += 12
    for (const row of section.rows) y = appendRow(group, row, y)
    y += 8
  }
  y += 10
  for (const note of model.notes) {
    const lines = wrapText(note, 14, LEGEND_WIDTH, 4)
    y += 14 * 1.3
    group.append(textLines(lines, 0, y, 14 * 1.3, { 'font-size': 14, fill: MUTED, 'data-export': 'note' }))
    y += (lines.length - 1) * 14 * 1.3 + 4
  }
  return { group, height: y + 8 }
}

function appendRow(group: SVGGElement, row: LegendRow, top: number): number {
  const lines = wrapText(row.label, FONT, LEGEND_WIDTH - LABEL_X - COUNT_WIDTH, 4)
  const rowGroup = svgEl('g', { 'data-export': 'legend-row', 'data-kind': row.kind, 'data-id': row.id, 'data-count': row.count })
  // The full label once more as the row's accessible name: the visible lines may be wrapped or cut.
  rowGroup.append(svgEl('title', {}, `${row.short} ${row.label}: ${row.count}`))
  rowGroup.append(
    svgEl('rect', {
      x: 0,
      y: top + 3,
      width: SWATCH,
      height: SWATCH,
      rx: row.kind === 'path' ? SWATCH / 2 : 3,
      fill: row.uncovered ? '#ffffff' : row.swatch,
      stroke: MUTED,
      'stroke-width': 1.5,
      ...(row.uncovered ? { 'stroke-dasharray': '3 2' } : {}),
    }),
  )
  const baseline = top + FONT + 2
  rowGroup.append(svgEl('text', { x: SWATCH + 10, y: baseline, 'font-size': FONT, 'font-weight': 700 }, row.short))
  rowGroup.append(textLines(lines, LABEL_X, baseline, LINE, { 'font-size': FONT, 'data-export': 'label' }))
  rowGroup.append(svgEl('text', { x: LEGEND_WIDTH, y: baseline, 'font-size': FONT, 'font-weight': 700, 'text-anchor': 'end', 'data-export': 'count' }, String(row.count)))
  group.append(rowGroup)
  return top + Math.max(SWATCH + 6, lines.length * LINE + 6)
}

/** The header above the board: title, date and source, wrapped to `width`. */
export function headerGroup(model: LegendModel, width: number): { group: SVGGElement; height: number } {
  const group = svgEl('g', { 'data-export': 'header', 'font-family': EXPORT_FONT, fill: INK })
  const titleLines = wrapText(model.title, 30, width, 2)
  group.append(textLines(titleLines, 0, 30, 36, { 'font-size': 30, 'font-weight': 700, 'data-export': 'title' }))
  let y = 30 + (titleLines.length - 1) * 36 + 28
  group.append(svgEl('text', { x: 0, y, 'font-size': 16, fill: MUTED, 'data-export': 'date' }, model.dateLine))
  if (model.source) {
    y += 22
    group.append(svgEl('text', { x: 0, y, 'font-size': 14, fill: MUTED }, model.source))
  }
  return { group, height: y + 16 }
}
