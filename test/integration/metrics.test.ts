/** GET /metrics: Prometheus text that follows what happens on the server, optionally behind a token. */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { closeCode, connectSynced, destroyAllClients, rawConnect, waitFor } from '../helpers/clients.ts'
import { sample, scrape } from '../helpers/metrics.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { sleep, stopAllServers } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

/** Scrapes until `done` holds (or two seconds pass) and returns the last scrape. */
async function scrapeUntil(url: string, done: (text: string) => boolean): Promise<string> {
  let text = await scrape(url)
  for (let i = 0; i < 100 && !done(text); i++) {
    await sleep(20)
    text = await scrape(url)
  }
  return text
}

describe('GET /metrics', () => {
  it('is Prometheus text with every Snurra metric, and no board ids', async () => {
    const server = await startInProcessServer()
    const board = await server.createBoard()
    const res = await fetch(`${server.url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    for (const name of [
      'snurra_connections',
      'snurra_send_buffer_bytes',
      'snurra_rooms_loaded',
      'snurra_updates_received_total',
      'snurra_messages_received_total',
      'snurra_received_bytes_total',
      'snurra_storage_seconds',
      'snurra_storage_errors_total',
      'snurra_redis_errors_total',
      'snurra_ws_closes_total',
      'snurra_limit_hits_total',
      'snurra_upgrades_refused_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text, name).toMatch(new RegExp(`^# TYPE ${name} `, 'm'))
    }
    expect(text).not.toContain(board.id)
  })

  it('follows connections, rooms, updates, storage latency and closes', async () => {
    const server = await startInProcessServer()
    const board = await server.createBoard()
    const before = await scrape(server.url)
    expect(sample(before, 'snurra_connections')).toBe(0)
    expect(sample(before, 'snurra_rooms_loaded', { kind: 'board' })).toBe(0)

    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    for (let i = 0; i < 5; i++) write(a.doc, cardRecord(`m${i}`))
    await waitFor(() => read(b.doc, 'shape:card-m4') !== undefined, 'B to see the cards')
    const bad = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await bad.opened
    await bad.waitForFrame((f) => f.kind === 'sync', 'joined')
    bad.send(new Uint8Array([42]))
    expect(await closeCode(bad)).toBe(4400)

    // (A socket counts until its closing handshake is over, a moment after the client saw the close.)
    const during = await scrapeUntil(server.url, (text) => sample(text, 'snurra_connections') === 2)
    expect(sample(during, 'snurra_connections')).toBe(2)
    expect(sample(during, 'snurra_rooms_loaded', { kind: 'board' })).toBe(1)
    expect(sample(during, 'snurra_updates_received_total')).toBeGreaterThanOrEqual(5)
    expect(sample(during, 'snurra_messages_received_total', { type: 'sync' })).toBeGreaterThanOrEqual(5)
    // SQLite stores client updates in batches (group commit): one timing per transaction.
    expect(sample(during, 'snurra_storage_seconds_count', { op: 'appendUpdates' })).toBeGreaterThanOrEqual(1)
    expect(sample(during, 'snurra_storage_seconds_bucket', { op: 'appendUpdates', le: '+Inf' })).toBe(sample(during, 'snurra_storage_seconds_count', { op: 'appendUpdates' }))
    expect(sample(during, 'snurra_ws_closes_total', { code: '4400', reason: 'malformed', initiator: 'server' })).toBe(1)

    a.destroy()
    b.destroy()
    const after = await scrapeUntil(server.url, (text) => sample(text, 'snurra_connections') === 0)
    expect(sample(after, 'snurra_connections')).toBe(0)
    expect(sample(after, 'snurra_ws_closes_total', { initiator: 'client' })).toBe(2)
  })

  it('with METRICS_TOKEN, needs Authorization: Bearer <token>', async () => {
    const server = await startInProcessServer({ env: { METRICS_TOKEN: 'prometheus-scrapes-here-0123456789' } })
    const get = (headers: Record<string, string> = {}) => fetch(`${server.url}/metrics`, { headers })
    const none = await get()
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect(await none.text()).not.toContain('snurra_')
    expect((await get({ Authorization: 'Bearer wrong' })).status).toBe(401)
    expect((await get({ Authorization: 'Basic cHJvbWV0aGV1cw==' })).status).toBe(401)
    const ok = await get({ Authorization: 'Bearer prometheus-scrapes-here-0123456789' })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('snurra_connections')
    expect(server.output()).not.toContain('prometheus-scrapes-here')
  })
})
