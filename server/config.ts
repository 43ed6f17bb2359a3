import { resolve } from 'node:path'
import { parseAllowedOrigins } from './origin.ts'

/** Every setting, read once from the environment. The README's configuration table mirrors this. */
export interface Config {
  port: number
  host: string
  dataDir: string
  secret: string | undefined
  publicUrl: string | undefined
  tldrawLicenseKey: string
  logLevel: string
  /** Largest WebSocket frame accepted; larger ones close the socket with 1009. */
  maxPayload: number
  /** How long a board with no clients stays in memory before it is compacted and unloaded. */
  idleUnloadMs: number
  /** Compact a board's update log into one snapshot after this many updates. */
  compactEvery: number
  tokenTtlDays: number
  clientDir: string
  // Limits and access (server/limits.ts, server/origin.ts, server/metrics.ts).
  /** A client whose unsent data passes this is disconnected (1013). */
  maxBufferedBytes: number
  /** Per connection: sustained messages and bytes per second (bursts of two seconds' worth pass). */
  rateLimitMessages: number
  rateLimitBytes: number
  maxConnectionsPerBoard: number
  maxConnectionsPerIp: number
  /** The largest one person's private drafts may grow; an update past it is refused. */
  maxDraftsBytes: number
  /** How many proxies in front of us append to X-Forwarded-For (TRUST_PROXY); 0 ignores the header. */
  trustProxy: number
  /** Origins allowed to open a WebSocket; null: the request's own host or PUBLIC_URL. */
  allowedOrigins: string[] | null
  /** If set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined
  // Several instances (server/storage/postgres.ts, server/scaleout/).
  /** PostgreSQL instead of SQLite. */
  databaseUrl: string | undefined
  /** Redis fan-out between instances that serve the same boards. */
  redisUrl: string | undefined
  /** How often a loaded board checks the database for updates a lost Redis message did not bring. */
  resyncIntervalMs: number
  // Who may create boards, and how much they may hold (server/create-gate.ts, server/quotas.ts).
  /** If set, creating a board and restoring a backup or a version need `Authorization: Bearer <createKey>`. */
  createKey: string | undefined
  /** Boards created or restored per hour from one address. */
  createRatePerHour: number
  /** Refused upgrades from one address before further ones are answered 429, and how fast that drains. */
  refusedUpgradesBurst: number
  refusedUpgradesPerMinute: number
  quotas: Quotas
}

/** What one board may hold; reaching a quota is refused with a clear error and changes nothing. */
export interface Quotas {
  /** A board's document (its Yjs state), in bytes. */
  maxBoardBytes: number
  /** Named versions per board. */
  maxVersions: number
  /** A JSON backup sent for restore, in bytes. */
  maxBackupBytes: number
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int(env.PORT, 8080, 0, 65535, 'PORT'),
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    secret: env.SNURRA_SECRET || undefined,
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined,
    tldrawLicenseKey: env.TLDRAW_LICENSE_KEY ?? '',
    logLevel: env.LOG_LEVEL ?? 'info',
    idleUnloadMs: int(env.IDLE_UNLOAD_MS, 30_000, 0, 24 * 3600_000, 'IDLE_UNLOAD_MS'),
    compactEvery: int(env.COMPACT_EVERY, 500, 1, 1_000_000, 'COMPACT_EVERY'),
    tokenTtlDays: int(env.TOKEN_TTL_DAYS, 180, 1, 3650, 'TOKEN_TTL_DAYS'),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
    ...readLimits(env),
    ...readScaleout(env),
    ...readCreation(env),
  }
}

