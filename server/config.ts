import { resolve } from 'node:path'

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
    maxPayload: int(env.MAX_PAYLOAD_BYTES, 1024 * 1024, 1024, 64 * 1024 * 1024, 'MAX_PAYLOAD_BYTES'),
    idleUnloadMs: int(env.IDLE_UNLOAD_MS, 30_000, 0, 24 * 3600_000, 'IDLE_UNLOAD_MS'),
    compactEvery: int(env.COMPACT_EVERY, 500, 1, 1_000_000, 'COMPACT_EVERY'),
    tokenTtlDays: int(env.TOKEN_TTL_DAYS, 180, 1, 3650, 'TOKEN_TTL_DAYS'),
    clientDir: resolve(env.CLIENT_DIR ?? 'dist/client'),
  }
}

function int(raw: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  return n
}
