/**
 * Presence at scale: 200 clients in one board cause no storm (awareness is batched per room),
 * a client that stops renewing its presence disappears for everyone even with its socket open,
 * and a connection cannot flood the board with made-up presence.
 */
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { MAX_AWARENESS_CLIENTS_PER_CONNECTION } from '../../server/awareness-filter.ts'
import {
  awarenessFrame,
  awarenessProtocol,
  awarenessUpdateFor,
  closeCode,
  connectSynced,
  destroyAllClients,
  rawConnect,
  waitFor,
  type RawClient,
} from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { sleep, startTestServer, stopAllServers } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

const CLIENTS = 200
const ROUNDS = 20

/** A raw client that keeps a y-protocols Awareness of everything the server tells it. */
function observer(raw: RawClient) {
  const seen = new Awareness(new Y.Doc())
  seen.setLocalState(null)
  let frames = 0
  raw.ws.on('message', (data: Buffer) => {
    if (data[0] !== 1) return
    frames++
    const f = raw.frames[raw.frames.length - 1]
    if (f?.kind === 'awareness') awarenessProtocol.applyAwarenessUpdate(seen, f.payload, 'server')
  })
  return { seen, frames: () => frames }
}

describe('awareness', () => {
  it(`${CLIENTS} clients updating their presence ${ROUNDS} times each: batched, no N² storm`, async () => {
    const server = await startTestServer({ env: { MAX_CONNECTIONS_PER_IP: '1000', MAX_CONNECTIONS_PER_BOARD: '1000' } })
    const board = await server.createBoard('Stort möte')
    const passiveRaw = rawConnect(server.wsUrl, board.id, board.tokens.viewer)
    await passiveRaw.opened
    const passive = observer(passiveRaw)
    const clients: RawClient[] = []
    for (let i = 0; i < CLIENTS; i++) clients.push(rawConnect(server.wsUrl, board.id, board.tokens.participant))
    await Promise.all(clients.map((c) => c.opened))
    await Promise.all(clients.map((c) => c.waitForFrame((f) => f.kind === 'sync', 'joined', 20_000)))
    const watched = clients.slice(0, 5).map(observer) // a few senders also count what they get

    const started = performance.now()
    for (let round = 1; round <= ROUNDS; round++) {
      clients.forEach((c, i) => c.send(awarenessFrame(awarenessUpdateFor(50_000 + i, round, { user: { name: `p${i}` }, cursor: { x: round, y: i } }))))
      await sleep(20)
    }
    // Everyone's last state arrives.
    await waitFor(
      () => clients.every((_, i) => passive.seen.meta.get(50_000 + i)?.clock === ROUNDS),
      'the passive client to see every last state',
      20_000,
    )
    const elapsed = performance.now() - started
    await sleep(300) // nothing more is on its way
    const sent = CLIENTS * ROUNDS
    const unbatched = sent // one frame per update per receiver, without batching
    console.log(
      `awareness: ${sent} updates from ${CLIENTS} clients in ${Math.round(elapsed)} ms → the passive client got ${passive.frames()} frames ` +
        `(unbatched: ${unbatched}); senders got ${watched.map((w) => w.frames()).join(', ')}`,
    )
    expect(passive.frames()).toBeLessThan(unbatched / 20)
    for (const w of watched) expect(w.frames()).toBeLessThan(unbatched / 20)
    expect((passive.seen.getStates().get(50_007) as { cursor: { x: number } }).cursor.x).toBe(ROUNDS)
    expect(clients.every((c) => c.isOpen())).toBe(true)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })

  it('a client that stops renewing its presence is removed for everyone, though its socket stays open', async () => {
    const server = await startTestServer({
      nodeArgs: ['--import', './test/helpers/clock-jump.mjs'],
      env: { SNURRA_TEST_CLOCK_JUMP_MS: '31000' },
    })
    const board = await server.createBoard()
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    b.provider.awareness.setLocalStateField('user', { name: 'B' })
    const silent = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await silent.opened
    await silent.waitForFrame((f) => f.kind === 'sync', 'joined')
    silent.send(awarenessFrame(awarenessUpdateFor(4711, 1, { user: { name: 'Tyst' } })))
    await waitFor(() => b.provider.awareness.getStates().has(4711), 'B to see the silent client')

    // 31 s later on the server's clock, nothing heard from 4711 (y-protocols' timeout is 30 s,
    // checked every 3 s): its state goes, for B too. B renews itself (y-websocket does, and
    // takes its own state back when the server drops it) and stays.
    server.proc.kill('SIGUSR2')
    await waitFor(() => !b.provider.awareness.getStates().has(4711), 'the stale state to disappear at B', 8000)
    expect(silent.isOpen()).toBe(true)
    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    await waitFor(() => (c.provider.awareness.getStates().get(b.doc.clientID) as { user?: { name: string } })?.user?.name === 'B', 'C to see B')
    expect(c.provider.awareness.getStates().has(4711)).toBe(false)
  })

  it(`a connection claiming more than ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} presence ids is closed (4400); the board carries on`, async () => {
    const server = await startTestServer()
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const flood = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await flood.opened
    await flood.waitForFrame((f) => f.kind === 'sync', 'joined')
    for (let i = 0; i <= MAX_AWARENESS_CLIENTS_PER_CONNECTION; i++) flood.send(awarenessFrame(awarenessUpdateFor(9000 + i, 1, { user: { name: `fake ${i}` } })))
    expect(await closeCode(flood)).toBe(4400)
    // Its states went with it, and the board still syncs.
    await waitFor(() => ![...a.provider.awareness.getStates().keys()].some((id) => id >= 9000 && id < 9100), 'the fake states to go')
    write(a.doc, cardRecord('after-flood'))
    await waitFor(() => read(b.doc, 'shape:card-after-flood') !== undefined, 'B to see A’s card')
  })
})
