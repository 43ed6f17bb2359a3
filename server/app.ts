import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { CLOSE } from './close-codes.ts'
import type { Config } from './config.ts'
import { createHttpHandler } from './http.ts'
import { createLogger, type Logger } from './log.ts'
import { Boards } from './boards.ts'
import { Rooms } from './rooms.ts'
import { loadSecret } from './secret.ts'
import { openSqliteStorage } from './storage/sqlite.ts'
import type { Storage } from './storage/storage.ts'
import { loadTemplates } from './templates.ts'
import { createWebSocketHandler } from './websocket.ts'

export interface SnurraServer {
  server: Server
  rooms: Rooms
  storage: Storage
  log: Logger
  url: string
  /** Graceful stop: no new connections, close sockets with 1001, store every board, close storage. */
  close(): Promise<void>
}

export interface StartOptions {
  storage?: Storage
  log?: Logger
  templatesDir?: string
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<SnurraServer> {
  const log = options.log ?? createLogger(config.logLevel)
  const templates = loadTemplates(options.templatesDir ?? join(import.meta.dirname, '..', 'templates'))
  const secret = loadSecret(config.dataDir, config.secret)
  const storage = options.storage ?? openSqliteStorage(config.dataDir)
  const rooms = new Rooms({ log, idleUnloadMs: config.idleUnloadMs })
  const boards = new Boards({ rooms, storage, log, compactEvery: config.compactEvery })
  const ws = createWebSocketHandler({
    rooms,
    boards,
    storage,
    secret,
    log,
    maxPayload: config.maxPayload,
    maxBufferedBytes: Math.max(8 * 1024 * 1024, config.maxPayload * 4),
  })
  const handle = createHttpHandler({ config, storage, templates, secret, log, rooms })

  const server = createServer((req, res) => void handle(req, res))
  server.on('upgrade', ws.handleUpgrade)
  server.on('clientError', (_err, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://localhost:${port}`
  log.info('listening', { port, url, dataDir: config.dataDir })

  let closing: Promise<void> | null = null
  const close = () =>
    (closing ??= (async () => {
      server.close()
      await rooms.closeAll(CLOSE.goingAway, 'server shutting down')
      for (const client of ws.wss.clients) client.terminate()
      server.closeAllConnections()
      await storage.close()
      log.info('stopped')
    })())

  return { server, rooms, storage, log, url, close }
}
