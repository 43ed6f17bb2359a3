import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { closeCode, connectSynced, destroyAllClients, rawConnect, waitFor } from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { startTestServer, stopAllServers } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

describe('graceful shutdown', () => {
  it('SIGTERM closes every client socket with 1001, stores everything and exits 0', async () => {
    const server = await startTestServer({ env: { COMPACT_EVERY: '1000', IDLE_UNLOAD_MS: '600000' } })
    const one = await server.createBoard('Ett')
    const two = await server.createBoard('Två')
    const a = await connectSynced(server.wsUrl, one.id, one.tokens.participant)
    const b = await connectSynced(server.wsUrl, one.id, one.tokens.viewer)
    const c = await connectSynced(server.wsUrl, two.id, two.tokens.facilitator)
    const raw = rawConnect(server.wsUrl, two.id, two.tokens.participant)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
    write(a.doc, cardRecord('before-shutdown'))
    await waitFor(() => read(b.doc, 'shape:card-before-shutdown') !== undefined, 'B to see the card')

    const rawClosed = closeCode(raw)
    const exit = await server.stop()
    expect(exit).toEqual({ code: 0, signal: null })
    expect(await rawClosed).toBe(1001)
    await waitFor(() => a.closeCodes.length > 0 && b.closeCodes.length > 0 && c.closeCodes.length > 0, 'the providers to see the close')
    expect(a.closeCodes[0]).toBe(1001)
    expect(b.closeCodes[0]).toBe(1001)
    expect(c.closeCodes[0]).toBe(1001)
    expect(server.output()).toMatch(/"msg":"stopped"/)
    a.destroy()
    b.destroy()
    c.destroy()

    await server.restart()
    const d = await connectSynced(server.wsUrl, one.id, one.tokens.viewer)
    expect(read(d.doc, 'shape:card-before-shutdown')).toBeDefined()
  })

  it('SIGTERM with no clients connected also exits 0 promptly', async () => {
    const server = await startTestServer()
    await server.createBoard()
    const started = Date.now()
    expect(await server.stop()).toEqual({ code: 0, signal: null })
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('providers reconnect after a restart (1001 is not final) and keep syncing', async () => {
    const server = await startTestServer()
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    await server.stop()
    await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, 'both to notice')
    // An edit made while the server is down is delivered after it comes back.
    write(a.doc, cardRecord('offline'))
    await server.restart()
    await waitFor(() => read(b.doc, 'shape:card-offline') !== undefined, 'B to get the offline edit after reconnecting', 15_000)
  })
})
