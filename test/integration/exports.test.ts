/**
 * The planner's API against a real server process: the register as CSV and XLSX (read back cell
 * by cell with ExcelJS), the JSON backup and its restore, the CSV import (all or nothing, live to
 * connected clients), named versions (save, list, open, compare, export, restore) and erasure.
 * Boards are filled the way users fill them: stock y-websocket clients writing paths and cards,
 * facilitation intents for the vote.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { defaultActivity, type Activity } from '../../core/activity.ts'
import { decodeBackup, type BoardBackup } from '../../core/backup.ts'
import { metaOf, pathsOf, readPaths } from '../../core/board-meta.ts'
import { appendPaths } from '../../core/board-doc.ts'
import { isCardRecord } from '../../core/board-view.ts'
import { parseCsv } from '../../core/csv.ts'
import { FACILITATION_KEY } from '../../core/facilitation.ts'
import { newBoardId } from '../../core/ids.ts'
import { deleteRecord, readAllRecords, recordsOf, type JsonRecord } from '../../core/record-store.ts'
import { isTemplateShape } from '../../core/template-layer.ts'
import { signToken } from '../../server/tokens.ts'
import { closeCode, connectSynced, destroyAllClients, rawConnect, waitFor } from '../helpers/clients.ts'
import { cardRecord, has, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { querySqlite, sleep, stopAllServers, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'
import { destroyAllSnurraClients, deviceKey, snurraSynced } from '../helpers/snurra.ts'

let server: ServerHandle

beforeAll(async () => {
  // Rooms unload soon after the last client leaves, so exports, imports and erasure also meet
  // boards that are not in memory.
  server = await startInProcessServer({ env: { IDLE_UNLOAD_MS: '1000' } })
})
afterEach(() => {
  destroyAllSnurraClients()
  destroyAllClients()
})
afterAll(stopAllServers)

const TASKS = {
  uppvaxtvillkor: 'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor',
  jobbchanser: 'Bättre jobbchanser, inkomster och livsvillkor',
  samspel: 'Starkare samspel och känsla för platsen',
  stadsmiljo: 'Förnyad stadsmiljö',
}
const EVIL = '=HYPERLINK("http://evil","x")'
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const set = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, true as const]))
const card = (n: string) => `shape:card-${n}`
const TABLES = ['boards', 'snapshots', 'updates', 'board_state', 'versions'] as const
/** A deleted board's links: "no such board", or "deleted" where the server tells the two apart. */
// Gone, not unknown: the server remembers a deleted id so that browsers drop their copies.
const GONE_STATUSES = [410]
const GONE_CODES = [4410]

type Role = 'facilitator' | 'participant' | 'viewer'

const api = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init)
const q = (params: Record<string, string>) => new URLSearchParams(params).toString()

async function exportOf(boardId: string, token: string, params: Record<string, string> = {}): Promise<Response> {
  return api(`/api/boards/${boardId}/export?${q({ token, ...params })}`)
}
async function csvOf(boardId: string, token: string, params: Record<string, string> = {}) {
  const res = await exportOf(boardId, token, { format: 'csv', ...params })
  expect(res.status, await res.clone().text()).toBe(200)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
  const [header, ...rows] = parseCsv(text, params.delimiter === 'semicolon' ? ';' : ',').map((r) => r.fields)
  return { res, text, header, rows, row: (id: string) => rows.find((r) => r[0] === id) }
}
async function backupOf(boardId: string, token: string, params: Record<string, string> = {}): Promise<BoardBackup> {
  const res = await exportOf(boardId, token, { format: 'json', ...params })
  expect(res.status).toBe(200)
  return (await res.json()) as BoardBackup
}
const postImport = (boardId: string, token: string, format: string, body: BodyInit, headers: Record<string, string> = {}, extra: Record<string, string> = {}) =>
  api(`/api/boards/${boardId}/import?${q({ token, format, ...extra })}`, { method: 'POST', body, headers })
const postJson = (path: string, body: unknown) => api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })

const countBoards = () => querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n
const rowsOf = (boardId: string) =>
  Object.fromEntries(TABLES.map((t) => [t, querySqlite<{ n: number }>(server.dataDir, `SELECT COUNT(*) AS n FROM ${t} WHERE ${t === 'boards' ? 'id' : 'board_id'} = ?`, boardId)[0].n]))

function cardsIn(doc: Y.Doc): JsonRecord[] {
  return readAllRecords(doc).filter(isCardRecord)
}

/** A board document's data, to compare two decoded states (not their bytes). */
function docData(state: Uint8Array) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  const data = {
    shares: [...doc.share.keys()].sort(),
    records: readAllRecords(doc).sort((a, b) => (a.id < b.id ? -1 : 1)),
    meta: metaOf(doc).toJSON(),
    paths: pathsOf(doc).toJSON(),
    facilitation: doc.getMap(FACILITATION_KEY).toJSON(),
  }
  doc.destroy()
  return data
}

/**
 * Fills a board as users would: the facilitator's stock client pastes the paths and writes the
 * cards; a viewer's client seeing all of them means the server has stored them.
 */
async function fill(board: CreatedBoard, paths: string[], cards: Record<string, (pathIds: string[]) => Partial<Activity>>) {
  const facilitator = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
  const pathIds = appendPaths(facilitator.doc, paths)
  for (const [n, props] of Object.entries(cards)) write(facilitator.doc, cardRecord(n, { props: { ...defaultActivity(), ...props(pathIds) } }))
  const viewer = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
  await waitFor(() => Object.keys(cards).every((n) => has(viewer.doc, card(n))) && readPaths(viewer.doc).length === paths.length, 'the viewer to see every card and path')
  return { facilitator, viewer, pathIds }
}

