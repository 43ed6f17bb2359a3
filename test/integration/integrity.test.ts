/**
 * Damage is loud: a copy of a real server's database whose write-ahead log was damaged while
 * the server was down, or whose file fails SQLite's quick_check, makes /healthz answer 503 with
 * the reason and logs it; a board whose stored log was tampered with fails the board check.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, expect, it } from 'vitest'
import { startServer } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'
import { checkStoredBoard } from '../../server/storage/integrity.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import { connectSynced, destroyAllClients, waitFor } from '../helpers/clients.ts'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import type { ServerSnurraMessage } from '../../core/messages.ts'
import { cardRecord, write } from '../helpers/records.ts'
import { deviceKey, snurraSynced } from '../helpers/snurra.ts'
import { querySqlite, ROOT, startTestServer, stopAllServers, tempDataDir, TEST_SECRET, type CreatedBoard } from '../helpers/server.ts'

afterAll(() => {
  destroyAllClients()
  return stopAllServers()
})

/** A data directory whose server was killed after 20 cards were stored: the WAL still holds them. */
async function killedServerData(): Promise<{ dataDir: string; board: CreatedBoard }> {
  const server = await startTestServer({ env: { COMPACT_EVERY: '100000' } })
  const board = await server.createBoard('Tavla i loggen')
  const client = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
  for (let i = 0; i < 20; i++) write(client.doc, cardRecord(i))
  await waitFor(() => querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM updates WHERE board_id = ?', board.id)[0].n >= 20, '20 updates stored')
  client.destroy()
  await server.kill()
  return { dataDir: server.dataDir, board }
}

/** Copies a data directory, so the original stays as it was. */
function copyOf(dataDir: string): string {
  const copy = tempDataDir()
  cpSync(dataDir, copy, { recursive: true })
  return copy
}

async function healthOf(dataDir: string): Promise<{ status: number; body: { status: string; faults?: { scope: string; reason: string }[] }; logs: string[] }> {
  const logs: string[] = []
  const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SNURRA_SECRET: TEST_SECRET })
  const snurra = await startServer(config, { log: createLogger('info', (l) => logs.push(l)), templatesDir: join(ROOT, 'templates') })
  try {
    const res = await fetch(`${snurra.url}/healthz`)
    return { status: res.status, body: await res.json(), logs }
  } finally {
    await snurra.close()
  }
}

it('a WAL damaged while the server was down: /healthz 503 with the reason, logged, the log kept; the intact copy is healthy', async () => {
  const { dataDir } = await killedServerData()
  const walFile = join(dataDir, 'snurra.sqlite-wal')
  const wal = readFileSync(walFile)
  expect(wal.length).toBeGreaterThan(32)

  const intact = await healthOf(copyOf(dataDir))
  expect(intact.status).toBe(200)

  const damagedDir = copyOf(dataDir)
  const pageSize = wal.readUInt32BE(8)
  const damaged = Buffer.from(wal)
  damaged[32 + 3 * (24 + pageSize) + 24 + 200] ^= 0xff // inside the 4th frame's page
  writeFileSync(join(damagedDir, 'snurra.sqlite-wal'), damaged)
  const health = await healthOf(damagedDir)
  expect(health.status).toBe(503)
  expect(health.body.status).toBe('damaged')
  expect(health.body.faults).toEqual([expect.objectContaining({ scope: 'database', reason: expect.stringContaining('write-ahead log is damaged at frame 3') })])
  expect(health.logs.some((l) => l.includes('database damaged') && l.includes('"level":"error"'))).toBe(true)
  expect(readdirSync(damagedDir).some((f) => f.startsWith('snurra.sqlite-wal.damaged-'))).toBe(true)
})

it('a database file that fails quick_check: /healthz 503 naming quick_check', async () => {
  const { dataDir } = await killedServerData()
  const copy = copyOf(dataDir)
  // Checkpoint the copy so the data is in the main file, then damage the updates table's page.
  const db = new Database(join(copy, 'snurra.sqlite'))
  db.pragma('wal_checkpoint(TRUNCATE)')
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'updates'").get() as { rootpage: number }
  const pageSize = db.pragma('page_size', { simple: true }) as number
  db.close()
  const file = readFileSync(join(copy, 'snurra.sqlite'))
  file.fill(0xa5, (rootpage - 1) * pageSize + 8, (rootpage - 1) * pageSize + 64)
  writeFileSync(join(copy, 'snurra.sqlite'), file)

  const health = await healthOf(copy)
  expect(health.status).toBe(503)
  expect(health.body.faults?.[0].reason).toMatch(/^PRAGMA quick_check: /)
})

