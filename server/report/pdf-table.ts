import type { ReportTable } from '../../core/report-model.ts'
import { FONTS } from './fonts.ts'
import { el } from './pdf-struct.ts'

type Doc = PDFKit.PDFDocument
type Struct = PDFKit.PDFStructureElement

/**
 * A report table as a tagged PDF table: Table > Caption, TR > TH (scope Column) for the header,
 * TR > TH (scope Row) + TD for each row. Rows never split across pages; on every new page the
 * header row is drawn again as a pagination artifact, so a reader sees it on each page while
 * assistive technology meets it once, in the structure.
 */
export interface TableStyle {
  fontSize: number
  /** The tallest a row may be; longer text is cut with an ellipsis (a 2,000-character result). */
  maxRowHeight: number
}

const PAD = 3
/** Rows drawn between pauses that let the server's event loop serve others. */
const ROWS_PER_SLICE = 50
const HEADER_FILL = '#e8eaee'
const RULE = '#9aa0a8'
const INK = '#1b1d21'

export async function drawTable(doc: Doc, parent: Struct, table: ReportTable, style: TableStyle, pause: () => Promise<void>): Promise<void> {
  const left = doc.page.margins.left
  const width = doc.page.width - left - doc.page.margins.right
  const cols = columnWidths(doc, table, width, style.fontSize)
  const xs = cols.map((_, i) => left + cols.slice(0, i).reduce((a, b) => a + b, 0))
  const size = style.fontSize

  // Measured in the font each cell is drawn in: headers, and the first cell of each row, are bold.
  const heightOf = (cells: string[], header: boolean) => {
    const h = Math.max(
      ...cells.map((c, i) => {
        if (!c) return 0
        doc.font(header || i === 0 ? FONTS.bold : FONTS.regular).fontSize(size)
        return doc.heightOfString(c, { width: cols[i] - 2 * PAD })
      }),
      size * 1.2,
    )
    return Math.min(style.maxRowHeight, h) + 2 * PAD
  }
  const headerHeight = heightOf(table.header, true)

  const element = el(doc, 'Table')
  parent.add(element)
  element.add(
    el(doc, 'Caption', {}, () => {
      doc.font(FONTS.bold).fontSize(size + 2).fillColor(INK).text(table.caption, left, doc.y, { width })
    }),
  )
  doc.moveDown(0.3)

  const drawRow = (cells: string[], y: number, h: number, header: boolean, cell: (i: number, draw: () => void) => void) => {
    artifact(doc, () => {
      if (header) doc.rect(left, y, width, h).fill(HEADER_FILL)
      doc.moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(header ? 1 : 0.5).stroke(RULE)
    })
    cells.forEach((text, i) =>
      cell(i, () => {
        if (!text) return
        const bold = header || i === 0
        doc.font(bold ? FONTS.bold : FONTS.regular).fontSize(size).fillColor(INK)
        spoken(doc, text, () => doc.text(text, xs[i] + PAD, y + PAD, { width: cols[i] - 2 * PAD, height: h - 2 * PAD, ellipsis: true, align: table.numeric[i] && !header ? 'right' : 'left' }))
      }),
    )
  }

  let y = doc.y
  const headerRow = el(doc, 'TR')
  element.add(headerRow)
  drawRow(table.header, y, headerHeight, true, (_i, draw) => headerRow.add(el(doc, 'TH', { scope: 'Column' }, draw)))
  headerRow.end()
  y += headerHeight

  for (const [n, cells] of table.rows.entries()) {
    if (n % ROWS_PER_SLICE === ROWS_PER_SLICE - 1) await pause()
    const h = heightOf(cells, false)
    if (y + h > doc.page.maxY()) {
      doc.addPage()
      y = doc.page.margins.top
      // The header again on the new page, outside the structure.
      drawRow(table.header, y, headerHeight, true, (_i, draw) => artifact(doc, draw))
      y += headerHeight
    }
    const row = el(doc, 'TR')
    element.add(row)
    drawRow(cells, y, h, false, (i, draw) => row.add(i === 0 ? el(doc, 'TH', { scope: 'Row' }, draw) : el(doc, 'TD', {}, draw)))
    row.end()
    y += h
  }
  element.end()
  doc.x = left
  doc.y = y + size
}

/**
 * The table's relative widths, but no column narrower than the longest word of its header (a
 * header broken inside a word reads badly): the room for that comes from the wide columns.
 */
function columnWidths(doc: Doc, table: ReportTable, width: number, size: number): number[] {
  doc.font(FONTS.bold).fontSize(size)
  const min = table.header.map((h) => Math.max(...h.split(/\s+/).map((word) => doc.widthOfString(word))) + 2 * PAD + 1)
  const total = table.widths.reduce((a, b) => a + b, 0)
  let cols = table.widths.map((w) => (w / total) * width)
  for (let pass = 0; pass < 4; pass++) {
    const short = cols.map((c, i) => c < min[i])
    const needed = cols.reduce((sum, c, i) => sum + (short[i] ? min[i] - c : 0), 0)
    if (needed <= 0) break
    const spare = cols.reduce((sum, c, i) => sum + (short[i] ? 0 : c - min[i]), 0)
    if (spare <= 0) break
    const take = Math.min(1, needed / spare)
    cols = cols.map((c, i) => (short[i] ? min[i] : c - (c - min[i]) * take))
  }
  return cols
}

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/

/**
 * Right-to-left text is stored in visual order after shaping; its ActualText gives text
 * extraction and screen readers the words in logical order.
 */
export function spoken(doc: Doc, text: string, draw: () => void): void {
  if (!RTL.test(text)) return draw()
  doc.markContent('Span', { actual: text } as PDFKit.Mixins.MarkingOptions)
  draw()
  doc.endMarkedContent()
}

/** Content that is decoration or repetition, not part of the document's structure. */
export function artifact(doc: Doc, draw: () => void): void {
  doc.markContent('Artifact', { type: 'Pagination' } as PDFKit.Mixins.MarkingOptions)
  draw()
  doc.endMarkedContent()
}
