/**
 * The servers under test, each in its own child process so that its RSS and CPU are its own:
 *
 * - `snurra`: the real server (`node --import tsx server/main.ts`) in production configuration —
 *   SQLite persistence in a fresh temporary DATA_DIR, a known SNURRA_SECRET, default limits.
 *   Rooms are real boards made through `POST /api/boards`; clients use the returned tokens.
 * - `ref`: bench/reference-server.ts (`@y/websocket-server`), documents in memory only.
 * - `ref-leveldb`: the same with its LevelDB persistence (`YPERSISTENCE=<temp dir>`).
 *
 * Every process and temporary directory started here is removed by `stopAll()` (and, as a last
 * resort, on exit), so a broken run leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..', '..')
/**
 * The Snurra checkout whose server is measured: this one, or another (SNURRA_ROOT=<dir>, e.g. an
 * exported copy with a proposed fix, with node_modules linked), for before/after figures.
 */
export const SNURRA_ROOT = resolve(process.env.SNURRA_ROOT ?? ROOT)

export type TargetKind = 'snurra' | 'ref' | 'ref-leveldb'
export const TARGETS: TargetKind[] = ['snurra', 'ref', 'ref-leveldb']
export const TARGET_LABEL: Record<TargetKind, string> = {
  snurra: 'Snurra (SQLite)',
  ref: 'reference (memory)',
  'ref-leveldb': 'reference (LevelDB)',
}

/** A known secret so the bench could sign tokens itself; boards are still made through the API. */
const BENCH_SECRET = 'snurra-bench-secret-0123456789-abcdefghijklmnop'

/** A room the clients join: a Snurra board, or a reference room name. */
export interface BenchRoom {
  id: string
  /** WebSocket URL for one client. `person` (Snurra only) is the device key the browser client sends. */
  wsUrl(role?: 'participant' | 'facilitator', person?: string): string
}

export interface ServerUnderTest {
  readonly kind: TargetKind
  /** http://127.0.0.1:<port> */
  readonly url: string
  readonly port: number
  readonly pid: number
  readonly dataDir: string | null
  /** A fresh room: on Snurra a new board from the given template (default: hallunda-norsborg). */
  newRoom(template?: string): Promise<BenchRoom>
  /** The server process's resident set (VmRSS), in bytes. */
  rss(): number
  /** Its peak resident set (VmHWM), in bytes. */
  peakRss(): number
  /** Stops (SIGTERM, waits) and starts again on the same port and data directory. */
  restart(): Promise<void>
  stop(): Promise<void>
  output(): string
}

export interface StartOptions {
  /** Extra environment for the server (e.g. IDLE_UNLOAD_MS, CLIENT_DIR). */
  env?: Record<string, string>
  /** Extra Node arguments before the entry point, e.g. `--cpu-prof`. */
  nodeArgs?: string[]
  /** Snurra only: the checkout to run (default SNURRA_ROOT). */
  root?: string
}

const running = new Set<ChildProcess>()
const tempDirs = new Set<string>()
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL')
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

export async function startServer(kind: TargetKind, options: StartOptions = {}): Promise<ServerUnderTest> {
  const port = await freePort()
  const dataDir = kind === 'ref' ? null : tempDir(kind === 'snurra' ? 'snurra-bench-data-' : 'snurra-bench-leveldb-')
  const env: Record<string, string> =
    kind === 'snurra'
      ? // Production defaults otherwise. TRUST_PROXY=1: the load generators pose as many users behind
        // a proxy (bench/lib/yclient.ts), so the per-address connection limit applies per simulated user.
        // The bench makes its 200 boards from one address as set-up, not as load: no creation limit.
        { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir!, SNURRA_SECRET: BENCH_SECRET, SNURRA_SKIP_BUILD: '1', TRUST_PROXY: '1', CREATE_RATE_LIMIT: '1000000' }
      : { PORT: String(port), HOST: '127.0.0.1', ...(dataDir ? { YPERSISTENCE: dataDir } : {}) }
  const entry = kind === 'snurra' ? 'server/main.ts' : 'bench/reference-server.ts'
  const url = `http://127.0.0.1:${port}`
  const chunks: string[] = []
  let proc!: ChildProcess
  let exited!: Promise<void>
  let roomCounter = 0

  const launch = async () => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, ...options.env }
    delete childEnv.NODE_OPTIONS
    delete childEnv.YPERSISTENCE
    if (env.YPERSISTENCE) childEnv.YPERSISTENCE = env.YPERSISTENCE
    const cwd = kind === 'snurra' ? resolve(options.root ?? SNURRA_ROOT) : ROOT
    proc = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(proc)
    const child = proc
    child.stdout!.setEncoding('utf8').on('data', (d: string) => keep(chunks, d))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => keep(chunks, d))
    exited = new Promise((res) => child.once('exit', () => (running.delete(child), res())))
    await waitHealthy(url, () => child.exitCode !== null || child.signalCode !== null, () => chunks.join(''))
  }
  await launch()

  const stopProcess = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
  }

  return {
    kind,
    url,
    port,
    dataDir,
    get pid() {
      return proc.pid!
    },
    async newRoom(template = 'hallunda-norsborg') {
      if (kind !== 'snurra') {
        const id = `room-${++roomCounter}`
        return { id, wsUrl: () => `ws://127.0.0.1:${port}/${id}` }
      }
      const board = await createBoard(url, template, `Bench ${++roomCounter}`)
      return {
        id: board.id,
        wsUrl: (role = 'participant', person) =>
          `ws://127.0.0.1:${port}/ws/${board.id}?token=${board.tokens[role]}${person ? `&person=${person}` : ''}`,
      }
    },
    rss: () => procStatusBytes(proc.pid!, 'VmRSS'),
    peakRss: () => procStatusBytes(proc.pid!, 'VmHWM'),
    async restart() {
      await stopProcess()
      await launch()
    },
    async stop() {
      await stopProcess()
      if (dataDir) {
        rmSync(dataDir, { recursive: true, force: true })
        tempDirs.delete(dataDir)
      }
    },
    output: () => chunks.join(''),
  }
}

export async function stopAll(): Promise<void> {
  for (const proc of running) proc.kill('SIGKILL')
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

export interface CreatedBoard {
  id: string
  tokens: { facilitator: string; participant: string; viewer: string }
  links: { facilitator: string; participant: string; viewer: string }
}

export async function createBoard(url: string, template: string, title: string): Promise<CreatedBoard> {
  const res = await fetch(`${url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ template, title }),
  })
  const body = (await res.json()) as { id: string; links: CreatedBoard['links'] }
  if (res.status !== 201) throw new Error(`POST /api/boards: ${res.status} ${JSON.stringify(body)}`)
  const tokens = Object.fromEntries(Object.entries(body.links).map(([role, link]) => [role, new URL(link).searchParams.get('token') ?? ''])) as CreatedBoard['tokens']
  return { id: body.id, tokens, links: body.links }
}

/** A field of /proc/<pid>/status in bytes (the kernel reports kB). */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(match[1]) * 1024
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.on('error', rej)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() => res(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Keeps the last ~64 KB of a child's output, for error messages. */
function keep(chunks: string[], data: string): void {
  chunks.push(data)
  let total = chunks.reduce((n, c) => n + c.length, 0)
  while (total > 64 * 1024 && chunks.length > 1) total -= chunks.shift()!.length
}

async function waitHealthy(url: string, hasExited: () => boolean, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error(`server exited before it was healthy:\n${output()}`)
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await sleep(30)
  }
  throw new Error(`server not healthy within 30 s:\n${output()}`)
}