/** Opens a vote with live results, casts `votes` (one participant per entry), closes it. */
async function vote(board: CreatedBoard, votes: string[][]) {
  const facilitator = await snurraSynced(server.wsUrl, board.id, board.tokens.facilitator, { person: deviceKey() })
  expect(await facilitator.intent({ type: 'vote.open', votesPerPerson: 3, allowMultiplePerCard: false, hideResultsUntilEnd: false, cardIds: null })).toMatchObject({ ok: true })
  for (const cards of votes) {
    const p = await snurraSynced(server.wsUrl, board.id, board.tokens.participant, { person: deviceKey() })
    for (const c of cards) expect(await p.intent({ type: 'vote.cast', cardId: card(c) })).toMatchObject({ ok: true })
  }
  expect(await facilitator.intent({ type: 'vote.close' })).toMatchObject({ ok: true })
  await facilitator.barrier()
  facilitator.close()
}

/** The shared board of the export tests: every field, formula-like titles, a closed vote. */
let rich: CreatedBoard

async function richBoard(): Promise<CreatedBoard> {
  if (rich) return rich
  const board = await server.createBoard('Workshop Hällunda 2026')
  const { facilitator, viewer } = await fill(board, ['Väg ett', 'Väg två', 'Väg tre'], {
    lax: ([p1, , p3]) => ({
      title: 'Läxhjälp',
      description: 'Fler elever klarar skolan',
      sector: 'bildning',
      responsible: 'Utbildningsnämnden',
      partners: 'Biblioteket; studieförbund',
      collaboration: 'with-others',
      timeframe: 'near',
      year: 2026,
      status: 'ongoing',
      childRights: true,
      tasks: set('uppvaxtvillkor'),
      paths: set(p1, p3),
    }),
    arb: ([, p2]) => ({ title: 'Arbetsmarknadsdagar', sector: 'sociala', status: 'planned', tasks: set('jobbchanser', 'samspel'), paths: set(p2) }),
    evil: ([p1]) => ({ title: EVIL, description: '@SUM(1)', partners: '-2+3', responsible: '+46 8 530 610 00', tasks: set('stadsmiljo'), paths: set(p1) }),
    sum: () => ({ title: '@SUM(1)' }),
    neg: () => ({ title: '-2+3', description: 'rad ett\nrad två, "citat"' }),
  })
  await vote(board, [
    ['lax', 'arb'],
    ['lax', 'evil'],
  ])
  await waitFor(() => viewer.doc.getMap(FACILITATION_KEY).toJSON().vote?.status === 'closed', 'the viewer to see the closed vote')
  facilitator.destroy()
  viewer.destroy()
  rich = board
  return board
}

// ---------------------------------------------------------------------------------------------

