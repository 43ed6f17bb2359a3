import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSynced, destroyAllClients, waitFor } from '../helpers/clients.ts'
import { cardRecord, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { querySqlite, ROOT, stopAllServers, TEST_SECRET, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'
import { storedDoc } from '../helpers/snurra.ts'
import { readAllRecords } from '../../core/record-store.ts'

/** `npx snurra …` is `node bin/snurra.mjs …`; run it the way npx does, as a separate process. */
function snurra(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/snurra.mjs', ...args], { cwd: ROOT, env: { ...process.env, SNURRA_SECRET: TEST_SECRET, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

let server: ServerHandle
let board: CreatedBoard
const out = mkdtempSync(join(tmpdir(), 'snurra-cli-'))
const titles = ['Läxhjälp', 'Sommarjobb för unga', '=cmd|calc']

const cardTitles = (doc: ReturnType<typeof storedDoc>) =>
  readAllRecords(doc)
    .filter((r) => r.type === 'snurra-card')
    .map((r) => (r.props as { title: string }).title)
    .sort()

beforeAll(async () => {
  server = await startInProcessServer()
  board = await server.createBoard('Uppföljning Hallunda')
  const client = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
  titles.forEach((title, i) => write(client.doc, cardRecord(i, { props: { title } })))
  await waitFor(() => cardTitles(storedDoc(server.dataDir, board.id)).length === titles.length, 'cards stored')
  destroyAllClients()
})
afterAll(stopAllServers)

describe('npx snurra', () => {
  it('exports the register as CSV from the data directory, neutralising formulas', async () => {
    const { code, stdout } = await snurra(['export', board.id, '--format', 'csv', '--delimiter', 'semicolon', '--data', server.dataDir])
    expect(code).toBe(0)
    const lines = stdout.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0].split(';').slice(0, 2)).toEqual(['Id', 'Aktivitet'])
    expect(lines).toHaveLength(1 + titles.length)
    expect(stdout).toContain("'=cmd|calc")
    expect(stdout).not.toMatch(/;=cmd/)
  })

  it('exports XLSX through a running server with a token, and refuses a bad token with a non-zero exit', async () => {
    const file = join(out, 'register.xlsx')
    const ok = await snurra(['export', board.id, '--format', 'xlsx', '--out', file, '--server', server.url, '--token', board.tokens.viewer])
    expect(ok.code).toBe(0)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(file)
    const sheet = book.getWorksheet('Aktiviteter')!
    const names = sheet.getColumn(2).values.slice(2).map(String).sort()
    expect(names).toEqual([...titles].sort())

    const bad = await snurra(['export', board.id, '--format', 'csv', '--server', server.url, '--token', 'not-a-token'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/401/)
  })

  it('backs up every board and restores them as new boards with the same content', async () => {
    const other = await server.createBoard('Tom tavla')
    const dir = join(out, 'backup')
    const backup = await snurra(['backup', '--out', dir, '--data', server.dataDir])
    expect(backup.code).toBe(0)
    expect(readdirSync(dir).sort()).toEqual([`${board.id}.json`, `${other.id}.json`, 'snurra.sqlite'].sort())
    // The database copy, taken while the server runs, is whole and holds both boards with their cards.
    expect(querySqlite<{ id: string }>(dir, 'SELECT id FROM boards ORDER BY id').map((r) => r.id)).toEqual([board.id, other.id].sort())
    expect(querySqlite<{ quick_check: string }>(dir, 'PRAGMA quick_check')).toEqual([{ quick_check: 'ok' }])
    expect(cardTitles(storedDoc(dir, board.id))).toEqual([...titles].sort())

    const before = querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n
    const restore = await snurra(['restore', dir, '--data', server.dataDir])
    expect(restore.code).toBe(0)
    expect(querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n).toBe(before + 2)
    const restoredId = new RegExp(`${board.id}\\.json → ([a-z0-9]{16})`).exec(restore.stdout)![1]
    expect(cardTitles(storedDoc(server.dataDir, restoredId))).toEqual([...titles].sort())
    // The printed link is signed with the data directory's secret: the running server accepts it.
    const link = restore.stdout.split('\n').find((l) => l.includes(`/b/${restoredId}?token=`))!.trim()
    const token = new URL(link).searchParams.get('token')!
    const session = await fetch(`${server.url}/api/boards/${restoredId}/session?token=${encodeURIComponent(token)}`)
    expect(session.status).toBe(200)
  })

  it('restores nothing when one file of a batch is not a backup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snurra-cli-bad-'))
    const good = await snurra(['export', board.id, '--format', 'json', '--data', server.dataDir])
    writeFileSync(join(dir, 'a.json'), good.stdout)
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ format: 'snurra-board', version: 1, board: {}, document: 'AAAA', versions: [] }))
    const before = querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n
    const res = await snurra(['restore', dir, '--data', server.dataDir])
    expect(res.code).not.toBe(0)
    expect(res.stderr).toContain('b.json')
    expect(querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n).toBe(before)
  })

  it('fails clearly on usage errors and on a missing data directory', async () => {
    // Independent runs, each a process that spends most of its time loading: side by side.
    const [usage, missing, unknown, xlsxToStdout] = await Promise.all([
      snurra(['export']),
      snurra(['export', board.id, '--data', join(out, 'nowhere')]),
      snurra(['export', 'aaaaaaaaaaaaaaaa', '--data', server.dataDir]),
      snurra(['export', board.id, '--format', 'xlsx', '--data', server.dataDir]),
    ])
    expect(usage.code).toBe(2)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no Snurra data/)
    expect(existsSync(join(out, 'nowhere'))).toBe(false)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no such board/)
    expect(xlsxToStdout.code).toBe(2)
  })

  it('restores through a running server with a facilitator token', async () => {
    const file = join(out, 'one.json')
    writeFileSync(file, (await snurra(['export', board.id, '--format', 'json', '--data', server.dataDir])).stdout)
    const refused = await snurra(['restore', file, '--server', server.url, '--board', board.id, '--token', board.tokens.participant])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/403/)
    const res = await snurra(['restore', file, '--server', server.url, '--board', board.id, '--token', board.tokens.facilitator])
    expect(res.code).toBe(0)
    const id = /→ ([a-z0-9]{16})/.exec(res.stdout)![1]
    expect(cardTitles(storedDoc(server.dataDir, id))).toEqual([...titles].sort())
    expect(JSON.parse(readFileSync(file, 'utf8')).board.id).toBe(board.id)
  })
})
