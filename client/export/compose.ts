import { headerGroup, legendGroup, LEGEND_WIDTH } from './legend-svg.ts'
import type { LegendModel } from './legend-model.ts'
import { svgEl } from './svg-dom.ts'

export interface Picture {
  svg: SVGSVGElement
  width: number
  height: number
}

const MARGIN = 32
const GAP = 48
/** The board is scaled so its longer side is about this long: legend text stays in proportion. */
const BOARD_SIZE = 1400

/**
 * One SVG: the header (title, date, source) on top, the board below it on the left and the
 * legend to its right. The board's own SVG (tldraw's export) is nested as an inner <svg> with
 * its viewBox, so its coordinates and defs stay exactly as tldraw wrote them.
 */
export function composePicture(board: Picture, model: LegendModel): Picture {
  const scale = Math.min(2, Math.max(0.25, BOARD_SIZE / Math.max(board.width, board.height)))
  const bw = board.width * scale
  const bh = board.height * scale
  const header = headerGroup(model, bw + GAP + LEGEND_WIDTH)
  const legend = legendGroup(model)
  const width = Math.ceil(MARGIN + bw + GAP + LEGEND_WIDTH + MARGIN)
  const height = Math.ceil(MARGIN + header.height + Math.max(bh, legend.height) + MARGIN)

  const svg = svgEl('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' })
  svg.append(svgEl('title', {}, model.title))
  svg.append(svgEl('desc', {}, model.dateLine))
  svg.append(svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }))
  header.group.setAttribute('transform', `translate(${MARGIN} ${MARGIN})`)
  svg.append(header.group)

  const top = MARGIN + header.height
  const inner = board.svg
  inner.setAttribute('x', String(MARGIN))
  inner.setAttribute('y', String(top))
  inner.setAttribute('width', String(bw))
  inner.setAttribute('height', String(bh))
  inner.setAttribute('data-export', 'board')
  if (!inner.hasAttribute('viewBox')) inner.setAttribute('viewBox', `0 0 ${board.width} ${board.height}`)
  svg.append(inner)

  legend.group.setAttribute('transform', `translate(${MARGIN + bw + GAP} ${top})`)
  svg.append(legend.group)
  return { svg, width, height }
}

export function serializeSvg(svg: SVGSVGElement): string {
  return new XMLSerializer().serializeToString(svg)
}