describe('CSV export', () => {
  it('is the register: headers in the language asked for, one row per activity, hits, votes, formulas neutralised', async () => {
    const board = await richBoard()
    const { res, text, header, rows, row } = await csvOf(board.id, board.tokens.facilitator)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="workshop-hallunda-2026-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''workshop-h%C3%A4llunda-2026-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/"[^"]*"/g, '').split('\n').slice(0, -1).every((line) => line.endsWith('\r'))).toBe(true)

    expect(header).toEqual([
      'Id',
      'Aktivitet',
      'Önskat resultat',
      'Sektor',
      'Ansvarig nämnd',
      'Samverkansparter',
      'Egen eller med andra',
      'Tidsperspektiv',
      'År',
      'Status',
      'Berör barn och unga',
      ...Object.values(TASKS).map((t) => `Huvuduppgift: ${t}`),
      'Handlingsväg: Väg ett',
      'Handlingsväg: Väg två',
      'Handlingsväg: Väg tre',
      'Antal handlingsvägar',
      'Röster',
    ])
    expect(rows.map((r) => r[0]).sort()).toEqual(['arb', 'evil', 'lax', 'neg', 'sum'].map(card).sort())
    expect(rows.every((r) => r.length === header.length)).toBe(true)
    expect(row(card('lax'))).toEqual([
      card('lax'),
      'Läxhjälp',
      'Fler elever klarar skolan',
      'Bildningssektorn',
      'Utbildningsnämnden',
      'Biblioteket; studieförbund',
      'Tillsammans med andra aktörer',
      'I närtid',
      '2026',
      'Pågår',
      'Ja',
      '1',
      '',
      '',
      '',
      '1',
      '',
      '1',
      '2',
      '2',
    ])
    expect(row(card('arb'))!.slice(9)).toEqual(['Planerad', '', '', '1', '1', '', '', '1', '', '1', '1'])
    expect(row(card('sum'))!.slice(-2)).toEqual(['0', '0'])
    expect(row(card('neg'))!.slice(1, 3)).toEqual(["'-2+3", 'rad ett\nrad två, "citat"'])

    // Formula-like text: an apostrophe first, so no spreadsheet runs it; nothing else is touched.
    expect(text).toContain(`"'=HYPERLINK(""http://evil"",""x"")"`)
    expect(row(card('evil'))!.slice(1, 6)).toEqual([`'${EVIL}`, "'@SUM(1)", '', "'+46 8 530 610 00", "'-2+3"])
    expect(row(card('evil'))!.slice(-2)).toEqual(['1', '1'])
    expect(row(card('sum'))![1]).toBe("'@SUM(1)")
    for (const r of [header, ...rows]) for (const field of r) expect(field).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('lang=en and delimiter=semicolon', async () => {
    const board = await richBoard()
    const { text, header, row } = await csvOf(board.id, board.tokens.viewer, { lang: 'en', delimiter: 'semicolon' })
    expect(text.slice(1).split('\r\n')[0]).toBe(header.join(';'))
    expect(header.slice(0, 3)).toEqual(['Id', 'Activity', 'Intended result'])
    expect(header.slice(-5)).toEqual(['Action path: Väg ett', 'Action path: Väg två', 'Action path: Väg tre', 'Action paths hit', 'Votes'])
    expect(row(card('lax'))!.slice(5, 11)).toEqual(['Biblioteket; studieförbund', 'Together with other actors', 'Near term', '2026', 'Ongoing', 'Yes'])
    expect(text).toContain(';"Biblioteket; studieförbund";')
  })

  it('every role may export; a bad token, a bad format and an unknown board may not', async () => {
    const board = await richBoard()
    for (const role of ['participant', 'viewer'] as const) {
      for (const format of ['csv', 'xlsx', 'json']) {
        const res = await exportOf(board.id, board.tokens[role], { format })
        await res.arrayBuffer()
        expect(res.status, `${role} ${format}`).toBe(200)
      }
    }
    const status = async (res: Promise<Response>) => (await res).status
    expect(await status(exportOf(board.id, 'nope.nope', { format: 'csv' }))).toBe(401)
    expect(await status(api(`/api/boards/${board.id}/export?format=csv`))).toBe(401)
    expect(await status(exportOf(board.id, board.tokens.viewer, { format: 'docx' }))).toBe(400)
    expect(await status(exportOf(board.id, board.tokens.viewer, { format: 'csv', delimiter: 'tab' }))).toBe(400)
    expect(await status(exportOf(board.id, board.tokens.viewer, { format: 'csv', version: 'no-such-version' }))).toBe(404)
    const ghost = newBoardId()
    const ghostToken = signToken(Buffer.from(server.secret, 'utf8'), { boardId: ghost, role: 'facilitator', expiresAt: Date.now() + 60_000 })
    expect(await status(exportOf(ghost, ghostToken, { format: 'csv' }))).toBe(404)
  })
})

// ---------------------------------------------------------------------------------------------

describe('XLSX export', () => {
  it('has the register and the coverage matrix, frozen headers, filters, text cells and no formula anywhere', async () => {
    const board = await richBoard()
    const res = await exportOf(board.id, board.tokens.participant, { format: 'xlsx' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE)
    expect(res.headers.get('content-disposition')).toMatch(/filename="workshop-hallunda-2026-\d{4}-\d{2}-\d{2}\.xlsx"/)
    const bytes = Buffer.from(await res.arrayBuffer())
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(bytes as unknown as ArrayBuffer)
    expect(book.worksheets.map((s) => s.name)).toEqual(['Aktiviteter', 'Täckning'])

    const values = (sheet: ExcelJS.Worksheet) => {
      const out: (string | number)[][] = []
      for (let r = 1; r <= sheet.rowCount; r++) {
        const row: (string | number)[] = []
        for (let c = 1; c <= sheet.columnCount; c++) {
          const v = sheet.getCell(r, c).value
          row.push(v === null || v === undefined ? '' : (v as string | number))
        }
        out.push(row)
      }
      return out
    }

    // Sheet 1: the same table as the CSV, cell by cell, but as plain values: text as it was typed
    // (no apostrophe: text cells never run), numbers as numbers.
    const activities = book.getWorksheet('Aktiviteter')!
    const csv = await csvOf(board.id, board.tokens.participant)
    const numeric = (col: number) => col === 8 || col >= 11
    const expected = [csv.header, ...csv.rows].map((r, i) =>
      r.map((f, col) => (i > 0 && numeric(col) && f !== '' ? Number(f) : /^'[=+\-@\t\r]/.test(f) ? f.slice(1) : f)),
    )
    const sheet1 = values(activities)
    expect(sheet1).toEqual(expected)
    const laxRow = sheet1.find((r) => r[0] === card('lax'))!
    expect(laxRow.slice(1, 11)).toEqual(['Läxhjälp', 'Fler elever klarar skolan', 'Bildningssektorn', 'Utbildningsnämnden', 'Biblioteket; studieförbund', 'Tillsammans med andra aktörer', 'I närtid', 2026, 'Pågår', 'Ja'])
    expect(laxRow.slice(11)).toEqual([1, '', '', '', 1, '', 1, 2, 2])
    expect(sheet1.find((r) => r[0] === card('evil'))!.slice(1, 6)).toEqual([EVIL, '@SUM(1)', '', '+46 8 530 610 00', '-2+3'])
    expect(sheet1.find((r) => r[0] === card('sum'))![1]).toBe('@SUM(1)')

    // Sheet 2: activities × tasks and paths, a totals row per task and path.
    const coverage = book.getWorksheet('Täckning')!
    const sheet2 = values(coverage)
    expect(sheet2[0]).toEqual(['Aktivitet', ...Object.values(TASKS).map((t) => `Huvuduppgift: ${t}`), 'Handlingsväg: Väg ett', 'Handlingsväg: Väg två', 'Handlingsväg: Väg tre', 'Antal handlingsvägar'])
    expect(sheet2).toHaveLength(1 + 5 + 1)
    expect(sheet2.find((r) => r[0] === 'Läxhjälp')).toEqual(['Läxhjälp', 1, '', '', '', 1, '', 1, 2])
    expect(sheet2.find((r) => r[0] === EVIL)).toEqual([EVIL, '', '', '', 1, 1, '', '', 1])
    expect(sheet2.at(-1)).toEqual(['Summa', 1, 1, 1, 1, 2, 1, 1, 4])
    // The same activities in the same order on both sheets.
    expect(sheet2.slice(1, -1).map((r) => r[0])).toEqual(sheet1.slice(1).map((r) => r[1]))

    for (const sheet of [activities, coverage]) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
      expect(sheet.autoFilter, `${sheet.name} has an auto-filter on its whole header`).toBe(`A1:${sheet.getCell(1, sheet.columnCount).address}`)
      expect(sheet.getRow(1).font?.bold).toBe(true)
      for (let c = 1; c <= sheet.columnCount; c++) expect(sheet.getColumn(c).width).toBeGreaterThanOrEqual(6)
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula)
          expect(cell.formula, `${sheet.name}!${cell.address}`).toBeUndefined()
        }),
      )
    }

    // The raw XML: no formula element in any sheet, the filter on row 1, the formula-like titles as text.
    const zip = await JSZip.loadAsync(bytes)
    const sheetFiles = Object.keys(zip.files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f))
    expect(sheetFiles).toHaveLength(2)
    for (const f of sheetFiles) {
      const xml = await zip.file(f)!.async('string')
      expect(xml, f).not.toMatch(/<f[\s>/]/)
      expect(xml, f).toMatch(/<autoFilter ref="A1:[A-Z]+1"\/>/)
      expect(xml, f).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/)
    }
    const strings = await zip.file('xl/sharedStrings.xml')?.async('string')
    const allXml = (strings ?? '') + (await Promise.all(sheetFiles.map((f) => zip.file(f)!.async('string')))).join('')
    expect(allXml).toContain('=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)')
  })

  it('lang=en names the sheets and headers in English', async () => {
    const board = await richBoard()
    const res = await exportOf(board.id, board.tokens.viewer, { format: 'xlsx', lang: 'en' })
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(await res.arrayBuffer())
    expect(book.worksheets.map((s) => s.name)).toEqual(['Activities', 'Coverage'])
    expect(book.worksheets[0].getCell('B1').value).toBe('Activity')
    expect(book.worksheets[1].getCell(book.worksheets[1].rowCount, 1).value).toBe('Total')
  })
})

