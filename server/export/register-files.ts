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
  addSheet(book, translate(lang, 'register.sheet.activities'), registerTable(view, votes, t), 1)
  addSheet(book, translate(lang, 'register.sheet.coverage'), coverageMatrix(view, t), 1)
  return Buffer.from(await book.xlsx.writeBuffer())
}

function addSheet(book: ExcelJS.Workbook, name: string, table: Table, frozenColumns: number): void {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', xSplit: frozenColumns, ySplit: 1 }] })
  sheet.addRow(table.header)
  for (const row of table.rows) sheet.addRow(row)
  sheet.getRow(1).font = { bold: true }
  sheet.getRow(1).alignment = { vertical: 'top', wrapText: true }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } }
  table.header.forEach((title, i) => {
    const longest = Math.max(title.length, ...table.rows.map((r) => String(r[i] ?? '').length))
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(6, longest + 2))
  })
}
