/**
 * The XLSX register as a planner prints it (page setup read back with ExcelJS), and as a stored
 * board with wrongly typed card fields leaves it: no export throws, and no cell is ever a formula
 * or hyperlink, whatever a field held.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { appendPaths, seedBoard } from '../../core/board-doc.ts'
import { readBoardView } from '../../core/board-view.ts'
import { validateTemplate } from '../../core/template.ts'
import { registerCsv, registerXlsx } from '../../server/export/register-files.ts'
import { cardRecord, write } from '../helpers/records.ts'

const HALLUNDA = validateTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'hallunda-norsborg.json'), 'utf8')), 'hallunda')

/** A board whose cards were stored without validation (written straight into the document). */
function hostileBoard() {
  const doc = new Y.Doc()
  seedBoard(doc, HALLUNDA, 'Årsuppföljning', 1_700_000_000_000)
  const [p1] = appendPaths(doc, ['Väg ett'])
  const odd: Record<string, unknown>[] = [
    { title: { formula: 'HYPERLINK("http://evil","x")', result: 'x' }, description: { hyperlink: 'http://evil', text: 'klicka' } },
    { title: ['=1+1'], responsible: { richText: [{ text: '=2+2' }] }, partners: null, year: '2026', status: 'hacked', tasks: null, paths: 'all' },
    { title: 42, description: true, sector: { id: 'x' }, year: 1e400, collaboration: 7, timeframe: {}, tasks: [], paths: { [p1]: 'yes' } },
    { title: '=HYPERLINK("http://evil","x")', description: { sharedFormula: 'A1' }, childRights: 'ja', tasks: { __proto__: { x: true } } },
  ]
  odd.forEach((props, i) => write(doc, cardRecord(`odd${i}`, { props: { w: 200, h: 150, ...props } })))
  return readBoardView(doc)!
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(bytes as unknown as ArrayBuffer)
  return book
}

describe('XLSX page setup', () => {
  it('prints on A4 landscape, one page wide with fitting switched on, the header row on every page, the title frozen', async () => {
    const book = await load(await registerXlsx(hostileBoard(), {}, 'sv'))
    for (const sheet of book.worksheets) {
      const setup = sheet.pageSetup
      expect(setup.paperSize, sheet.name).toBe(9)
      expect(setup.orientation, sheet.name).toBe('landscape')
      expect(setup.fitToPage, sheet.name).toBe(true)
      expect(setup.fitToWidth, sheet.name).toBe(1)
      expect(setup.fitToHeight, sheet.name).toBe(0)
      expect(setup.printTitlesRow, sheet.name).toBe('1:1')
    }
    // The frozen columns end with the activity's title.
    const [register, coverage] = book.worksheets
    const lastFrozen = (sheet: ExcelJS.Worksheet) => sheet.getCell(1, (sheet.views[0] as { xSplit: number }).xSplit).value
    expect(lastFrozen(register)).toBe('Aktivitet')
    expect(lastFrozen(coverage)).toBe('Aktivitet')
  })

  it('writes fitToPage into the sheet XML, where Excel and LibreOffice read it', async () => {
    const zip = await JSZip.loadAsync(await registerXlsx(hostileBoard(), {}, 'en'))
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string')
    expect(xml).toMatch(/<pageSetUpPr [^>]*fitToPage="1"/)
    expect(xml).toMatch(/<pageSetup [^>]*paperSize="9"[^>]*orientation="landscape"|<pageSetup [^>]*orientation="landscape"[^>]*paperSize="9"/)
    const workbook = await zip.file('xl/workbook.xml')!.async('string')
    expect(workbook).toMatch(/_xlnm\.Print_Titles/)
  })
})

describe('wrongly typed card fields from a stored board', () => {
  it('never make a formula or hyperlink cell, and every cell is text or a number', async () => {
    const bytes = await registerXlsx(hostileBoard(), { 'shape:card-odd0': { formula: '1' } as unknown as number }, 'sv')
    const book = await load(bytes)
    let cells = 0
    for (const sheet of book.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          cells++
          expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number], `${sheet.name}!${cell.address} ${JSON.stringify(cell.value)}`).toContain(cell.type)
          expect(cell.formula).toBeUndefined()
          expect(cell.hyperlink).toBeUndefined()
        }),
      )
    }
    expect(cells).toBeGreaterThan(20)
    const zip = await JSZip.loadAsync(bytes)
    for (const f of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/sheet'))) {
      const xml = await zip.file(f)!.async('string')
      expect(xml, f).not.toMatch(/<f[\s>/]|<hyperlink/)
    }
    expect(Object.keys(zip.files).some((n) => n.includes('_rels/sheet'))).toBe(false)
  })

  it('come out as their text, or empty, in the CSV too', () => {
    const csv = registerCsv(hostileBoard(), {}, 'sv', ',')
    expect(csv).not.toContain('[object Object]')
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`)
    expect(csv).toContain(',42,')
  })
})