// ---------------------------------------------------------------------------------------------

describe('JSON backup', () => {
  it('restores exactly: export → import as a new board → export gives the same data and versions', async () => {
    const board = await richBoard()
    const saved = await postJson(`/api/boards/${board.id}/versions?token=${board.tokens.facilitator}`, { name: 'Workshop 2026-11-23' })
    expect(saved.status).toBe(201)
    const res = await exportOf(board.id, board.tokens.facilitator, { format: 'json' })
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/filename="workshop-hallunda-2026-\d{4}-\d{2}-\d{2}\.json"/)
    const text = await res.text()
    const backup = JSON.parse(text) as BoardBackup
    expect(backup).toMatchObject({ format: 'snurra-board', version: 1, board: { id: board.id, title: 'Workshop Hällunda 2026', templateId: 'hallunda-norsborg' } })
    expect(backup.versions.map((v) => v.name)).toEqual(['Workshop 2026-11-23'])

    const before = countBoards()
    const imported = await postImport(board.id, board.tokens.facilitator, 'json', text, { 'Content-Type': 'application/json' })
    expect(imported.status).toBe(201)
    const { id, links } = (await imported.json()) as { id: string; links: Record<Role, string> }
    expect(id).not.toBe(board.id)
    expect(countBoards()).toBe(before + 1)
    const tokens = {} as Record<Role, string>
    for (const role of ['facilitator', 'participant', 'viewer'] as const) {
      const url = new URL(links[role])
      expect(url.pathname).toContain(id)
      tokens[role] = url.searchParams.get('token')!
      const session = await api(`/api/boards/${id}/session?token=${tokens[role]}`)
      expect(await session.json()).toMatchObject({ boardId: id, role, title: 'Workshop Hällunda 2026' })
    }

    const again = await backupOf(id, tokens.viewer)
    expect(again.board).toEqual({ ...backup.board, id })
    const a = decodeBackup(backup)
    const b = decodeBackup(again)
    const original = docData(a.state)
    expect(original.records.filter(isCardRecord)).toHaveLength(5)
    expect(Object.keys(original.paths)).toHaveLength(3)
    expect(original.facilitation.vote).toMatchObject({ status: 'closed', results: { [card('lax')]: 2, [card('arb')]: 1, [card('evil')]: 1 } })
    expect(docData(b.state)).toEqual(original)
    expect(b.versions.map((v) => ({ id: v.id, name: v.name, createdAt: v.createdAt }))).toEqual(a.versions.map((v) => ({ id: v.id, name: v.name, createdAt: v.createdAt })))
    b.versions.forEach((v, i) => expect(docData(v.state)).toEqual(docData(a.versions[i].state)))
    const versions = await (await api(`/api/boards/${id}/versions?token=${tokens.viewer}`)).json()
    expect(versions).toEqual([await saved.json()])

    // The register of the copy is the register of the original (ids and votes included).
    expect((await csvOf(id, tokens.viewer)).rows).toEqual((await csvOf(board.id, board.tokens.viewer)).rows)

    // Live: a client of the restored board gets the cards.
    const client = await connectSynced(server.wsUrl, id, tokens.participant)
    await waitFor(() => ['lax', 'arb', 'evil', 'sum', 'neg'].every((n) => has(client.doc, card(n))), 'the restored cards')
    expect(readPaths(client.doc).map((p) => p.label)).toEqual(['Väg ett', 'Väg två', 'Väg tre'])
  })

  it('refuses what is not a whole board backup with 400 and makes no board', async () => {
    const board = await richBoard()
    const good = await backupOf(board.id, board.tokens.facilitator)
    const other = new Y.Doc()
    other.getMap('records').set('x', 1)
    const notABoard = Buffer.from(Y.encodeStateAsUpdate(other)).toString('base64')
    const cases: [string, string][] = [
      ['not JSON', '{"format": "snurra-board", '],
      ['JSON but not an object', '[1, 2, 3]'],
      ['a wrong format', JSON.stringify({ ...good, format: 'miro-board' })],
      ['a truncated document', JSON.stringify({ ...good, document: good.document.slice(0, Math.floor(good.document.length * 0.6)) })],
      ['a document that is not base64', JSON.stringify({ ...good, document: '%%%' })],
      ['a Yjs document that is not a board', JSON.stringify({ ...good, document: notABoard })],
      ['a truncated version', JSON.stringify({ ...good, versions: [{ id: 'v', name: 'v', createdAt: 1, document: good.document.slice(0, 40) }] })],
      ['two versions with one id', JSON.stringify({ ...good, versions: [1, 2].map((n) => ({ id: 'v', name: `v${n}`, createdAt: n, document: good.document })) })],
    ]
    const before = countBoards()
    for (const [what, body] of cases) {
      const res = await postImport(board.id, board.tokens.facilitator, 'json', body, { 'Content-Type': 'application/json' })
      const answer = (await res.json()) as { error: string }
      expect(res.status, what).toBe(400)
      expect(answer.error, what).toMatch(/backup|JSON/)
    }
    const wrongType = await postImport(board.id, board.tokens.facilitator, 'json', JSON.stringify(good), { 'Content-Type': 'text/plain' })
    expect(wrongType.status).toBe(415)
    for (const role of ['participant', 'viewer'] as const) {
      const res = await postImport(board.id, board.tokens[role], 'json', JSON.stringify(good), { 'Content-Type': 'application/json' })
      expect(res.status, role).toBe(403)
    }
    expect(countBoards()).toBe(before)
  })
})

