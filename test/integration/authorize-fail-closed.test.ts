/**
 * One authorization for the HTTP API and the WebSocket, failing closed: when storage cannot say
 * whether a link is still current, the link is refused (503, or close code 1011 so the client
 * comes back later) instead of let in.
 */
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { startServer, type SnurraServer } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { closeCode, destroyAllClients, rawConnect, step1Frame } from '../helpers/clients.ts'
import { createBoard, ROOT, stopAllServers, tempDataDir, TEST_SECRET } from '../helpers/server.ts'
import * as Y from 'yjs'

afterAll(() => {
  destroyAllClients()
  return stopAllServers()
})

/** A server whose storage fails to read link generations from the `failFrom`-th read on. */
async function serverWithFlakyLinks(): Promise<{ snurra: SnurraServer; lines: string[]; failFrom(n: number): void }> {
  const real = openSqliteStorage(tempDataDir())
  let reads = 0
  let failAt = Infinity
  const flaky: Storage = {
    ...real,
    getState: (id, key) => {
      if (key === 'links' && ++reads >= failAt) return Promise.reject(new Error('database is locked (test)'))
      return real.getState(id, key)
    },
  }
  const lines: string[] = []
  const config = readConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDataDir(), SNURRA_SECRET: TEST_SECRET })
  const snurra = await startServer(config, { log: createLogger('info', (l) => lines.push(l)), templatesDir: join(ROOT, 'templates'), storage: flaky })
  return {
    snurra,
    lines,
    failFrom(n) {
      reads = 0
      failAt = n
    },
  }
}

it('a storage error while checking a link refuses it, over HTTP and on the socket, and says so in the log', async () => {
  const { snurra, lines, failFrom } = await serverWithFlakyLinks()
  try {
    const board = await createBoard(snurra.url, 'Felsäker')
    const wsUrl = snurra.url.replace(/^http/, 'ws')
    failFrom(1)
    const session = await fetch(`${snurra.url}/api/boards/${board.id}/session?token=${encodeURIComponent(board.tokens.participant)}`)
    expect(session.status).toBe(503)
    const socket = rawConnect(wsUrl, board.id, board.tokens.participant)
    expect(await closeCode(socket)).toBe(1011)
    expect(lines.some((l) => l.includes('authorization undecided') && l.includes(board.id))).toBe(true)

    // Healthy again: the same link works.
    failFrom(Infinity)
    expect((await fetch(`${snurra.url}/api/boards/${board.id}/session?token=${encodeURIComponent(board.tokens.participant)}`)).status).toBe(200)
  } finally {
    destroyAllClients()
    await snurra.close()
  }
})

it('the second look, after joining the room, also fails closed: the socket is closed', async () => {
  const { snurra, failFrom } = await serverWithFlakyLinks()
  try {
    const board = await createBoard(snurra.url, 'Andra kontrollen')
    const wsUrl = snurra.url.replace(/^http/, 'ws')
    // The first check (before the room) passes; the one after joining cannot read storage.
    failFrom(2)
    const socket = rawConnect(wsUrl, board.id, board.tokens.participant, { onOpen: (ws) => ws.send(step1Frame(new Y.Doc())) })
    expect(await closeCode(socket)).toBe(1011)
  } finally {
    destroyAllClients()
    await snurra.close()
  }
})
