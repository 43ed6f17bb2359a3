/**
 * Starts the real Snurra server as a child process (`node --import tsx server/main.ts`) on a free
 * port with a fresh temporary DATA_DIR, and keeps everything it prints for assertions.
 *
 * Every process started here is registered and killed by `stopAllServers()` (call it in
 * afterAll/afterEach) and, as a last resort, by a process 'exit' hook, so nothing leaks.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'

export const ROOT = resolve(import.meta.dirname, '..', '..')

/** A known secret, so tests can sign their own tokens (expired ones, tokens for unknown boards). */
export const TEST_SECRET = 'snurra-test-secret-0123456789-abcdefghijklmnop'

export interface StartOptions {
  /** Extra environment (IDLE_UNLOAD_MS, COMPACT_EVERY, MAX_PAYLOAD_BYTES, LOG_LEVEL, …). */
  env?: Record<string, string>
  /** Reuse a data directory instead of a fresh one. */
  dataDir?: string
  port?: number
  /** Extra Node arguments before the entry point (e.g. `--import` of a preload such as clock-offset.mjs). */
  nodeArgs?: string[]
}

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
}

/** What every test server offers, in a child process or in the test's own (in-process-server.ts). */
export interface ServerHandle {
  readonly url: string
  readonly wsUrl: string
  readonly port: number
  readonly dataDir: string
  readonly secret: string
  /** Everything the server printed so far, across restarts (stdout and stderr). */
  output(): string
  /** Its stdout alone (the JSON log lines), across restarts. */
  stdout(): string
  /** SIGTERM and wait for the exit. */
  stop(): Promise<ExitInfo>
  /** Starts again on the same port with the same data dir (stop or kill it first if it still runs). */
  restart(extraEnv?: Record<string, string>): Promise<void>
  createBoard(title?: string, template?: string): Promise<CreatedBoard>
}

/** A server in a child process: what a test needs for kill -9, signals and exit codes. */
export interface TestServer extends ServerHandle {
  /** The current child process (changes on restart). */
  readonly proc: ChildProcess
  /** Resolves when the current process has exited. */
  exited(): Promise<ExitInfo>
  /** SIGKILL (sent synchronously) and wait for the exit. */
  kill(): Promise<ExitInfo>
}

export interface CreatedBoard {
  id: string
  links: { facilitator: string; participant: string; viewer: string }
  tokens: { facilitator: string; participant: string; viewer: string }
  title: string
}

const running = new Set<ChildProcess>()
const tempDirs = new Set<string>()

process.on('exit', () => {
  for (const proc of running) {
    try {
      proc.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolvePort(port))
    })
  })
}

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-test-'))
  tempDirs.add(dir)
  return dir
}

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const port = options.port ?? (await freePort())
  const dataDir = options.dataDir ?? tempDataDir()
  const baseEnv: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SNURRA_SKIP_BUILD: '1',
    SNURRA_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    // Tests make many boards and many refused links from one address: these per-address limits
    // stay out of the way unless a test sets them.
    CREATE_RATE_LIMIT: '1000000',
    REFUSED_UPGRADES_BURST: '1000000',
    ...options.env,
  }
  const url = `http://127.0.0.1:${port}`
  const chunks: string[] = []
  const outChunks: string[] = []
  let proc!: ChildProcess
  let exitPromise!: Promise<ExitInfo>

  async function launch(extraEnv: Record<string, string> = {}): Promise<void> {
    const env = { ...process.env, ...baseEnv, ...extraEnv }
    // Never let the parent's test runner settings leak into the server.
    delete env.NODE_OPTIONS
    delete env.VITEST
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    proc = child
    running.add(child)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (chunks.push(d), outChunks.push(d)))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => chunks.push(d))
    // 'close', not 'exit': the process can be gone while its last output is still in the pipe,
    // and tests read output() right after a stop.
    exitPromise = new Promise<ExitInfo>((res) => {
      child.once('close', (code, signal) => {
        running.delete(child)
        res({ code, signal })
      })
    })
    await waitForHealthy(url, exitPromise, () => chunks.join(''))
  }

  await launch()

  const server: TestServer = {
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    secret: TEST_SECRET,
    get proc() {
      return proc
    },
    output: () => chunks.join(''),
    stdout: () => outChunks.join(''),
    exited: () => exitPromise,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      return withTimeout(exitPromise, 15_000, 'server did not exit after SIGTERM')
    },
    async kill() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
      return withTimeout(exitPromise, 10_000, 'server did not exit after SIGKILL')
    },
    async restart(extraEnv = {}) {
      if (proc.exitCode === null && proc.signalCode === null) await server.stop()
      await launch(extraEnv)
    },
    createBoard: (title = 'Testtavla', template = 'hallunda-norsborg') => createBoard(url, title, template),
  }
  return server
}

const stoppers = new Set<() => Promise<void>>()

/** Lets another kind of test server (in-process-server.ts) be stopped by `stopAllServers()` too. */
export function onStopAll(stop: () => Promise<void>): void {
  stoppers.add(stop)
}

/**
 * Kills every server this process started (SIGTERM, then SIGKILL after a grace period), closes
 * the in-process ones and
 * removes the temporary data directories.
 */
export async function stopAllServers(): Promise<void> {
  await Promise.all([stopProcesses(), ...[...stoppers].map((stop) => stop())])
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

async function stopProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (proc) =>
        new Promise<void>((res) => {
          if (proc.exitCode !== null || proc.signalCode !== null) return res()
          const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
          proc.once('exit', () => {
            clearTimeout(timer)
            res()
          })
          proc.kill('SIGTERM')
        }),
    ),
  )
}

async function waitForHealthy(url: string, exited: Promise<ExitInfo>, output: () => string): Promise<void> {
  let exit: ExitInfo | null = null
  void exited.then((e) => (exit = e))
  // A hang guard, not a speed requirement: on a shared two-core machine under a load of 20 or
  // more, loading the server through tsx alone was seen to take over 30 s.
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (exit) throw new Error(`server exited before it was healthy (${JSON.stringify(exit)}):\n${output()}`)
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  throw new Error(`server not healthy within 90 s:\n${output()}`)
}

export async function createBoard(url: string, title = 'Testtavla', template = 'hallunda-norsborg'): Promise<CreatedBoard> {
  const res = await fetch(`${url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ template, title }),
  })
  const body = (await res.json()) as { id: string; links: CreatedBoard['links'] }
  if (res.status !== 201) throw new Error(`create board failed: ${res.status} ${JSON.stringify(body)}`)
  const tokens = Object.fromEntries(
    Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? '']),
  ) as CreatedBoard['tokens']
  return { id: body.id, links: body.links, tokens, title }
}

/** Reads the server's SQLite file (read-only; safe while the server runs in WAL mode). */
export function querySqlite<T = Record<string, unknown>>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'snurra.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${message} (after ${ms} ms)`)), ms)
    }),
  ])
}

/**
 * Sends `request` verbatim over TCP (for request lines no HTTP client would produce) and
 * resolves with the status line of the answer, or null if the connection closed without one.
 */
export function rawHttp(port: number, request: string, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolveStatus) => {
    let settled = false
    const done = (status: string | null) => {
      if (settled) return
      settled = true
      socket.destroy()
      resolveStatus(status)
    }
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      data += chunk
      if (data.includes('\r\n')) done(data.split('\r\n')[0])
    })
    socket.on('error', () => done(null))
    socket.on('close', () => done(data ? data.split('\r\n')[0] : null))
    setTimeout(() => done(null), timeoutMs).unref()
  })
}
