import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { CLOSE } from './close-codes.ts'
import type { Storage } from './storage/storage.ts'

/**
 * Prometheus metrics for `GET /metrics`. Each server has its own registry (never prom-client's
 * global one), so several servers in one process — tests, a benchmark's side-by-side run — do
 * not share or clash over counters. No label carries a board id or anything a user typed:
 * the label sets stay small and the endpoint reveals nothing about the boards.
 */
export interface Metrics {
  readonly registry: Registry
  /** Yjs updates received from clients (sync step 2 and update messages). */
  readonly updatesReceived: Counter
  readonly messagesReceived: Counter<'type'>
  readonly bytesReceived: Counter
  /** Seconds per storage call, by method; `op="appendUpdates"` is the persistence latency. */
  readonly storageSeconds: Histogram<'op'>
  readonly storageErrors: Counter<'op'>
  /** For the Redis fan-out: call `metrics.redisErrors.inc()` on every failed Redis command or lost connection. */
  readonly redisErrors: Counter
  /** WebSocket closes by code, and whether the server or the client closed. */
  readonly closes: Counter<'code' | 'reason' | 'initiator'>
  /** Connections cut off or refused by a limit: messages, bytes, board, address, send_buffer, early_frames. */
  readonly limitHits: Counter<'limit'>
  /** WebSocket upgrades refused before the handshake: origin, or refusals (a storm of refused links from one address). */
  readonly upgradesRefused: Counter<'reason'>
  /** Client updates refused by the write pipeline, by reason (locked, invalid, too-large, …). */
  readonly updatesRefused: Counter<'reason'>
  /** Stored records, meta values and paths that failed validation when their board loaded. */
  readonly quarantined: Counter
  /** Awareness entries dropped because another connection holds that client id (spoofed presence). */
  readonly presenceRefused: Counter
  /** API requests refused by a key, rate limit or quota: create_key, create_rate, backup_bytes, versions, board_bytes. */
  readonly apiRefused: Counter<'reason'>
}

export interface MetricsSources {
  openConnections(): number
  /** Bytes queued to clients and not yet sent, over all connections. */
  bufferedBytes(): number
  /** Names of the loaded rooms (a board id, or `<board>/private/<person>` for private drafts). */
  roomNames(): Iterable<string>
}

