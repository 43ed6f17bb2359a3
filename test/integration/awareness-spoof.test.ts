/**
 * Presence belongs to its connection: a participant's or a viewer's socket cannot set or remove
 * another client's presence, a high clock does not let a spoofer outlast the owner's renewal,
 * and the role others see beside a name is the one in the sender's token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { awarenessFrame, awarenessUpdateFor, connectSynced, destroyAllClients, rawConnect, waitFor, type Client, type RawClient } from '../helpers/clients.ts'
import { sample, scrape } from '../helpers/metrics.ts'
import { startTestServer, stopAllServers, type CreatedBoard, type TestServer } from '../helpers/server.ts'
import { createScratchDatabase, REDIS_URL, servicesAvailable, type ScratchDatabase } from '../helpers/services.ts'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterEach(destroyAllClients)
afterAll(stopAllServers)

interface User {
  name?: string
  role?: string
}
const userOf = (observer: Client, clientId: number): User | undefined => (observer.provider.awareness.getStates().get(clientId) as { user?: User } | undefined)?.user

/** Every name `observer` shows for `clientId` from now on (the current one first), to catch a spoof that flashed by. */
function namesSeen(observer: Client, clientId: number): Array<string | undefined> {
  const seen = [userOf(observer, clientId)?.name]
  observer.provider.awareness.on('change', () => {
    const name = userOf(observer, clientId)?.name
    if (seen.at(-1) !== name) seen.push(name)
  })
  return seen
}

async function spoofer(board: CreatedBoard, role: 'participant' | 'viewer', on: TestServer = server): Promise<RawClient> {
  const raw = rawConnect(on.wsUrl, board.id, board.tokens[role])
  await raw.opened
  await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
  return raw
}

/**
 * Waits until `observer` sees the spoofer's own presence, sent after its spoofed frames: the
 * server handles a socket's frames in order and batches awareness in order, so anything the
 * spoofed frames changed would have reached `observer` by then.
 */
async function barrier(raw: RawClient, observers: Client | Client[], ownId: number, name: string): Promise<void> {
  raw.send(awarenessFrame(awarenessUpdateFor(ownId, 1, { user: { name } })))
  for (const observer of [observers].flat()) await waitFor(() => userOf(observer, ownId)?.name === name, `the barrier ${name}`)
}

const refusedCount = async () => sample(await scrape(server.url), 'snurra_presence_refused_total')

