/**
 * "Every update is appended durably before it is broadcast": anything another client has seen
 * survives a clean restart and a kill -9 of the server.
 *
 * The writing clients are destroyed before the server comes back, so they cannot re-send their
 * state on reconnect and hide a loss: only the server's storage can bring the data back.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { connectSynced, destroyAllClients, waitFor } from '../helpers/clients.ts'
import { allRecords, cardRecord, read, write } from '../helpers/records.ts'
import { startTestServer, stopAllServers } from '../helpers/server.ts'
import type { JsonRecord } from '../../core/record-store.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

describe('durability', () => {
  it('state survives a clean restart (SIGTERM)', async () => {
    const server = await startTestServer()
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    for (let i = 0; i < 10; i++) write(a.doc, cardRecord(i, { x: i }))
    write(a.doc, cardRecord(3, { x: 333, props: { title: 'Flyttad' } }))
    await waitFor(() => read(b.doc, 'shape:card-3')?.x === 333, 'B to see the last update')
    const expected = allRecords(b.doc)

    const exit = await server.stop()
    expect(exit.code).toBe(0)
    a.destroy()
    b.destroy()
    await server.restart()

    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    expect(allRecords(c.doc)).toEqual(expected)
    expect(read(c.doc, 'shape:card-3')).toMatchObject({ x: 333, props: { title: 'Flyttad' } })
  })

  it('an update another client has seen survives kill -9 right after, repeatedly', async () => {
    const server = await startTestServer()
    const board = await server.createBoard()
    const written: string[] = []
    for (let round = 0; round < 4; round++) {
      const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
      const b = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
      // Everything from earlier rounds is back after the crash.
      for (const id of written) expect(read(b.doc, id), `${id} after crash ${round}`).toBeDefined()
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        const rec = cardRecord(`r${round}n${i}`, { x: round * 100 + i })
        write(a.doc, rec)
        ids.push(rec.id)
      }
      // Moves of an earlier card, several updates in a row.
      if (written.length) for (let x = 0; x < 5; x++) write(a.doc, { ...(read(a.doc, written[0]) as JsonRecord), x: round * 1000 + x })
      const lastId = ids[ids.length - 1]
      const expectedX = written.length ? round * 1000 + 4 : undefined
      await waitFor(
        () => read(b.doc, lastId) !== undefined && (expectedX === undefined || read(b.doc, written[0])?.x === expectedX),
        `B to see round ${round}`,
      )
      // Immediately: no grace period for the server to flush anything.
      const killed = server.kill()
      a.destroy()
      b.destroy()
      expect((await killed).signal).toBe('SIGKILL')
      written.push(...ids)
      await server.restart()

      const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
      const missing = written.filter((id) => read(c.doc, id) === undefined)
      expect(missing, `round ${round}: records lost by kill -9`).toEqual([])
      if (expectedX !== undefined) expect(read(c.doc, written[0])!.x).toBe(expectedX)
      c.destroy()
    }
  })

  it('an update seen by another client survives kill -9 even when sent as the very last frame before it', async () => {
    const server = await startTestServer()
    const board = await server.createBoard()
    for (let round = 0; round < 3; round++) {
      const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
      const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
      const id = `shape:card-last${round}`
      write(a.doc, cardRecord(`last${round}`))
      // Kill the moment B has it: poll tightly.
      await waitFor(() => read(b.doc, id) !== undefined, 'B to see it', 10_000, 1)
      server.proc.kill('SIGKILL')
      a.destroy()
      b.destroy()
      await server.kill()
      await server.restart()
      const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
      expect(read(c.doc, id), `round ${round}`).toBeDefined()
      c.destroy()
    }
  })
})
