import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { CLOSE } from './close-codes.ts'
import type { Config } from './config.ts'
import { createHttpHandler } from './http.ts'
import { Health } from './health.ts'
import { createLogger, type Logger } from './log.ts'
import { createMetrics, instrumentStorage, type Metrics } from './metrics.ts'
import { Boards } from './boards.ts'
import { RefusalGuard } from './refusals.ts'
import { Rooms } from './rooms.ts'
import { loadSecret } from './secret.ts'
import { Scaleout } from './scaleout/redis-fanout.ts'
import { StorageOnlyHub } from './scaleout/storage-only.ts'
import { openStorage } from './storage/open.ts'
import type { Storage } from './storage/storage.ts'
import { loadTemplates } from './templates.ts'
import { createWebSocketHandler } from './websocket.ts'

export interface SnurraServer {
  server: Server
  rooms: Rooms
  storage: Storage
  log: Logger
  /** Prometheus metrics (GET /metrics); other parts count into it, e.g. `metrics.redisErrors.inc()`. */
  metrics: Metrics
  /** Damage found in the data, reported by /healthz: `health.boardFault(id, problems)` for a board that fails its check. */
  health: Health
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
  const metrics = createMetrics()
  const store = options.storage ?? (await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, log }))
  const storage = instrumentStorage(store, metrics)
  const health = new Health()
  for (const problem of (await storage.integrityProblems?.()) ?? []) {
    log.error('database damaged', { problem })
    health.fault('database', problem)
  }
  const scaleout = config.redisUrl
    ? new Scaleout({
        redisUrl: config.redisUrl,
        log,
        resyncIntervalMs: config.resyncIntervalMs,
        onRedisError: () => metrics.redisErrors.inc(),
        // Test hook (not a setting): lose this share of incoming fan-out updates on purpose.
        dropRate: Number(process.env.SNURRA_TEST_FANOUT_DROP) || 0,
      })
    : config.databaseUrl
      ? new StorageOnlyHub({ log, resyncIntervalMs: config.resyncIntervalMs })
      : undefined
  const rooms = new Rooms({ log, idleUnloadMs: config.idleUnloadMs })
  const boards = new Boards({
    rooms,
    storage,
    log,
    compactEvery: config.compactEvery,
    maxDraftsBytes: config.maxDraftsBytes,
    scaleout,
    onRefused: (reason) => metrics.updatesRefused.inc({ reason }),
    onQuarantined: (count) => metrics.quarantined.inc(count),
    health,
    maxBoardBytes: config.quotas.maxBoardBytes,
  })
  const refusals = new RefusalGuard({ burst: config.refusedUpgradesBurst, perMinute: config.refusedUpgradesPerMinute, log })
  const ws = createWebSocketHandler({
    rooms,
    boards,
    storage,
    secret,
    log,
    maxPayload: config.maxPayload,
    maxBufferedBytes: config.maxBufferedBytes,
    metrics,
    limits: {
      messagesPerSecond: config.rateLimitMessages,
      bytesPerSecond: config.rateLimitBytes,
      maxPayload: config.maxPayload,
      perBoard: config.maxConnectionsPerBoard,
      perAddress: config.maxConnectionsPerIp,
      trustProxy: config.trustProxy,
    },
    origins: { allowed: config.allowedOrigins, publicUrl: config.publicUrl },
    refusals,
  })
  metrics.observe({
    openConnections: () => ws.wss.clients.size,
    bufferedBytes: () => [...ws.wss.clients].reduce((sum, client) => sum + client.bufferedAmount, 0),
    roomNames: () => rooms.names(),
  })
  const handle = createHttpHandler({ config, storage, templates, secret, log, rooms, boards, metrics, health })

  const server = createServer((req, res) => void handle(req, res))
  server.on('upgrade', ws.handleUpgrade)
  server.on('clientError', (_err, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const url = `http://localhost:${port}`
  log.info('listening', { port, url, dataDir: config.dataDir, storage: config.databaseUrl ? 'postgresql' : 'sqlite', fanout: config.redisUrl ? 'redis' : scaleout ? 'storage' : 'none' })

  let closing: Promise<void> | null = null
  const close = () =>
    (closing ??= (async () => {
      server.close()
      refusals.close()
      await rooms.closeAll(CLOSE.goingAway, 'server shutting down')
      for (const client of ws.wss.clients) client.terminate()
      server.closeAllConnections()
      await scaleout?.close()
      await storage.close()
      log.info('stopped')
    })())

  return { server, rooms, storage, log, metrics, health, url, close }
}