// ---------------------------------------------------------------------------------------------

describe('CSV import', () => {
  it('adds the activities to the board, live to connected clients, placed clear of the template; a bad file changes nothing', async () => {
    const board = await server.createBoard('Import')
    const { facilitator, viewer } = await fill(board, ['Väg ett', 'Väg två'], { egen: () => ({ title: 'Finns redan' }) })
    const [p1, p2] = readPaths(viewer.doc).map((p) => p.id)
    const existing = cardsIn(viewer.doc).length

    const csv = [
      `Aktivitet;Sektor;Status;År;Berör barn och unga;Huvuduppgift: ${TASKS.samspel};Handlingsväg: Väg ett;Väg två`,
      'Läxhjälp;Bildningssektorn;Pågår;2026;Ja;1;1;',
      'Fritidsgård;sociala;planned;;;;1;1',
      '"Öppet hus; ""för alla""";;Done;2027;no;;;x',
    ].join('\r\n')
    const res = await postImport(board.id, board.tokens.facilitator, 'csv', csv, { 'Content-Type': 'text/csv' })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(await res.json()).toEqual({ added: 3 })

    for (const client of [viewer, facilitator]) await waitFor(() => cardsIn(client.doc).length === existing + 3, 'the imported cards on a connected client')
    const byTitle = Object.fromEntries(cardsIn(viewer.doc).map((r) => [(r.props as Activity).title, r]))
    const props = (title: string) => {
      const { w: _w, h: _h, ...rest } = byTitle[title].props as Activity & { w: number; h: number }
      return rest
    }
    expect(props('Läxhjälp')).toEqual({ ...defaultActivity(), title: 'Läxhjälp', sector: 'bildning', status: 'ongoing', year: 2026, childRights: true, tasks: set('samspel'), paths: set(p1) })
    expect(props('Fritidsgård')).toEqual({ ...defaultActivity(), title: 'Fritidsgård', sector: 'sociala', status: 'planned', paths: set(p1, p2) })
    expect(props('Öppet hus; "för alla"')).toEqual({ ...defaultActivity(), title: 'Öppet hus; "för alla"', status: 'done', year: 2027, paths: set(p2) })

    // Placed right of everything: no imported card covers the template or a card that was there.
    const box = (r: JsonRecord) => ({ x: r.x as number, y: r.y as number, w: (r.props as { w: number }).w, h: (r.props as { h: number }).h })
    const overlaps = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    const imported = ['Läxhjälp', 'Fritidsgård', 'Öppet hus; "för alla"'].map((t) => byTitle[t])
    const importedIds = new Set(imported.map((r) => r.id))
    const others = readAllRecords(viewer.doc).filter((r) => r.typeName === 'shape' && !importedIds.has(r.id))
    expect(others).toHaveLength(readAllRecords(viewer.doc).filter((r) => r.typeName === 'shape').length - 3)
    expect(others.filter(isTemplateShape).length).toBeGreaterThan(4)
    for (const c of imported) {
      for (const o of others) expect(overlaps(box(c), box(o)), `${(c.props as Activity).title} over ${o.id}`).toBe(false)
      expect(others.every((o) => (c.index as string) > (o.index as string))).toBe(true)
    }

    // A file with bad rows: every bad line with its number and reason, and not one card added.
    const bad = [
      'Aktivitet,Status,År,Handlingsväg: Väg ett', // 1
      'Ska inte komma in,idea,2026,1', // 2
      ',idea,2026,', // 3: no title
      '"Flera', // 4
      'rader",Kanske,2026,', // 5: bad status (the record starts on line 4)
      'Bra,planned,2026,1', // 6
      'Fel år,idea,tjugo,ja tack', // 7: two problems
    ].join('\r\n')
    const refused = await postImport(board.id, board.tokens.facilitator, 'csv', bad)
    expect(refused.status).toBe(422)
    const answer = (await refused.json()) as { error: string; errors: { line: number; message: string }[] }
    expect(answer.error).toMatch(/nothing was imported/)
    expect(answer.errors.map((e) => e.line)).toEqual([3, 4, 7, 7])
    expect(answer.errors[0].message).toBe('Aktiviteten saknar namn.')
    expect(answer.errors[1].message).toBe('”Kanske” går inte att använda i kolumnen ”Status”.')
    expect(answer.errors[2].message).toMatch(/tjugo/)
    expect(answer.errors[3].message).toMatch(/ja tack/)
    const english = (await (await postImport(board.id, board.tokens.facilitator, 'csv', bad, {}, { lang: 'en' })).json()) as typeof answer
    expect(english.errors[0]).toEqual({ line: 3, message: 'The activity has no name.' })

    const rowsAfter = (await csvOf(board.id, board.tokens.viewer)).rows
    expect(rowsAfter.map((r) => r[1]).sort()).toEqual(['Finns redan', 'Fritidsgård', 'Läxhjälp', 'Öppet hus; "för alla"'].sort())
    await sleep(200)
    expect(cardsIn(viewer.doc)).toHaveLength(existing + 3)
  })

  it('only the facilitator imports; bad token 401, unknown board 404, too large 413, not UTF-8 400', async () => {
    const board = await server.createBoard('Import-regler')
    const csv = 'Aktivitet\r\nEn aktivitet\r\n'
    const status = async (res: Promise<Response>) => {
      const r = await res
      await r.arrayBuffer()
      return r.status
    }
    expect(await status(postImport(board.id, board.tokens.participant, 'csv', csv))).toBe(403)
    expect(await status(postImport(board.id, board.tokens.viewer, 'csv', csv))).toBe(403)
    expect(await status(postImport(board.id, 'x.y', 'csv', csv))).toBe(401)
    expect(await status(postImport(board.id, rich?.tokens.facilitator ?? 'x.y', 'csv', csv))).toBe(401) // another board's token
    const ghost = newBoardId()
    expect(await status(postImport(ghost, signToken(Buffer.from(server.secret, 'utf8'), { boardId: ghost, role: 'facilitator', expiresAt: Date.now() + 60_000 }), 'csv', csv))).toBe(404)
    expect(await status(postImport(board.id, board.tokens.facilitator, 'xml', csv))).toBe(400)
    const latin1 = Buffer.from('Aktivitet\r\nL\xe4xhj\xe4lp p\xe5 biblioteket\r\n', 'latin1')
    const notUtf8 = await postImport(board.id, board.tokens.facilitator, 'csv', latin1)
    expect(notUtf8.status).toBe(400)
    expect(((await notUtf8.json()) as { error: string }).error).toMatch(/UTF-8/)
    const huge = Buffer.alloc(5 * 1024 * 1024 + 1, 'a')
    expect(await status(postImport(board.id, board.tokens.facilitator, 'csv', huge))).toBe(413)
    // Nothing was added by any of these.
    expect((await csvOf(board.id, board.tokens.viewer)).rows).toEqual([])
    // And the same file with the facilitator's token goes in (UTF-8 with a BOM, as Excel saves it).
    expect(await status(postImport(board.id, board.tokens.facilitator, 'csv', '\uFEFF' + csv))).toBe(200)
    expect((await csvOf(board.id, board.tokens.viewer)).rows.map((r) => r[1])).toEqual(['En aktivitet'])
  })

  it('an exported register imports back into a board with the same paths, with the same activities', async () => {
    const source = await richBoard()
    const exported = await exportOf(source.id, source.tokens.viewer, { format: 'csv', delimiter: 'semicolon', lang: 'en' })
    const text = await exported.text()
    const target = await server.createBoard('Kopia')
    const { viewer } = await fill(target, ['Väg tre', 'Väg ett', 'Väg två'], {})
    const res = await postImport(target.id, target.tokens.facilitator, 'csv', text)
    expect(await res.json()).toEqual({ added: 5 })
    await waitFor(() => cardsIn(viewer.doc).length === 5, 'the five imported cards')
    const labels = new Map(readPaths(viewer.doc).map((p) => [p.id, p.label]))
    const got = cardsIn(viewer.doc)
      .map((r) => {
        const { w: _w, h: _h, ...a } = r.props as Activity & { w: number; h: number }
        return { ...a, paths: Object.keys(a.paths).map((id) => labels.get(id)).sort() }
      })
      .sort((x, y) => (x.title < y.title ? -1 : 1))
    const sourceBackup = decodeBackup(await backupOf(source.id, source.tokens.viewer))
    const sourceDoc = docData(sourceBackup.state)
    const sourceLabels = new Map(Object.entries(sourceDoc.paths as Record<string, { label: string }>).map(([id, p]) => [id, p.label]))
    const want = sourceDoc.records
      .filter(isCardRecord)
      .map((r) => {
        const { w: _w, h: _h, ...a } = r.props as Activity & { w: number; h: number }
        return { ...a, paths: Object.keys(a.paths).map((id) => sourceLabels.get(id)).sort() }
      })
      .sort((x, y) => (x.title < y.title ? -1 : 1))
    expect(got).toEqual(want)
  })
})