describe('presence belongs to its connection', () => {
  it('a participant’s and a viewer’s spoofed presence for another client, set or removed, is ignored by the others', async () => {
    const board = await server.createBoard('Spoof')
    const anna = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
    const bert = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const annaId = anna.doc.clientID
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna' })
    await waitFor(() => userOf(bert, annaId)?.name === 'Anna', 'Bert to see Anna')
    const seen = namesSeen(bert, annaId)
    const refusedBefore = await refusedCount()
    const clock = () => anna.provider.awareness.meta.get(annaId)!.clock

    for (const [role, ownId] of [['participant', 70_001], ['viewer', 70_002]] as const) {
      const raw = await spoofer(board, role)
      raw.send(awarenessFrame(awarenessUpdateFor(annaId, clock() + 1, { user: { name: `Falsk (${role})` } })))
      raw.send(awarenessFrame(awarenessUpdateFor(annaId, clock() + 2, null)))
      await barrier(raw, bert, ownId, `${role} själv`)
      expect(userOf(bert, annaId)?.name, role).toBe('Anna')
    }
    expect(seen).toEqual(['Anna'])
    // Still Anna's own: her next change reaches Bert.
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna B' })
    await waitFor(() => userOf(bert, annaId)?.name === 'Anna B', 'Bert to see Anna’s change')
    expect(seen).toEqual(['Anna', 'Anna B'])
    expect(await refusedCount()).toBe(refusedBefore + 4)
  })

  it('a high clock does not let a spoofer keep a name after the owner renews it', async () => {
    const board = await server.createBoard('Hög klocka')
    const anna = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
    const bert = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const annaId = anna.doc.clientID
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna' })
    await waitFor(() => userOf(bert, annaId)?.name === 'Anna', 'Bert to see Anna')
    const seen = namesSeen(bert, annaId)
    const raw = await spoofer(board, 'participant')
    raw.send(awarenessFrame(awarenessUpdateFor(annaId, 2 ** 40, { user: { name: 'The workshop moved to http://example.invalid' } })))
    await barrier(raw, bert, 70_003, 'spoofer')
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna', color: '#123456' })
    await waitFor(() => (userOf(bert, annaId) as { color?: string })?.color === '#123456', 'Bert to see Anna’s renewal')
    expect(seen).toEqual(['Anna'])
    expect(bert.provider.awareness.meta.get(annaId)!.clock).toBeLessThan(2 ** 40)
  })

  it('a participant claiming to be the facilitator reaches the others as a participant', async () => {
    const board = await server.createBoard('Roll')
    const pia = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const fia = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
    const vera = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    pia.provider.awareness.setLocalStateField('user', { name: 'Pia', role: 'facilitator' })
    fia.provider.awareness.setLocalStateField('user', { name: 'Fia', role: 'facilitator' })
    vera.provider.awareness.setLocalStateField('user', { name: 'Vera', role: 'facilitator' })
    for (const observer of [pia, fia, vera]) {
      await waitFor(() => userOf(observer, vera.doc.clientID)?.name === 'Vera' || observer === vera, 'everyone to see Vera')
      await waitFor(() => userOf(observer, fia.doc.clientID)?.name === 'Fia' || observer === fia, 'everyone to see Fia')
      await waitFor(() => userOf(observer, pia.doc.clientID)?.name === 'Pia' || observer === pia, 'everyone to see Pia')
    }
    expect(userOf(fia, pia.doc.clientID)).toEqual({ name: 'Pia', role: 'participant' })
    expect(userOf(vera, pia.doc.clientID)?.role).toBe('participant')
    expect(userOf(pia, vera.doc.clientID)?.role).toBe('viewer')
    expect(userOf(pia, fia.doc.clientID)?.role).toBe('facilitator') // the one true claim stands
  })
})

const scaleout = await servicesAvailable(['postgres', 'redis'])

describe.skipIf(!scaleout)('presence across instances (Redis and PostgreSQL)', () => {
  let db: ScratchDatabase
  beforeAll(async () => {
    db = await createScratchDatabase()
  })
  afterAll(async () => {
    await db?.drop()
  })

  it('a socket on one instance cannot speak for a client on another; roles cross as the token says', async () => {
    const env = { DATABASE_URL: db.url, REDIS_URL, RESYNC_INTERVAL_MS: '1000' }
    const a = await startTestServer({ env })
    const b = await startTestServer({ env })
    const board = await a.createBoard('Närvaro över instanser')
    const anna = await connectSynced(a.wsUrl, board.id, board.tokens.facilitator)
    const cecilia = await connectSynced(a.wsUrl, board.id, board.tokens.viewer)
    const bert = await connectSynced(b.wsUrl, board.id, board.tokens.participant)
    const annaId = anna.doc.clientID
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna', role: 'facilitator' })
    bert.provider.awareness.setLocalStateField('user', { name: 'Bert', role: 'facilitator' })
    await waitFor(() => userOf(bert, annaId)?.name === 'Anna', 'Bert (on b) to see Anna (on a)')
    await waitFor(() => userOf(cecilia, bert.doc.clientID)?.name === 'Bert', 'Cecilia (on a) to see Bert (on b)')
    expect(userOf(cecilia, bert.doc.clientID)?.role).toBe('participant')
    expect(userOf(bert, annaId)?.role).toBe('facilitator')

    const seenOnB = namesSeen(bert, annaId)
    const seenOnA = namesSeen(cecilia, annaId)
    const raw = await spoofer(board, 'participant', b)
    raw.send(awarenessFrame(awarenessUpdateFor(annaId, 2 ** 40, { user: { name: 'Falsk' } })))
    raw.send(awarenessFrame(awarenessUpdateFor(annaId, 2 ** 40 + 1, null)))
    await barrier(raw, [bert, cecilia], 70_004, 'spoofer on b')
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna B' })
    await waitFor(() => userOf(bert, annaId)?.name === 'Anna B', 'Bert to see Anna’s renewal')
    expect(seenOnB).toEqual(['Anna', 'Anna B'])
    expect(seenOnA).toEqual(['Anna', 'Anna B'])
  })
})
