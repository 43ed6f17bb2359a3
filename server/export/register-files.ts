import ExcelJS from 'exceljs'
import type { BoardView } from '../../core/board-view.ts'
import { formatCsv, type Delimiter } from '../../core/csv.ts'
import { coverageMatrix, registerTable, type Table } from '../../core/register.ts'
import { labelsFor, translate, type Language } from './labels.ts'

/** Votes per card (the last vote's public results). */
export type Votes = Readonly<Record<string, number>>

/** The activity register as CSV: RFC 4180, UTF-8 with BOM, formulas neutralised. */
export function registerCsv(view: BoardView, votes: Votes, lang: Language, delimiter: Delimiter): string {
  const { header, rows } = registerTable(view, votes, labelsFor(lang))
  return formatCsv([header, ...rows], delimiter)
}

/**
 * The register (sheet "Aktiviteter") and the coverage matrix (sheet "Täckning") as XLSX. Text
 * goes in as strings, which ExcelJS writes as text cells: nothing a user typed can become a
 * formula.
 */
export async function registerXlsx(view: BoardView, votes: Votes, lang: Language): Promise<Buffer> {
  const t = labelsFor(lang)
  const book = new ExcelJS.Workbook()
  book.creator = 'Snurra'
  book.title = view.meta.title
  book.created = new Date()
  // The register's title is its second column (after the id): freeze both so the title stays beside
  // every row; the coverage matrix starts with the title.
  addSheet(book, translate(lang, 'register.sheet.activities'), registerTable(view, votes, t), 2)
  addSheet(book, translate(lang, 'register.sheet.coverage'), coverageMatrix(view, t), 1)
  return Buffer.from(await book.xlsx.writeBuffer())
}

/**
 * Printed as planners file it: A4 landscape, every column on one page wide (`fitToPage` is the
 * flag that makes Excel and LibreOffice apply `fitToWidth` at all; height 0 means as many pages
 * as it takes), the header row repeated on every page.
 */
const PAGE_SETUP: Partial<ExcelJS.PageSetup> = {
  paperSize: 9, // A4
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: '1:1',
  margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
}

/** Only strings and finite numbers become cells: anything else could be read as a formula or link. */
const plain = (cell: unknown): string | number => (typeof cell === 'number' && Number.isFinite(cell) ? cell : typeof cell === 'string' ? cell : '')

function addSheet(book: ExcelJS.Workbook, name: string, table: Table, frozenColumns: number): void {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1 }], pageSetup: PAGE_SETUP })
  sheet.addRow(table.header.map(plain))
  for (const row of table.rows) sheet.addRow(row.map(plain))
  sheet.getRow(1).font = { bold: true }
  sheet.getRow(1).alignment = { vertical: 'top', wrapText: true }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } }
  table.header.forEach((title, i) => {
    const longest = Math.max(title.length, ...table.rows.map((r) => String(r[i] ?? '').length))
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(6, longest + 2))
  })
}
