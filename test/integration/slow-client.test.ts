/**
 * A client that stops reading must not make the server hold everyone's updates for it: once its
 * unsent data passes MAX_BUFFERED_BYTES it is closed (1013) and the server's memory stays flat
 * while the others keep writing and syncing.
 */
import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { Socket } from 'node:net'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { connectSynced, destroyAllClients, rawConnect, updateFrame, waitFor } from '../helpers/clients.ts'
import { sample, scrape } from '../helpers/metrics.ts'
import { cardRecord, read } from '../helpers/records.ts'
import { sleep, startTestServer, stopAllServers, type TestServer } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

const MB = 1024 * 1024
const UPDATES = 300
const SIZE = 200_000 // characters of description per update: 60 MB in all
/** A card's description holds at most 2,000 characters, so each update rewrites this many cards. */
const CARDS = SIZE / 2000

async function run(maxBuffered: number): Promise<{ server: TestServer; peakBuffered: number; stalledOpen: boolean }> {
  const server = await startTestServer({
    env: { MAX_BUFFERED_BYTES: String(maxBuffered), MAX_PAYLOAD_BYTES: String(MB), RATE_LIMIT_BYTES: String(1024 ** 3), RATE_LIMIT_MESSAGES: '100000' },
  })
  const board = await server.createBoard()
  const reader = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
  const stalled = rawConnect(server.wsUrl, board.id, board.tokens.viewer)
  await stalled.opened
  await stalled.waitForFrame((f) => f.kind === 'sync', 'joined')
  // Stop reading: the kernel buffers fill, then the server's own send buffer for it grows.
  ;(stalled.ws as unknown as { _socket: Socket })._socket.pause()

  const writer = rawConnect(server.wsUrl, board.id, board.tokens.participant)
  await writer.opened
  const doc = new Y.Doc()
  const rss = async () => sample(await scrape(server.url), 'process_resident_memory_bytes') / MB
  const before = await rss()
  let peak = before
  let peakBuffered = 0
  for (let i = 0; i < UPDATES; i++) {
    // The same cards rewritten over and over: the document stays small, the traffic does not.
    const updates: Uint8Array[] = []
    doc.once('update', (u: Uint8Array) => updates.push(u))
    doc.transact(() => {
      for (let j = 0; j < CARDS; j++) writeRecord(recordsOf(doc), cardRecord(j === 0 ? 'big' : `big-${j}`, { x: i, props: { description: String(i % 10).repeat(2000) } }))
    })
    writer.send(updateFrame(updates[0]))
    if (i % 20 === 19) {
      await waitFor(() => read(reader.doc, 'shape:card-big')?.x === i, `the reader to get update ${i}`, 20_000, 5)
      const metrics = await scrape(server.url)
      peak = Math.max(peak, sample(metrics, 'process_resident_memory_bytes') / MB)
      peakBuffered = Math.max(peakBuffered, sample(metrics, 'snurra_send_buffer_bytes') / MB)
    }
  }
  await waitFor(() => read(reader.doc, 'shape:card-big')?.x === UPDATES - 1, 'the reader to get the last update', 20_000)
  peak = Math.max(peak, await rss())
  const growthMb = peak - before
  const metrics = await scrape(server.url)
  console.log(
    `slow client (MAX_BUFFERED_BYTES ${maxBuffered / MB} MiB): ${((UPDATES * SIZE) / MB) | 0} MB written past it; ` +
      `unsent data held at most ${peakBuffered.toFixed(1)} MB; server RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB (+${growthMb.toFixed(0)}); ` +
      `send_buffer closes ${sample(metrics, 'snurra_limit_hits_total', { limit: 'send_buffer' })}`,
  )
  return { server, peakBuffered, stalledOpen: sample(metrics, 'snurra_ws_closes_total', { code: '1013' }) === 0 }
}

describe('a client that stops reading', () => {
  it('is closed with 1013 once its send buffer passes the bound; memory stays bounded; the others keep syncing', async () => {
    const { server, peakBuffered, stalledOpen } = await run(MB)
    expect(stalledOpen).toBe(false)
    const metrics = await scrape(server.url)
    expect(sample(metrics, 'snurra_limit_hits_total', { limit: 'send_buffer' })).toBe(1)
    expect(sample(metrics, 'snurra_ws_closes_total', { code: '1013', reason: 'tryAgainLater', initiator: 'server' })).toBe(1)
    // 57 MB went past the stalled client; the server held at most its bound plus one frame…
    expect(peakBuffered).toBeLessThan(2)
    // …and lets go of it a second after the close, though the client never answers it.
    const closedAt = performance.now()
    let held = sample(await scrape(server.url), 'snurra_send_buffer_bytes')
    while (held > 0 && performance.now() - closedAt < 5000) {
      await sleep(100)
      held = sample(await scrape(server.url), 'snurra_send_buffer_bytes')
    }
    expect(held, 'bytes still held for the stalled client 5 s later').toBe(0)
  }, 60_000)
})
