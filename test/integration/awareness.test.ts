import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { awarenessFrame, awarenessUpdateFor, connectSynced, destroyAllClients, rawConnect, waitFor, type Client } from '../helpers/clients.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { stopAllServers, type ServerHandle } from '../helpers/server.ts'

let server: ServerHandle

beforeAll(async () => {
  server = await startInProcessServer()
})
afterEach(destroyAllClients)
afterAll(stopAllServers)

const nameOf = (observer: Client, clientId: number): unknown =>
  (observer.provider.awareness.getStates().get(clientId) as { user?: { name?: string } } | undefined)?.user?.name

describe('awareness', () => {
  it('A’s state reaches B, and a later change too', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    a.provider.awareness.setLocalStateField('user', { name: 'A' })
    await waitFor(() => nameOf(b, a.doc.clientID) === 'A', 'B to see A’s name')
    a.provider.awareness.setLocalStateField('user', { name: 'A2', color: '#123456' })
    await waitFor(() => nameOf(b, a.doc.clientID) === 'A2', 'B to see A’s new name')
    // And the other way round.
    b.provider.awareness.setLocalStateField('user', { name: 'B' })
    await waitFor(() => nameOf(a, b.doc.clientID) === 'B', 'A to see B’s name')
  })

  it('a client joining later gets the states already there', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    a.provider.awareness.setLocalStateField('user', { name: 'Först' })
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    await waitFor(() => nameOf(b, a.doc.clientID) === 'Först', 'B to see A’s name')
    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    await waitFor(() => nameOf(c, a.doc.clientID) === 'Först', 'late C to see A’s name')
  })

  it('when A disconnects cleanly, B no longer has A’s client id', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const aId = a.doc.clientID
    a.provider.awareness.setLocalStateField('user', { name: 'A' })
    await waitFor(() => nameOf(b, aId) === 'A', 'B to see A')
    a.destroy()
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 'A’s state to disappear at B', 5000)
  })

  it('when a socket dies without saying goodbye, the server removes its states for everyone', async () => {
    const board = await server.createBoard()
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    // (A state still at clock 0, the provider's initial {}, is ignored by y-protocols peers: set one.)
    b.provider.awareness.setLocalStateField('user', { name: 'B' })
    // A raw client that announces a state for client id 4711 and then vanishes (no null state sent).
    const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
    raw.send(awarenessFrame(awarenessUpdateFor(4711, 1, { user: { name: 'Rå' } })))
    await waitFor(() => nameOf(b, 4711) === 'Rå', 'B to see the raw client')
    raw.terminate()
    await waitFor(() => !b.provider.awareness.getStates().has(4711), 'the vanished client’s state to disappear at B', 5000)
    // A late joiner does not get it either.
    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    await waitFor(() => nameOf(c, b.doc.clientID) === 'B', 'C to see B')
    expect(c.provider.awareness.getStates().has(4711)).toBe(false)
  })

  it('awareness stays within its board', async () => {
    const one = await server.createBoard('Ett')
    const two = await server.createBoard('Två')
    const a = await connectSynced(server.wsUrl, one.id, one.tokens.participant)
    const b = await connectSynced(server.wsUrl, one.id, one.tokens.participant)
    const other = await connectSynced(server.wsUrl, two.id, two.tokens.participant)
    a.provider.awareness.setLocalStateField('user', { name: 'Bara på ett' })
    await waitFor(() => nameOf(b, a.doc.clientID) === 'Bara på ett', 'B to see A')
    await new Promise((r) => setTimeout(r, 200))
    expect(other.provider.awareness.getStates().has(a.doc.clientID)).toBe(false)
  })
})
