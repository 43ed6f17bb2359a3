import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { connectSynced, destroyAllClients, waitFor } from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { querySqlite, sleep, startTestServer, stopAllServers, type ServerHandle } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

const logRows = (server: ServerHandle, boardId: string) =>
  querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM updates WHERE board_id = ?', boardId)[0].n
const snapshot = (server: ServerHandle, boardId: string) =>
  querySqlite<{ state: Buffer; upto_seq: number }>(server.dataDir, 'SELECT state, upto_seq FROM snapshots WHERE board_id = ?', boardId)[0]

describe('compaction', () => {
  it('COMPACT_EVERY=5: after 20 updates the log holds fewer than 5 rows and a reload has all 20', async () => {
    const server = await startTestServer({ env: { COMPACT_EVERY: '5', IDLE_UNLOAD_MS: '600000' } })
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    for (let i = 0; i < 20; i++) write(a.doc, cardRecord(i, { x: i * 7 }))
    await waitFor(() => read(b.doc, 'shape:card-19') !== undefined, 'B to see update 20')

    // Compaction runs right after the update that reaches the threshold is applied and sent,
    // so allow it a moment to land before reading the file from outside.
    await waitFor(() => logRows(server, board.id) < 5, 'the log to be compacted below 5 rows')
    const rows = logRows(server, board.id)
    const snap = snapshot(server, board.id)
    expect(rows).toBeLessThan(5)
    // The snapshot itself holds the 20 cards (it was written by compaction, not only at creation).
    expect(snap.upto_seq).toBeGreaterThanOrEqual(20 - rows)
    const fromSnapshot = new Y.Doc()
    Y.applyUpdate(fromSnapshot, new Uint8Array(snap.state))
    const inSnapshot = Array.from({ length: 20 }, (_, i) => read(fromSnapshot, `shape:card-${i}`) !== undefined).filter(Boolean).length
    expect(inSnapshot).toBeGreaterThanOrEqual(20 - rows)

    // Reload from storage: crash the server so nothing can come from memory or a shutdown flush.
    const killed = server.kill()
    a.destroy()
    b.destroy()
    await killed
    await server.restart()
    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    for (let i = 0; i < 20; i++) expect(read(c.doc, `shape:card-${i}`), `card ${i}`).toMatchObject({ x: i * 7 })
  })

  it('IDLE_UNLOAD_MS=200: after everyone leaves the board is compacted (no log rows) and still complete', async () => {
    const server = await startTestServer({ env: { IDLE_UNLOAD_MS: '200', COMPACT_EVERY: '1000' } })
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    for (let i = 0; i < 8; i++) write(a.doc, cardRecord(i))
    // B edits card 3 once it has it (creating it concurrently would be a different record).
    await waitFor(() => read(b.doc, 'shape:card-7') !== undefined, 'B to see A’s cards')
    write(b.doc, cardRecord(3, { props: { title: 'Ändrad av B' } }))
    await waitFor(() => read(b.doc, 'shape:card-7') !== undefined && (read(a.doc, 'shape:card-3')?.props as { title: string })?.title === 'Ändrad av B', 'A and B to converge')
    expect(logRows(server, board.id)).toBeGreaterThanOrEqual(9)

    a.destroy()
    b.destroy()
    await waitFor(() => logRows(server, board.id) === 0, 'the log to be compacted after idle unload', 5000, 50)
    const snap = snapshot(server, board.id)
    const fromSnapshot = new Y.Doc()
    Y.applyUpdate(fromSnapshot, new Uint8Array(snap.state))
    expect(read(fromSnapshot, 'shape:card-7')).toBeDefined()
    expect(read(fromSnapshot, 'shape:card-3')).toMatchObject({ props: { title: 'Ändrad av B' } })

    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    for (let i = 0; i < 8; i++) expect(read(c.doc, `shape:card-${i}`), `card ${i}`).toBeDefined()
    expect(read(c.doc, 'shape:card-3')).toMatchObject({ props: { title: 'Ändrad av B' } })

    // And a board that was unloaded keeps working: a new edit is stored and seen after a crash.
    write(c.doc, cardRecord('after')) // a viewer: dropped
    const d = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    write(d.doc, cardRecord('after-unload'))
    await waitFor(() => read(c.doc, 'shape:card-after-unload') !== undefined, 'C to see D’s edit')
    const killed = server.kill()
    c.destroy()
    d.destroy()
    await killed
    await server.restart()
    const e = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    expect(read(e.doc, 'shape:card-after-unload')).toBeDefined()
    expect(read(e.doc, 'shape:card-after')).toBeUndefined()
  })

  it('a client that connects while the board is being unloaded still gets everything', async () => {
    const server = await startInProcessServer({ env: { IDLE_UNLOAD_MS: '0', COMPACT_EVERY: '1000' } })
    const board = await server.createBoard()
    for (let round = 0; round < 5; round++) {
      const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
      write(a.doc, cardRecord(`u${round}`))
      const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
      await waitFor(() => read(b.doc, `shape:card-u${round}`) !== undefined, 'B to see it')
      a.destroy()
      b.destroy()
      await sleep(round * 5)
      const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
      for (let r = 0; r <= round; r++) expect(read(c.doc, `shape:card-u${r}`), `round ${round}, card ${r}`).toBeDefined()
      c.destroy()
    }
  })
})
