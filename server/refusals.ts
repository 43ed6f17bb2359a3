import type { Logger } from './log.ts'

/**
 * Keeps refusal storms cheap. y-websocket clients before 3.1 reconnect on any close code, so a
 * bad, replaced or deleted link makes them knock several times a second, forever, each knock a
 * WebSocket, a storage lookup and a log line. Per address, refused upgrades fill a bucket that
 * drains at `perMinute`; while it holds more than `burst - 1`, upgrades from that address are answered
 * with HTTP 429 and a Retry-After before any of that work (and a client that never gets its
 * socket open backs off, where one that is opened then closed does not). A throttled knock adds
 * nothing, so people behind the same NAT address get turns as the bucket drains.
 *
 * Logging is one line per address per minute: the first refusal at once, and while refusals go
 * on, a line with the count when each minute is over.
 */
export interface RefusalGuardOptions {
  burst: number
  perMinute: number
  log: Logger
  now?: () => number
  /** Addresses tracked at most; past it new addresses are not throttled (memory stays bounded). */
  maxAddresses?: number
}

interface Entry {
  /** Refusals in the bucket, draining at perMinute. */
  level: number
  last: number
}

interface Window {
  start: number
  refused: number
  throttled: number
}

const WINDOW_MS = 60_000

export class RefusalGuard {
  private readonly buckets = new Map<string, Entry>()
  private readonly windows = new Map<string, Window>()
  private readonly now: () => number
  private readonly perMs: number
  private readonly maxAddresses: number
  private readonly timer: NodeJS.Timeout

  constructor(private readonly opts: RefusalGuardOptions) {
    this.now = opts.now ?? Date.now
    this.perMs = opts.perMinute / WINDOW_MS
    this.maxAddresses = opts.maxAddresses ?? 100_000
    this.timer = setInterval(() => this.sweep(), 10_000)
    this.timer.unref()
  }

  /** Seconds the address must wait before its next upgrade, or 0 when it may go ahead. */
  retryAfter(address: string): number {
    const entry = this.drained(address)
    // Past burst - 1 rather than at burst: the bucket drains while the refusals come in, so a
    // count that must reach `burst` exactly would let a slow storm through.
    const over = entry ? entry.level - (this.opts.burst - 1) : 0
    if (over <= 0) return 0
    return Math.max(1, Math.ceil(over / this.perMs / 1000))
  }

  /** An upgrade from `address` was refused for its link (`reason`: unauthorized, not-found, …). */
  refused(address: string, reason: string): void {
    const entry = this.drained(address)
    if (entry) entry.level += 1
    else if (this.buckets.size < this.maxAddresses) this.buckets.set(address, { level: 1, last: this.now() })
    this.note(address, 'refused', reason)
  }

  /** An upgrade from `address` was answered 429. */
  throttled(address: string): void {
    this.note(address, 'throttled', 'throttled')
  }

  /** Logs what the open windows hold (at shutdown) and stops the timer. */
  close(): void {
    clearInterval(this.timer)
    for (const [address, w] of this.windows) this.summarise(address, w)
    this.windows.clear()
  }

  private drained(address: string): Entry | undefined {
    const entry = this.buckets.get(address)
    if (!entry) return undefined
    const now = this.now()
    entry.level = Math.max(0, entry.level - (now - entry.last) * this.perMs)
    entry.last = now
    return entry
  }

  /** The first event of a window is logged at once; the ones after it are counted for the summary. */
  private note(address: string, kind: 'refused' | 'throttled', reason: string): void {
    let w = this.windows.get(address)
    if (!w) {
      if (this.windows.size >= this.maxAddresses) return
      w = { start: this.now(), refused: 0, throttled: 0 }
      this.windows.set(address, w)
      this.opts.log.info('connection refused', { address, reason })
      return
    }
    w[kind]++
  }

  /** Closes the windows a minute old; a storm still going on opens the next one quietly. */
  sweep(): void {
    const now = this.now()
    for (const [address, w] of this.windows) {
      if (now - w.start < WINDOW_MS) continue
      if (w.refused + w.throttled === 0) {
        this.windows.delete(address)
        continue
      }
      this.summarise(address, w)
      this.windows.set(address, { start: now, refused: 0, throttled: 0 })
    }
    for (const [address] of this.buckets) if (this.drained(address)!.level <= 0) this.buckets.delete(address)
  }

  private summarise(address: string, w: Window): void {
    if (w.refused + w.throttled === 0) return
    this.opts.log.warn('connections refused from one address', {
      address,
      refused: w.refused,
      throttled: w.throttled,
      seconds: Math.round((this.now() - w.start) / 1000),
    })
  }
}