// ---------------------------------------------------------------------------------------------

describe('named versions', () => {
  it('save, list, open, compare with now, export an old version, restore one as a new board', async () => {
    const board = await server.createBoard('Uppföljning')
    const { facilitator, viewer, pathIds } = await fill(board, ['Väg ett', 'Väg två'], {
      lax: ([p1]) => ({ title: 'Läxhjälp', status: 'ongoing', paths: set(p1) }),
      arb: ([, p2]) => ({ title: 'Arbetsmarknadsdagar', paths: set(p2) }),
      oförändrad: () => ({ title: 'Oförändrad' }),
    })
    const [p1, p2] = pathIds
    const versionsPath = (token: string) => `/api/boards/${board.id}/versions?token=${token}`

    expect((await postJson(versionsPath(board.tokens.participant), { name: 'Inte tillåtet' })).status).toBe(403)
    expect((await postJson(versionsPath(board.tokens.viewer), { name: 'Inte tillåtet' })).status).toBe(403)
    expect((await postJson(versionsPath(board.tokens.facilitator), { name: '   ' })).status).toBe(400)
    const savedRes = await postJson(versionsPath(board.tokens.facilitator), { name: ' Workshop 2026-11-23 ' })
    expect(savedRes.status).toBe(201)
    const saved = (await savedRes.json()) as { id: string; name: string; createdAt: number }
    expect(saved).toEqual({ id: expect.any(String), name: 'Workshop 2026-11-23', createdAt: expect.any(Number) })

    for (const role of ['facilitator', 'participant', 'viewer'] as const) {
      const list = await api(versionsPath(board.tokens[role]))
      expect(list.status).toBe(200)
      expect(await list.json()).toEqual([saved])
    }
    const opened = await api(`/api/boards/${board.id}/versions/${saved.id}?token=${board.tokens.viewer}`)
    expect(opened.status).toBe(200)
    const version = (await opened.json()) as BoardBackup & { savedVersion: typeof saved }
    expect(version).toMatchObject({ format: 'snurra-board', version: 1, board: { id: board.id, title: 'Uppföljning' }, versions: [], savedVersion: saved })
    expect(docData(decodeBackup(version).state).records.filter(isCardRecord).map((r) => r.id).sort()).toEqual(['arb', 'lax', 'oförändrad'].map(card).sort())
    expect((await api(`/api/boards/${board.id}/versions/nope?token=${board.tokens.viewer}`)).status).toBe(404)

    // The board moves on: one activity done and hitting both paths, one dropped, one new.
    const laxNow = readAllRecords(facilitator.doc).find((r) => r.id === card('lax'))!
    write(facilitator.doc, { ...laxNow, props: { ...(laxNow.props as object), status: 'done', paths: set(p1, p2) } })
    facilitator.doc.transact(() => deleteRecord(recordsOf(facilitator.doc), card('arb')))
    write(facilitator.doc, cardRecord('ny', { props: { title: 'Ny mötesplats' } }))
    await waitFor(() => has(viewer.doc, card('ny')) && !has(viewer.doc, card('arb')) && (readAllRecords(viewer.doc).find((r) => r.id === card('lax'))!.props as Activity).status === 'done', 'the viewer to see the changes')

    const compared = await api(`/api/boards/${board.id}/compare?${q({ token: board.tokens.participant, from: saved.id, to: 'current' })}`)
    expect(compared.status).toBe(200)
    expect(await compared.json()).toEqual({
      from: { id: saved.id, name: 'Workshop 2026-11-23' },
      to: { id: 'current', name: null },
      added: [{ id: card('ny'), title: 'Ny mötesplats' }],
      removed: [{ id: card('arb'), title: 'Arbetsmarknadsdagar' }],
      changed: [
        {
          id: card('lax'),
          title: 'Läxhjälp',
          changes: [
            { field: 'status', before: 'ongoing', after: 'done' },
            { field: 'paths', before: ['Väg ett'], after: ['Väg ett', 'Väg två'] },
          ],
        },
      ],
    })
    const reversed = (await (await api(`/api/boards/${board.id}/compare?${q({ token: board.tokens.viewer, from: 'current', to: saved.id })}`)).json()) as { added: unknown[]; removed: unknown[] }
    expect(reversed.added).toEqual([{ id: card('arb'), title: 'Arbetsmarknadsdagar' }])
    expect(reversed.removed).toEqual([{ id: card('ny'), title: 'Ny mötesplats' }])
    expect((await api(`/api/boards/${board.id}/compare?${q({ token: board.tokens.viewer })}`)).status).toBe(400)
    expect((await api(`/api/boards/${board.id}/compare?${q({ token: board.tokens.viewer, from: 'nope' })}`)).status).toBe(404)

    // Exports of the version give the old data; of the board, the new.
    const old = await csvOf(board.id, board.tokens.viewer, { version: saved.id })
    expect(old.res.headers.get('content-disposition')).toMatch(/filename="uppfoljning-workshop-2026-11-23-\d{4}-\d{2}-\d{2}\.csv"/)
    expect(old.rows.map((r) => r[1])).toEqual(['Arbetsmarknadsdagar', 'Läxhjälp', 'Oförändrad'])
    expect(old.row(card('lax'))![9]).toBe('Pågår')
    const now = await csvOf(board.id, board.tokens.viewer)
    expect(now.rows.map((r) => r[1])).toEqual(['Läxhjälp', 'Ny mötesplats', 'Oförändrad'])
    expect(now.row(card('lax'))![9]).toBe('Genomförd')
    const oldBackup = await backupOf(board.id, board.tokens.viewer, { version: saved.id })
    expect(oldBackup.versions).toEqual([])
    expect(docData(decodeBackup(oldBackup).state).records).toEqual(docData(decodeBackup(version).state).records)

    // Restore as a new board (facilitator only), titled after the version.
    expect((await api(`/api/boards/${board.id}/versions/${saved.id}/restore?token=${board.tokens.participant}`, { method: 'POST' })).status).toBe(403)
    expect((await api(`/api/boards/${board.id}/versions/nope/restore?token=${board.tokens.facilitator}`, { method: 'POST' })).status).toBe(404)
    const restoredRes = await api(`/api/boards/${board.id}/versions/${saved.id}/restore?token=${board.tokens.facilitator}`, { method: 'POST' })
    expect(restoredRes.status).toBe(201)
    const restored = (await restoredRes.json()) as { id: string; links: Record<Role, string> }
    expect(restored.id).not.toBe(board.id)
    const token = (role: Role) => new URL(restored.links[role]).searchParams.get('token')!
    const session = (await (await api(`/api/boards/${restored.id}/session?token=${token('viewer')}`)).json()) as { title: string }
    expect(session.title).toBe('Uppföljning – Workshop 2026-11-23')
    const copy = await csvOf(restored.id, token('viewer'))
    expect(copy.rows).toEqual(old.rows)
    const copyDoc = docData(decodeBackup(await backupOf(restored.id, token('viewer'))).state)
    expect(copyDoc.meta.title).toBe('Uppföljning – Workshop 2026-11-23')
    expect(copyDoc.records).toEqual(docData(decodeBackup(version).state).records)
    // The original board and its version are as they were.
    expect((await csvOf(board.id, board.tokens.viewer)).rows).toEqual(now.rows)
    expect(await (await api(versionsPath(board.tokens.viewer))).json()).toEqual([saved])
    expect(await (await api(`/api/boards/${restored.id}/versions?token=${token('viewer')}`)).json()).toEqual([])
    const client = await connectSynced(server.wsUrl, restored.id, token('participant'))
    await waitFor(() => has(client.doc, card('arb')) && !has(client.doc, card('ny')), 'the restored version on a live client')
  })
})

