/**
 * The set-up scenarios 1 and 2 share: one server under test in its own process, one room, and
 * N clients spread over two load-generator processes (bench/workers/fanout.ts). Two, because
 * this machine has two cores; more processes would only fight the server for them.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { BenchOptions } from './report.ts'
import { ROOT, startServer, sleep, type ServerUnderTest, type StartOptions, type TargetKind } from './servers.ts'
import { summarize, type Summary } from './stats.ts'
import { split, startWorker, type Worker } from './workers.ts'

export const LOAD_WORKERS = 2

export interface StepResult {
  /** Moves per second per client (offered). */
  rate: number
  latency: Summary
  /** Every latency sample (ms); left out of the JSON. */
  samples: Float64Array
  /** Moves sent per second, all clients (offered load actually sent). */
  updatesPerSecond: number
  /** Moves received per second, all receivers: the fan-out the server achieved. */
  deliveriesPerSecond: number
  /** Deliveries as a share of what the offered load calls for (sent × (clients − 1)). */
  delivered: number
  closedCodes: number[]
  rejections: string[]
}

export interface FanoutSession {
  server: ServerUnderTest
  clients: number
  run(step: { rate: number; durationMs: number; warmupMs: number; drainMs?: number }): Promise<StepResult>
}

/** A Snurra device key (the `person` parameter its browser client sends). */
export const deviceKey = () => randomBytes(32).toString('base64url')

export function serverArgs(opts: BenchOptions, kind: TargetKind): string[] {
  return opts.profile && kind === 'snurra' ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'results', 'profiles')}`] : []
}

// The load-generator processes are started once and reused by every session (forking them
// under tsx costs about half a second each); `close` empties them between sessions.
let pool: Worker[] | null = null
function fanoutWorkers(): Worker[] {
  pool ??= Array.from({ length: LOAD_WORKERS }, () => startWorker(join(ROOT, 'bench', 'workers', 'fanout.ts')))
  return pool
}

export async function stopFanoutWorkers(): Promise<void> {
  const workers = pool ?? []
  pool = null
  await Promise.all(workers.map((w) => w.stop()))
}

export async function withFanout<T>(
  kind: TargetKind,
  clients: number,
  opts: BenchOptions,
  fn: (session: FanoutSession) => Promise<T>,
  serverOptions: StartOptions = {},
): Promise<T> {
  const workers = fanoutWorkers()
  const server = await startServer(kind, { nodeArgs: serverArgs(opts, kind), ...serverOptions })
  try {
    const room = await server.newRoom()
    const urls = Array.from({ length: clients }, () => room.wsUrl('participant', deviceKey()))
    let first = 0
    const parts = split(urls, workers.length)
    for (let i = 0; i < parts.length; i++) {
      // One worker connects at a time, so each worker's clients join the room as a block.
      await workers[i].call('connect', { urls: parts[i], firstCard: first })
      first += parts[i].length
    }
    await sleep(300) // let every card's creation reach everyone before timing starts
    return await fn({
      server,
      clients,
      async run({ rate, durationMs, warmupMs, drainMs = 300 }) {
        type Part = { latencies: Float64Array; sent: number; received: number; seconds: number; closed: number[]; rejections: string[] }
        const parts = await Promise.all(workers.map((w) => w.call<Part>('run', { rate, durationMs, warmupMs, drainMs })))
        const all = new Float64Array(parts.reduce((n, p) => n + p.latencies.length, 0))
        let at = 0
        for (const p of parts) all.set(p.latencies, (at += p.latencies.length) - p.latencies.length)
        const seconds = Math.max(...parts.map((p) => p.seconds))
        const sent = parts.reduce((n, p) => n + p.sent, 0)
        const received = parts.reduce((n, p) => n + p.received, 0)
        return {
          rate,
          latency: summarize(all),
          samples: all,
          updatesPerSecond: sent / seconds,
          deliveriesPerSecond: received / seconds,
          delivered: sent ? received / (sent * (clients - 1)) : 0,
          closedCodes: parts.flatMap((p) => p.closed),
          rejections: parts.flatMap((p) => p.rejections),
        }
      },
    })
  } finally {
    await Promise.all(workers.map((w) => w.call('close').catch(() => {})))
    await server.stop()
  }
}