export function createMetrics(): Metrics & { observe(sources: MetricsSources): void } {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry }) // memory, CPU, event-loop lag, handles
  const registers = [registry]
  let sources: MetricsSources | null = null

  new Gauge({
    name: 'snurra_connections',
    help: 'Open WebSocket connections',
    registers,
    collect() {
      this.set(sources?.openConnections() ?? 0)
    },
  })
  new Gauge({
    name: 'snurra_send_buffer_bytes',
    help: 'Bytes queued to clients and not yet sent, all connections together (each bounded by MAX_BUFFERED_BYTES)',
    registers,
    collect() {
      this.set(sources?.bufferedBytes() ?? 0)
    },
  })
  new Gauge({
    name: 'snurra_rooms_loaded',
    help: 'Documents loaded in memory: boards, and people’s private drafts',
    labelNames: ['kind'],
    registers,
    collect() {
      let boards = 0
      let drafts = 0
      for (const name of sources?.roomNames() ?? []) name.includes('/') ? drafts++ : boards++
      this.set({ kind: 'board' }, boards)
      this.set({ kind: 'private' }, drafts)
    },
  })

  return {
    registry,
    updatesReceived: new Counter({ name: 'snurra_updates_received_total', help: 'Yjs updates received from clients', registers }),
    messagesReceived: new Counter({ name: 'snurra_messages_received_total', help: 'WebSocket messages received, by protocol message type', labelNames: ['type'], registers }),
    bytesReceived: new Counter({ name: 'snurra_received_bytes_total', help: 'WebSocket payload bytes received', registers }),
    storageSeconds: new Histogram({
      name: 'snurra_storage_seconds',
      help: 'Duration of storage calls by method; op="appendUpdates" is the time to store updates durably before they are broadcast',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    storageErrors: new Counter({ name: 'snurra_storage_errors_total', help: 'Failed storage calls (SQLite or PostgreSQL), by method', labelNames: ['op'], registers }),
    redisErrors: new Counter({ name: 'snurra_redis_errors_total', help: 'Redis errors (failed commands, lost connections)', registers }),
    closes: new Counter({ name: 'snurra_ws_closes_total', help: 'WebSocket connections closed, by close code', labelNames: ['code', 'reason', 'initiator'], registers }),
    limitHits: new Counter({ name: 'snurra_limit_hits_total', help: 'Connections closed or refused by a limit', labelNames: ['limit'], registers }),
    upgradesRefused: new Counter({ name: 'snurra_upgrades_refused_total', help: 'WebSocket upgrades refused before the handshake', labelNames: ['reason'], registers }),
    updatesRefused: new Counter({ name: 'snurra_updates_refused_total', help: 'Client updates refused (nothing stored, applied or sent), by reason', labelNames: ['reason'], registers }),
    quarantined: new Counter({ name: 'snurra_quarantined_total', help: 'Stored records, meta values and paths that failed validation when their board loaded (kept aside, not served)', registers }),
    presenceRefused: new Counter({
      name: 'snurra_presence_refused_total',
      help: 'Awareness (presence) entries dropped because another connection holds that client id',
      registers,
    }),
    apiRefused: new Counter({ name: 'snurra_api_refused_total', help: 'API requests refused by the create key, the creation rate limit or a quota', labelNames: ['reason'], registers }),
    observe(next) {
      sources = next
    },
  }
}

const CLOSE_NAMES = new Map<number, string>([
  [1000, 'normal'],
  [1005, 'no_status'],
  [1006, 'abnormal'],
  ...Object.entries(CLOSE).map(([name, code]) => [code, name] as [number, string]),
])

/** A label for a close code: Snurra's name for it, or "other" (a client may send any code). */
export function closeReason(code: number): string {
  return CLOSE_NAMES.get(code) ?? 'other'
}

const MESSAGE_TYPES = ['sync', 'awareness', 'auth', 'query_awareness']

/**
 * Counts one received frame by its message type, read from the first bytes only (the frame is
 * decoded properly later, in the room). Every type below 128 is a single byte.
 */
export function countFrame(metrics: Metrics, data: Uint8Array): void {
  metrics.bytesReceived.inc(data.length)
  const type = data[0]
  const label = type === undefined ? 'empty' : type === 100 ? 'snurra' : (MESSAGE_TYPES[type] ?? 'unknown')
  metrics.messagesReceived.inc({ type: label })
  // Sync step 2 (1) and update (2) carry a Yjs update.
  if (type === 0 && (data[1] === 1 || data[1] === 2)) metrics.updatesReceived.inc()
}

/**
 * The same storage, timed and error-counted per call. A Proxy rather than a hand-written
 * wrapper, so a method added to the Storage interface (by any backend) is measured too.
 */
export function instrumentStorage(storage: Storage, metrics: Metrics): Storage {
  return new Proxy(storage, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function' || typeof prop !== 'string') return value
      return async (...args: unknown[]) => {
        const end = metrics.storageSeconds.startTimer({ op: prop })
        try {
          return await value.apply(target, args)
        } catch (err) {
          metrics.storageErrors.inc({ op: prop })
          throw err
        } finally {
          end()
        }
      }
    },
  })
}

/**
 * `GET /metrics`. With METRICS_TOKEN set it needs `Authorization: Bearer <token>`: the figures
 * hold no board data, but connection counts and timings are nobody's business on the internet.
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, metrics: Metrics, token: string | undefined): Promise<void> {
  if (token && !bearerMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="metrics"', 'Cache-Control': 'no-store' })
    return void res.end('metrics need Authorization: Bearer <METRICS_TOKEN>\n')
  }
  const body = await metrics.registry.metrics()
  res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' })
  res.end(body)
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!m) return false
  const given = Buffer.from(m[1])
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