// ---------------------------------------------------------------------------------------------

describe('deleting a board', () => {
  it('erases the board, its versions and its people’s data, closes its sockets, and its links stop working', async () => {
    const MARKER = `raderas-${Date.now().toString(36)}`
    const board = await server.createBoard(`Radera ${MARKER}`)
    const keep = await server.createBoard('Behåll')
    const { facilitator } = await fill(board, ['Väg ett'], { hemlig: ([p1]) => ({ title: `Hemlig ${MARKER}`, paths: set(p1) }) })
    const kept = await fill(keep, ['Väg ett'], { kvar: () => ({ title: 'Kvar' }) })
    for (const b of [board, keep]) expect((await postJson(`/api/boards/${b.id}/versions?token=${b.tokens.facilitator}`, { name: b === board ? `v ${MARKER}` : 'v behåll' })).status).toBe(201)

    // Data about people: ballots of a hidden vote, and a private draft.
    const person = deviceKey()
    const host = await snurraSynced(server.wsUrl, board.id, board.tokens.facilitator, { person: deviceKey() })
    expect(await host.intent({ type: 'vote.open', votesPerPerson: 1, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null })).toMatchObject({ ok: true })
    const voter = await snurraSynced(server.wsUrl, board.id, board.tokens.participant, { person })
    expect(await voter.intent({ type: 'vote.cast', cardId: card('hemlig') })).toMatchObject({ ok: true })
    const drafts = await snurraSynced(server.wsUrl, board.id, board.tokens.participant, { person, private: true })
    drafts.change((doc) => write(doc, cardRecord('utkast', { props: { title: `Utkast ${MARKER}` } })))
    await drafts.barrier()
    const stored = rowsOf(board.id)
    expect(stored.boards).toBe(1)
    expect(stored.snapshots).toBe(1)
    expect(stored.versions).toBe(1)
    expect(stored.board_state).toBeGreaterThanOrEqual(1)
    const keptBefore = rowsOf(keep.id)
    const sqliteFiles = () => readdirSync(server.dataDir).filter((f) => f.startsWith('snurra.sqlite'))
    const fileHolds = (text: string) => sqliteFiles().some((f) => readFileSync(join(server.dataDir, f)).includes(Buffer.from(text)))
    expect(fileHolds(MARKER), 'the board’s text is in the SQLite files before').toBe(true)

    // Only the facilitator may delete.
    for (const role of ['participant', 'viewer'] as const) {
      const res = await api(`/api/boards/${board.id}?token=${board.tokens[role]}`, { method: 'DELETE' })
      expect(res.status, role).toBe(403)
    }
    expect((await api(`/api/boards/${board.id}?token=${keep.tokens.facilitator}`, { method: 'DELETE' })).status).toBe(401)
    expect(rowsOf(board.id)).toEqual(stored)

    const res = await api(`/api/boards/${board.id}?token=${board.tokens.facilitator}`, { method: 'DELETE' })
    expect(res.status).toBe(204)

    // Open sockets are closed as "no such board" (4404; 4410, "deleted", where the server tells the two apart).
    await waitFor(() => facilitator.closeCodes.some((c) => GONE_CODES.includes(c)), 'the stock client to be closed with 4410')
    for (const c of [host, voter, drafts]) expect(GONE_CODES).toContain((await c.closed).code)

    // Every link: 404 (or 410) on the session, 4404 (or 4410) on the socket, and from the API.
    for (const role of ['facilitator', 'participant', 'viewer'] as const) {
      const session = await api(`/api/boards/${board.id}/session?token=${board.tokens[role]}`)
      expect(GONE_STATUSES, role).toContain(session.status)
      expect(GONE_CODES, role).toContain(await closeCode(rawConnect(server.wsUrl, board.id, board.tokens[role])))
      for (const format of ['csv', 'json']) {
        const exported = await exportOf(board.id, board.tokens[role], { format })
        expect(GONE_STATUSES, `${role} ${format}`).toContain(exported.status)
      }
      expect(GONE_STATUSES, role).toContain((await api(`/api/boards/${board.id}/versions?token=${board.tokens[role]}`)).status)
    }
    expect(GONE_STATUSES).toContain((await api(`/api/boards/${board.id}?token=${board.tokens.facilitator}`, { method: 'DELETE' })).status)

    // Nothing of it is left in storage, in any table, and none of its text in the file.
    const none = Object.fromEntries(TABLES.map((t) => [t, 0]))
    expect(rowsOf(board.id)).toEqual(none)
    await sleep(1500) // past IDLE_UNLOAD_MS: an unloading room must not write the board back
    expect(rowsOf(board.id)).toEqual(none)
    expect(fileHolds(MARKER), 'the SQLite files hold none of the board’s text').toBe(false)

    // The other board is untouched.
    expect(rowsOf(keep.id)).toMatchObject({ boards: 1, snapshots: 1, versions: 1, board_state: keptBefore.board_state })
    expect((await api(`/api/boards/${keep.id}/session?token=${keep.tokens.viewer}`)).status).toBe(200)
    expect((await csvOf(keep.id, keep.tokens.viewer)).rows.map((r) => r[1])).toEqual(['Kvar'])
    expect(kept.viewer.closeCodes).toEqual([])
    const again = await connectSynced(server.wsUrl, keep.id, keep.tokens.participant)
    await waitFor(() => has(again.doc, card('kvar')), 'the kept board on a new client')
  })
})
