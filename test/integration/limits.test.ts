/**
 * Per-connection rate limits and connection counts: the one connection over a limit is closed
 * with that limit's code and counted in /metrics; everyone else carries on.
 */
import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { closeCode, connectClient, connectSynced, destroyAllClients, rawConnect, updateFrame, waitFor, waitSynced, type RawClient } from '../helpers/clients.ts'
import { sample, scrape } from '../helpers/metrics.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { sleep, stopAllServers, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

const QUERY_AWARENESS = new Uint8Array([3]) // the cheapest valid message

async function joined(s: ServerHandle, board: CreatedBoard, headers?: Record<string, string>): Promise<RawClient> {
  const raw = rawConnect(s.wsUrl, board.id, board.tokens.participant, { headers })
  await raw.opened
  await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
  return raw
}

/** Two stock clients on the board still sync both ways and were never disconnected. */
async function stillSyncing(s: ServerHandle, board: CreatedBoard, tag: string): Promise<void> {
  const a = await connectSynced(s.wsUrl, board.id, board.tokens.participant)
  const b = await connectSynced(s.wsUrl, board.id, board.tokens.participant)
  write(a.doc, cardRecord(tag))
  await waitFor(() => read(b.doc, `shape:card-${tag}`) !== undefined, 'B to see A’s card')
  expect([...a.closeCodes, ...b.closeCodes]).toEqual([])
  a.destroy()
  b.destroy()
}

describe('rate limits per connection', () => {
  it('messages per second: a flood is closed with 4529, a client just under the rate is not', async () => {
    const server = await startInProcessServer({ env: { RATE_LIMIT_MESSAGES: '50' } })
    const board = await server.createBoard()
    const steady = await joined(server, board)
    const flood = await joined(server, board)
    for (let i = 0; i < 150; i++) flood.send(QUERY_AWARENESS) // the bucket holds 100
    expect(await closeCode(flood)).toBe(4529)
    // 40 a second for two and a half seconds: never over.
    for (let i = 0; i < 100; i++) {
      steady.send(QUERY_AWARENESS)
      await sleep(25)
    }
    expect(steady.isOpen()).toBe(true)
    await stillSyncing(server, board, 'after-message-flood')
    const metrics = await scrape(server.url)
    expect(sample(metrics, 'snurra_limit_hits_total', { limit: 'messages' })).toBe(1)
    expect(sample(metrics, 'snurra_ws_closes_total', { code: '4529', reason: 'rateLimited', initiator: 'server' })).toBe(1)
  })

  it('bytes per second: big valid updates past the byte budget are closed with 4529 and not stored past it', async () => {
    // 64 KiB a second; the bucket holds two frames of MAX_PAYLOAD_BYTES (2 × 64 KiB).
    const server = await startInProcessServer({ env: { RATE_LIMIT_BYTES: '65536', MAX_PAYLOAD_BYTES: '65536' } })
    const board = await server.createBoard()
    const heavy = await joined(server, board)
    for (let i = 0; i < 4; i++) {
      const doc = new Y.Doc()
      // ~50 KB of valid cards (a description holds at most 2,000 characters); the first is the one read back.
      doc.transact(() => {
        for (let j = 0; j < 24; j++) writeRecord(recordsOf(doc), cardRecord(j === 0 ? `heavy-${i}` : `heavy-${i}-${j}`, { props: { description: 'x'.repeat(2000) } }))
      })
      heavy.send(updateFrame(Y.encodeStateAsUpdate(doc)))
    }
    expect(await closeCode(heavy)).toBe(4529)
    const check = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    expect(read(check.doc, 'shape:card-heavy-0')).toBeDefined() // within the budget: stored
    expect(read(check.doc, 'shape:card-heavy-3')).toBeUndefined() // past it: never reached the room
    await stillSyncing(server, board, 'after-byte-flood')
    expect(sample(await scrape(server.url), 'snurra_limit_hits_total', { limit: 'bytes' })).toBe(1)
  })
})

describe('connections per board and per address', () => {
  it('one more than MAX_CONNECTIONS_PER_BOARD is closed with 4503; other boards are not affected; a freed place can be taken', async () => {
    const server = await startInProcessServer({ env: { MAX_CONNECTIONS_PER_BOARD: '3' } })
    const board = await server.createBoard('Full')
    const other = await server.createBoard('Other')
    const first = [await joined(server, board), await joined(server, board), await joined(server, board)]
    const fourth = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    expect(await closeCode(fourth)).toBe(4503)
    // Another board has its own count.
    const elsewhere = [await joined(server, other), await joined(server, other), await joined(server, other)]
    expect(elsewhere.every((c) => c.isOpen())).toBe(true)
    // 4503 is not final for y-websocket: a stock client keeps retrying and gets in once a place frees.
    const waiting = connectClient(server.wsUrl, board.id, board.tokens.viewer)
    await waitFor(() => waiting.closeCodes.includes(4503), 'the stock client to be turned away')
    first[0].close()
    await waitSynced(waiting, 10_000)
    expect(first.slice(1).every((c) => c.isOpen())).toBe(true)
    expect(sample(await scrape(server.url), 'snurra_limit_hits_total', { limit: 'board' })).toBeGreaterThanOrEqual(2)
  })

  it('one more than MAX_CONNECTIONS_PER_IP is closed with 4530; a forged X-Forwarded-For does not help unless TRUST_PROXY says so', async () => {
    const server = await startInProcessServer({ env: { MAX_CONNECTIONS_PER_IP: '4' } })
    const boards = [await server.createBoard(), await server.createBoard()]
    const open = [await joined(server, boards[0]), await joined(server, boards[1]), await joined(server, boards[0]), await joined(server, boards[1])]
    const fifth = rawConnect(server.wsUrl, boards[0].id, boards[0].tokens.participant, { headers: { 'X-Forwarded-For': '203.0.113.9' } })
    expect(await closeCode(fifth)).toBe(4530)
    expect(open.every((c) => c.isOpen())).toBe(true)
    expect(sample(await scrape(server.url), 'snurra_limit_hits_total', { limit: 'address' })).toBe(1)
    open[0].close()
    let connections = 0
    for (let i = 0; i < 100 && connections !== 3; i++) {
      connections = sample(await scrape(server.url), 'snurra_connections')
      await sleep(20)
    }
    expect(connections).toBe(3)
    const again = await joined(server, boards[0]) // the count went down with the close
    expect(again.isOpen()).toBe(true)
  })

  it('behind a trusted proxy (TRUST_PROXY=1) the limit counts the address the proxy saw', async () => {
    const server = await startInProcessServer({ env: { MAX_CONNECTIONS_PER_IP: '2', TRUST_PROXY: '1' } })
    const board = await server.createBoard()
    const via = (address: string) => ({ 'X-Forwarded-For': `198.51.100.77, ${address}` }) // the left part is the client's own claim
    const a = [await joined(server, board, via('203.0.113.1')), await joined(server, board, via('203.0.113.1'))]
    expect(await closeCode(rawConnect(server.wsUrl, board.id, board.tokens.participant, { headers: via('203.0.113.1') }))).toBe(4530)
    const b = [await joined(server, board, via('203.0.113.2')), await joined(server, board, via('203.0.113.2'))]
    expect([...a, ...b].every((c) => c.isOpen())).toBe(true)
  })
})
