/**
 * The real PostgreSQL and Redis the scale-out tests run against (local services by default;
 * `DATABASE_URL` / `REDIS_URL` to point elsewhere), scratch databases, and stopping/starting
 * the local services for the fault tests.
 *
 * A test file calls `servicesAvailable([...])` at top level and skips when it returns false: it
 * prints a loud message on a machine without the services, and throws under CI, where a
 * silently skipped suite would hide a regression.
 */
import { execFileSync, execSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'

export const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

type Service = 'postgres' | 'redis'

export async function servicesAvailable(needed: Service[]): Promise<boolean> {
  const missing: string[] = []
  if (needed.includes('postgres') && !(await postgresUp())) missing.push(`PostgreSQL at ${redact(PG_URL)}`)
  if (needed.includes('redis') && !(await redisUp())) missing.push(`Redis at ${REDIS_URL}`)
  if (missing.length === 0) return true
  const message = `${missing.join(' and ')} unreachable: set DATABASE_URL / REDIS_URL to run the scale-out tests`
  if (process.env.CI) throw new Error(`${message} (required in CI)`)
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING: ${message}\n${'!'.repeat(100)}\n`)
  return false
}

export async function postgresUp(url = PG_URL): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
  client.on('error', () => {})
  try {
    await client.connect()
    await client.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await client.end().catch(() => {})
  }
}

export async function redisUp(url = REDIS_URL): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on('error', () => {})
  try {
    await redis.connect()
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    redis.disconnect()
  }
}

export interface ScratchDatabase {
  url: string
  name: string
  /** Runs SQL against the scratch database (a short-lived connection). */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  drop(): Promise<void>
}

/** A new, empty database of its own (other test runs use theirs); drop it afterwards. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `snurra_test_${randomBytes(6).toString('hex')}`
  await adminQuery(`CREATE DATABASE ${name}`)
  const u = new URL(PG_URL)
  u.pathname = `/${name}`
  const url = u.toString()
  return {
    url,
    name,
    async query(sql, params) {
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        return (await client.query(sql, params)).rows
      } finally {
        await client.end()
      }
    },
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@')

// --- Stopping and starting the local services (fault tests). Always restart in finally. ------

export function stopPostgres(): void {
  execSync(`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main stop -m fast`, { stdio: 'ignore' })
}

export async function startPostgres(): Promise<void> {
  try {
    execSync(`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, { stdio: 'ignore' })
  } catch {
    // already running
  }
  await until(() => postgresUp(), 'PostgreSQL to accept connections')
}

export function stopRedis(): void {
  try {
    execFileSync('redis-cli', ['shutdown', 'nosave'], { stdio: 'ignore' })
  } catch {
    // redis-cli may report the connection the shutdown closed
  }
}

export async function startRedis(): Promise<void> {
  if (!(await redisUp())) {
    execFileSync(
      'redis-server',
      ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log'],
      { stdio: 'ignore' },
    )
  }
  await until(() => redisUp(), 'Redis to accept connections')
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
