/**
 * Links replaced while a socket is still being set up (token checked, board loading): the
 * replacement closes only sockets already in the room, so the server must look again once the
 * late one has joined. A storage whose load waits on a gate holds the socket in that window.
 */
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startServer } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { closeCode, destroyAllClients, rawConnect, waitFor } from '../helpers/clients.ts'
import { createBoard, ROOT, stopAllServers, tempDataDir, TEST_SECRET } from '../helpers/server.ts'

afterAll(() => {
  destroyAllClients()
  return stopAllServers()
})

it('a socket that was connecting while its link was replaced is closed with 4401 once it joins', async () => {
  const dataDir = tempDataDir()
  const real = openSqliteStorage(dataDir)
  let release!: () => void
  const gate = new Promise<void>((r) => (release = r))
  let loading = 0
  const gated: Storage = {
    ...real,
    async loadBoard(id) {
      loading++
      await gate
      return real.loadBoard(id)
    },
  }
  const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SNURRA_SECRET: TEST_SECRET })
  const snurra = await startServer(config, { log: createLogger('error', () => {}), templatesDir: join(ROOT, 'templates'), storage: gated })
  try {
    const board = await createBoard(snurra.url, 'Länkbyte under anslutning')
    const socket = rawConnect(snurra.url.replace(/^http/, 'ws'), board.id, board.tokens.participant)
    await waitFor(() => loading === 1, 'the socket to be waiting for the board to load')

    const res = await fetch(`${snurra.url}/api/boards/${board.id}/links?token=${encodeURIComponent(board.tokens.facilitator)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"roles":["participant"]}',
    })
    expect(res.status).toBe(200)
    release()
    expect(await closeCode(socket)).toBe(4401)
  } finally {
    release()
    await snurra.close()
  }
})
