/**
 * The report made in process (server/report): a register long enough to run over several pages
 * repeats its header row on each of them while the structure tree holds it once; a stored board
 * with wrongly typed fields still makes a report; the matrix template and an empty board draw.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { defaultActivity } from '../../core/activity.ts'
import { appendPaths, seedBoard } from '../../core/board-doc.ts'
import { validateTemplate } from '../../core/template.ts'
import { reportHtml } from '../../server/report/html.ts'
import { reportPdf } from '../../server/report/pdf.ts'
import { reportFromState } from '../../server/report/report-data.ts'
import { cardRecord, write } from '../helpers/records.ts'

const template = (name: string) => validateTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', `${name}.json`), 'utf8')), name)
const dir = mkdtempSync(join(tmpdir(), 'snurra-report-unit-'))
const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 })

function board(name: string, cards: Record<string, unknown>[]) {
  const doc = new Y.Doc()
  seedBoard(doc, template(name), 'Uppföljning', 1_700_000_000_000)
  const paths = appendPaths(doc, ['Väg ett', 'Väg två'])
  cards.forEach((props, i) => write(doc, cardRecord(`c${i}`, { x: (i % 10) * 260, y: 1200 + Math.floor(i / 10) * 180, props: { ...defaultActivity(), paths: { [paths[i % 2]]: true }, ...props } })))
  return Y.encodeStateAsUpdate(doc)
}

async function pdfFile(state: Uint8Array, name: string): Promise<string> {
  const file = join(dir, `${name}.pdf`)
  writeFileSync(file, await reportPdf(reportFromState(state, 'sv', '2026-12-02', null)!, new Date()))
  return file
}

describe('a register over several pages', () => {
  it('shows its header row at the top of every register page, and tags it once', async () => {
    const cards = Array.from({ length: 90 }, (_, i) => ({ title: `Aktivitet ${String(i).padStart(2, '0')}`, description: 'Fler elever klarar skolan och fler vuxna får arbete. '.repeat(1 + (i % 3)) }))
    const file = await pdfFile(board('hallunda-norsborg', cards), 'long')
    const pages = Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', file))![1])
    const registerPages: number[] = []
    for (let n = 1; n <= pages; n++) {
      const text = run('pdftotext', '-f', String(n), '-l', String(n), '-layout', file, '-')
      // Pages of table rows (the register, then the coverage matrix), not the picture with its legend.
      if (/Aktivitet \d\d/.test(text) && !/antal aktiviteter/.test(text)) registerPages.push(n)
    }
    expect(registerPages.length).toBeGreaterThanOrEqual(4)
    for (const n of registerPages) {
      const text = run('pdftotext', '-f', String(n), '-l', String(n), '-layout', file, '-')
      const firstRow = text.split('\n').find((line) => /Aktivitet \d\d/.test(line))!
      const header = text.split('\n').findIndex((line) => /Aktivitet\s+(Önskat resultat|H1\s+H2)/.test(line))
      expect(header, `page ${n} has the header row`).toBeGreaterThanOrEqual(0)
      expect(header, `page ${n}: the header comes before the first row`).toBeLessThan(text.split('\n').indexOf(firstRow))
    }
    // In the structure the header row is there once: the repeats are artifacts.
    const struct = run('pdfinfo', '-struct', file)
    const tables = struct.split(/\n\s*Table\b/).slice(1)
    const registerTable = tables[0]
    expect((registerTable.match(/\bTR\b/g) ?? []).length).toBe(1 + 90)
  })
})

describe('cells', () => {
  it('are tall enough for their whole text in the font they are drawn in (bold row headers are wider)', async () => {
    const title = 'Föreningen Şafak – Łódź – Čapek – Ğ och Kőbányai ifjúsági kör med vänner'
    const file = await pdfFile(board('hallunda-norsborg', [{ title }]), 'bold')
    const text = run('pdftotext', file, '-').replace(/\s+/g, ' ')
    // Once in the register and once in the coverage matrix, never cut short with an ellipsis.
    expect(text.split(title).length - 1).toBeGreaterThanOrEqual(2)
  })
})

describe('odd boards', () => {
  it('makes a report from cards whose fields have the wrong types', async () => {
    const cards = [
      { title: { formula: 'HYPERLINK("http://evil")' }, description: ['x'], year: 'nu', status: 7, tasks: null, paths: 'all' },
      { title: 42, partners: { richText: [] }, childRights: 'ja', w: 'wide', h: -5 },
    ]
    const state = board('hallunda-norsborg', cards)
    const file = await pdfFile(state, 'odd')
    expect(run('pdfinfo', file)).toMatch(/^Tagged:\s+yes$/m)
    const text = run('pdftotext', file, '-')
    expect(text).toContain('42')
    expect(text).not.toContain('[object Object]')
    expect(reportHtml(reportFromState(state, 'en', '2026-12-02', null)!)).not.toContain('[object Object]')
  })

  it('draws the matrix template and an empty board', async () => {
    const matrix = await pdfFile(board('borlange-2022-2026', [{ title: 'Simhall', tasks: { [template('borlange-2022-2026').tasks[0].id]: true } }]), 'matrix')
    expect(run('pdftotext', matrix, '-')).toContain('Simhall')
    const empty = await pdfFile(board('blank', []), 'empty')
    expect(run('pdftotext', empty, '-')).toContain('Tavlan har inga aktiviteter ännu.')
  })
})
