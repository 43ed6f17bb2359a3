/**
 * When storage refuses a write, nothing is acknowledged or broadcast, and nothing is lost: the
 * writer keeps its edit and sends it again once it reconnects. Updates are stored in batches
 * (group commit), so a failed batch closes every connection of the room, which reloads from
 * storage on the next join.
 */
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startServer } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { connectSynced, destroyAllClients, waitFor } from '../helpers/clients.ts'
import { cardRecord, has, write } from '../helpers/records.ts'
import { createBoard, ROOT, sleep, stopAllServers, tempDataDir, TEST_SECRET } from '../helpers/server.ts'
import { storedDoc } from '../helpers/snurra.ts'

afterAll(() => {
  destroyAllClients()
  return stopAllServers()
})

it('a write the disk refuses reaches nobody, and arrives once storage works again', async () => {
  const dataDir = tempDataDir()
  const real = openSqliteStorage(dataDir)
  let failing = false
  const refuse = () => Promise.reject(new Error('disk full (test)'))
  const flaky: Storage = {
    ...real,
    appendUpdates: (id, updates) => (failing ? refuse() : real.appendUpdates(id, updates)),
  }
  const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SNURRA_SECRET: TEST_SECRET })
  const snurra = await startServer(config, { log: createLogger('error', () => {}), templatesDir: join(ROOT, 'templates'), storage: flaky })
  try {
    const wsUrl = snurra.url.replace(/^http/, 'ws')
    const board = await createBoard(snurra.url, 'Full disk')
    const writer = await connectSynced(wsUrl, board.id, board.tokens.participant)
    const reader = await connectSynced(wsUrl, board.id, board.tokens.participant)

    failing = true
    write(writer.doc, cardRecord('refused'))
    await waitFor(() => writer.closeCodes.includes(1011), 'the writer to be closed with 1011')
    await sleep(300)
    expect(has(reader.doc, 'shape:card-refused')).toBe(false)
    expect(has(storedDoc(dataDir, board.id), 'shape:card-refused')).toBe(false)

    failing = false
    // The providers reconnect on their own; the writer's sync carries the edit again.
    await waitFor(() => has(reader.doc, 'shape:card-refused'), 'the edit to arrive after storage recovered', 15_000)
    expect(has(storedDoc(dataDir, board.id), 'shape:card-refused')).toBe(true)
  } finally {
    destroyAllClients()
    await snurra.close()
  }
})
