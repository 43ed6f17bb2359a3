/**
 * A client must never be told it is synced while the board's stored state is still loading:
 * it would see an empty board (and a client that seeds defaults would seed them twice).
 */
import { join } from 'node:path'
import * as Y from 'yjs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { metaOf } from '../../core/board-meta.ts'
import { recordsOf } from '../../core/record-store.ts'
import { startServer, type SnurraServer } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { connectClient, connectSynced, destroyAllClients, waitFor, waitSynced, type Client } from '../helpers/clients.ts'
import { cardRecord, read, taskSegmentIds, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { ROOT, createBoard, stopAllServers, tempDataDir, TEST_SECRET } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

interface SyncSnapshot {
  title: unknown
  tasks: string[]
  cards: string[]
}

/** Captures the document's content synchronously inside the first `synced` event. */
function captureAtSync(client: Client): () => SyncSnapshot | null {
  let seen: SyncSnapshot | null = null
  client.provider.on('sync', (synced: boolean) => {
    if (!synced || seen) return
    seen = {
      title: metaOf(client.doc).get('title'),
      tasks: taskSegmentIds(client.doc),
      cards: [...recordsOf(client.doc).keys()].filter((k) => k.startsWith('shape:card-')).sort(),
    }
  })
  return () => seen
}

describe('load before sync', () => {
  it('after a restart, the first client’s synced event already has the stored content', async () => {
    const server = await startInProcessServer()
    const board = await server.createBoard('Före omstart')
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    for (let i = 0; i < 3; i++) write(a.doc, cardRecord(i))
    await waitFor(() => read(b.doc, 'shape:card-2') !== undefined, 'B to see the cards')
    a.destroy()
    b.destroy()
    expect((await server.stop()).code).toBe(0)
    await server.restart()

    const c = connectClient(server.wsUrl, board.id, board.tokens.viewer)
    const atSync = captureAtSync(c)
    await waitSynced(c)
    expect(atSync()).toEqual({
      title: 'Före omstart',
      tasks: expect.arrayContaining(['shape:task-samspel']),
      cards: ['shape:card-0', 'shape:card-1', 'shape:card-2'],
    })
    expect(atSync()!.tasks).toHaveLength(4)
  })

  it('with a slow storage, clients that connect during the load are answered only after it', async () => {
    const dataDir = tempDataDir()
    const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SNURRA_SECRET: TEST_SECRET, LOG_LEVEL: 'error' })
    const silent = createLogger('error', () => {})
    const templatesDir = join(ROOT, 'templates')

    // First run: create a board with content, then shut down cleanly.
    let snurra: SnurraServer = await startServer(config, { log: silent, templatesDir })
    const wsUrl = snurra.url.replace(/^http/, 'ws')
    const board = await createBoard(snurra.url, 'Långsam lagring')
    const a = await connectSynced(wsUrl, board.id, board.tokens.participant)
    write(a.doc, cardRecord('slow'))
    const b = await connectSynced(wsUrl, board.id, board.tokens.participant)
    await waitFor(() => read(b.doc, 'shape:card-slow') !== undefined, 'B to see the card')
    a.destroy()
    b.destroy()
    await snurra.close()

    // Second run on a storage whose load takes 1.5 s.
    const LOAD_DELAY = 1500
    const real = openSqliteStorage(dataDir)
    let loadsStarted = 0
    let loadsFinished = 0
    const slow: Storage = {
      ...real,
      async loadBoard(id) {
        loadsStarted++
        await new Promise((r) => setTimeout(r, LOAD_DELAY))
        const stored = await real.loadBoard(id)
        loadsFinished++
        return stored
      },
    }
    snurra = await startServer({ ...config, port: 0 }, { log: silent, templatesDir, storage: slow })
    try {
      const wsUrl2 = snurra.url.replace(/^http/, 'ws')
      const started = Date.now()
      const clients = [
        connectClient(wsUrl2, board.id, board.tokens.participant),
        connectClient(wsUrl2, board.id, board.tokens.viewer),
        connectClient(wsUrl2, board.id, board.tokens.facilitator),
      ]
      const captures = clients.map(captureAtSync)
      await Promise.all(clients.map((c) => waitSynced(c)))
      expect(Date.now() - started).toBeGreaterThanOrEqual(LOAD_DELAY - 50)
      for (const capture of captures) {
        expect(capture()).toEqual({ title: 'Långsam lagring', tasks: expect.any(Array), cards: ['shape:card-slow'] })
        expect(capture()!.tasks).toHaveLength(4)
      }
      // One load for all three, and the seed was not applied twice (no duplicated template records).
      expect(loadsStarted).toBe(1)
      expect(loadsFinished).toBe(1)
      const c = clients[0]
      expect(taskSegmentIds(c.doc)).toHaveLength(4)
      const sv = Y.decodeStateVector(Y.encodeStateVector(c.doc))
      for (const cl of clients) expect(sv.has(cl.doc.clientID)).toBe(false)
    } finally {
      destroyAllClients()
      await snurra.close()
    }
  })
})