it('a board whose stored log has a hole and an update that does not decode fails the board check', async () => {
  const { dataDir, board } = await killedServerData()
  const copy = copyOf(dataDir)
  const db = new Database(join(copy, 'snurra.sqlite'))
  db.prepare('UPDATE updates SET data = ? WHERE board_id = ? AND seq = 5').run(Buffer.from([1, 2, 3]), board.id)
  db.prepare('DELETE FROM updates WHERE board_id = ? AND seq IN (8, 9)').run(board.id)
  db.close()
  const storage = openSqliteStorage(copy)
  try {
    expect(checkStoredBoard(await storage.loadBoard(board.id))).toEqual({ ok: false, problems: ['updates 8–9 are missing', 'update 5 does not decode'] })
    expect(checkStoredBoard(await openIntact(dataDir, board.id))).toEqual({ ok: true })
  } finally {
    await storage.close()
  }
})

async function openIntact(dataDir: string, boardId: string) {
  const storage = openSqliteStorage(copyOf(dataDir))
  try {
    return await storage.loadBoard(boardId)
  } finally {
    await storage.close()
  }
}

it('a damaged board opens read-only: everyone is told, every edit is refused as damaged, /healthz names it; a sound board takes edits', async () => {
  const { dataDir, board } = await killedServerData()
  const copy = copyOf(dataDir)
  const db = new Database(join(copy, 'snurra.sqlite'))
  db.prepare('DELETE FROM updates WHERE board_id = ? AND seq IN (8, 9)').run(board.id)
  db.close()
  const server = await startTestServer({ dataDir: copy })
  const facilitator = await snurraSynced(server.wsUrl, board.id, board.tokens.facilitator, { person: deviceKey() })
  const participant = await snurraSynced(server.wsUrl, board.id, board.tokens.participant, { person: deviceKey() })
  await facilitator.waitMessage((m) => m.t === 'damaged', 'the damaged notice (facilitator)')
  await participant.waitMessage((m) => m.t === 'damaged', 'the damaged notice (participant)')
  // What storage still holds is served: the cards around the hole.
  expect(recordsOf(participant.doc).has('shape:card-0')).toBe(true)
  for (const [who, client] of [['facilitator', facilitator], ['participant', participant]] as const) {
    client.change((doc) => writeRecord(recordsOf(doc), cardRecord(`after-${who}`)))
    expect(await client.waitMessage((m) => m.t === 'rejected', `refusal of ${who}'s edit`)).toMatchObject({ t: 'rejected', reason: 'damaged', records: [`shape:card-after-${who}`] })
  }
  const health = await fetch(`${server.url}/healthz`)
  expect(health.status).toBe(503)
  expect(JSON.stringify(await health.json())).toContain(`board:${board.id}`)
  expect(querySqlite<{ n: number }>(copy, "SELECT COUNT(*) AS n FROM updates WHERE board_id = ? AND data LIKE '%after-%'", board.id)[0].n).toBe(0)

  // Positive control: the intact data serves the same board and takes the same edit.
  const intact = await startTestServer({ dataDir: copyOf(dataDir) })
  const writer = await snurraSynced(intact.wsUrl, board.id, board.tokens.participant, { person: deviceKey() })
  writer.change((doc) => writeRecord(recordsOf(doc), cardRecord('after-intact')))
  await writer.barrier()
  expect(writer.rejections()).toEqual([])
  expect(writer.messages.some((m) => m.t === 'damaged')).toBe(false)
})

it('a board at MAX_BOARD_BYTES refuses the edit that would pass it (board-full) and stores nothing of it', async () => {
  const server = await startTestServer({ env: { MAX_BOARD_BYTES: String(64 * 1024) } })
  const board = await server.createBoard('Full tavla')
  const writer = await snurraSynced(server.wsUrl, board.id, board.tokens.participant, { person: deviceKey() })
  let refused: ServerSnurraMessage | undefined
  for (let n = 0; n < 80 && !refused; n++) {
    writer.change((doc) => writeRecord(recordsOf(doc), cardRecord(`big-${n}`, { props: { description: `${n} `.padEnd(1900, 'x') } })))
    await writer.barrier()
    refused = writer.rejections()[0]
  }
  expect(refused).toMatchObject({ t: 'rejected', reason: 'board-full' })
  const [{ id }] = (refused as { records: string[] }).records.map((id) => ({ id }))
  const stored = querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM updates WHERE board_id = ? AND instr(data, ?) > 0', board.id, Buffer.from(id.slice('shape:'.length)))
  expect(stored[0].n).toBe(0)
})