function readCreation(env: NodeJS.ProcessEnv) {
  const createKey = env.CREATE_KEY || undefined
  // A short key would fall to guessing long before the rate limit mattered.
  if (createKey !== undefined && createKey.length < 16) throw new Error('CREATE_KEY must be at least 16 characters')
  return {
    createKey,
    createRatePerHour: int(env.CREATE_RATE_LIMIT, 60, 1, 1_000_000, 'CREATE_RATE_LIMIT'),
    refusedUpgradesBurst: int(env.REFUSED_UPGRADES_BURST, 30, 1, 1_000_000, 'REFUSED_UPGRADES_BURST'),
    refusedUpgradesPerMinute: int(env.REFUSED_UPGRADES_PER_MINUTE, 30, 1, 1_000_000, 'REFUSED_UPGRADES_PER_MINUTE'),
    quotas: {
      maxBoardBytes: int(env.MAX_BOARD_BYTES, 16 * 1024 * 1024, 64 * 1024, 1024 ** 3, 'MAX_BOARD_BYTES'),
      maxVersions: int(env.MAX_VERSIONS_PER_BOARD, 100, 0, 100_000, 'MAX_VERSIONS_PER_BOARD'),
      maxBackupBytes: int(env.MAX_BACKUP_BYTES, 64 * 1024 * 1024, 1024, 1024 ** 3, 'MAX_BACKUP_BYTES'),
    },
  }
}

function readScaleout(env: NodeJS.ProcessEnv) {
  const databaseUrl = env.DATABASE_URL || undefined
  const redisUrl = env.REDIS_URL || undefined
  // Instances sharing boards through Redis must share one database and one secret; refuse a
  // setup that would look fine with one instance and lose data or links with two.
  if (redisUrl && !databaseUrl) throw new Error('REDIS_URL needs DATABASE_URL: instances that share boards must share one PostgreSQL database')
  if (redisUrl && !env.SNURRA_SECRET) throw new Error('REDIS_URL needs SNURRA_SECRET: every instance must sign and check links with the same secret')
  return {
    databaseUrl,
    redisUrl,
    resyncIntervalMs: int(env.RESYNC_INTERVAL_MS, 5000, 100, 3600_000, 'RESYNC_INTERVAL_MS'),
  }
}

function readLimits(env: NodeJS.ProcessEnv) {
  const maxPayload = int(env.MAX_PAYLOAD_BYTES, 1024 * 1024, 1024, 64 * 1024 * 1024, 'MAX_PAYLOAD_BYTES')
  return {
    maxPayload,
    maxBufferedBytes: int(env.MAX_BUFFERED_BYTES, Math.max(8 * 1024 * 1024, maxPayload * 4), 64 * 1024, 1024 ** 3, 'MAX_BUFFERED_BYTES'),
    // Measured (test/e2e/drag-rate.test.ts): dragging a card sends ~90 messages and ~11 KB in its
    // busiest second; a 240 Hz display would reach ~300 messages. Well above both, far below abuse.
    rateLimitMessages: int(env.RATE_LIMIT_MESSAGES, 500, 1, 1_000_000, 'RATE_LIMIT_MESSAGES'),
    rateLimitBytes: int(env.RATE_LIMIT_BYTES, 1024 * 1024, 1024, 1024 ** 3, 'RATE_LIMIT_BYTES'),
    maxConnectionsPerBoard: int(env.MAX_CONNECTIONS_PER_BOARD, 500, 1, 1_000_000, 'MAX_CONNECTIONS_PER_BOARD'),
    // A browser opens two sockets (the board and its private drafts), and a workshop room often
    // reaches us through one NAT address: 200 lets 100 people in one building join.
    maxConnectionsPerIp: int(env.MAX_CONNECTIONS_PER_IP, 200, 1, 1_000_000, 'MAX_CONNECTIONS_PER_IP'),
    // A draft card takes well under 1 KB: 1 MiB holds a thousand of them.
    maxDraftsBytes: int(env.MAX_DRAFTS_BYTES, 256 * 1024, 4096, 1024 ** 3, 'MAX_DRAFTS_BYTES'),
    trustProxy: int(env.TRUST_PROXY, 0, 0, 10, 'TRUST_PROXY'),
    allowedOrigins: parseAllowedOrigins(env.ALLOWED_ORIGINS),
    metricsToken: env.METRICS_TOKEN || undefined,
  }
}

function int(raw: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  return n
}
