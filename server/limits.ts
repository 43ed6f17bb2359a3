import type { IncomingMessage } from 'node:http'

/**
 * Per-connection rate limits and connection counts. Each limit, when hit, closes the one
 * socket with its own close code (server/close-codes.ts) and counts in /metrics.
 */

/**
 * A token bucket: holds up to `capacity` tokens, refilled at `ratePerSecond`. A burst up to
 * the capacity passes; a sustained rate above `ratePerSecond` runs it dry.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    now = performance.now(),
  ) {
    this.tokens = capacity
    this.last = now
  }

  /** Takes `n` tokens if there are that many; false (and nothing taken) otherwise. */
  take(n: number, now = performance.now()): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond)
    this.last = now
    if (this.tokens < n) return false
    this.tokens -= n
    return true
  }
}

export interface RateLimits {
  messagesPerSecond: number
  bytesPerSecond: number
  /** The largest frame; the byte bucket always holds at least two of them. */
  maxPayload: number
}

/** Which limit a frame broke, or null. */
export type RateVerdict = 'messages' | 'bytes' | null

/**
 * One connection's two buckets. Each holds two seconds' worth, so a short burst (a paste, the
 * first sync) passes while a client that keeps sending faster than the rate is cut off.
 */
export function connectionRateLimiter(limits: RateLimits): (bytes: number) => RateVerdict {
  const messages = new TokenBucket(limits.messagesPerSecond, 2 * limits.messagesPerSecond)
  const bytes = new TokenBucket(limits.bytesPerSecond, Math.max(2 * limits.bytesPerSecond, 2 * limits.maxPayload))
  return (size) => {
    if (!messages.take(1)) return 'messages'
    if (!bytes.take(size)) return 'bytes'
    return null
  }
}

/** Counts open connections per key (a board, an address) against a maximum. */
export class ConnectionCounter {
  private readonly counts = new Map<string, number>()

  constructor(readonly max: number) {}

  /** Counts one more for `key` unless it is at the maximum. */
  tryAcquire(key: string): boolean {
    const n = this.counts.get(key) ?? 0
    if (n >= this.max) return false
    this.counts.set(key, n + 1)
    return true
  }

  release(key: string): void {
    const n = (this.counts.get(key) ?? 0) - 1
    if (n > 0) this.counts.set(key, n)
    else this.counts.delete(key) // no entry per address that ever connected
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0
  }
}

/**
 * The client's address. `X-Forwarded-For` is only believed behind a proxy we were told about
 * (`trustedProxies` hops, TRUST_PROXY): anyone can send the header, so otherwise it would let a
 * client pick its own address and dodge the per-address limit. Each proxy appends the address
 * it saw, so the entry `trustedProxies` from the right is the one our outermost proxy saw; the
 * ones left of it were supplied by the client.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const direct = req.socket.remoteAddress ?? 'unknown'
  if (trustedProxies <= 0) return direct
  const header = req.headers['x-forwarded-for']
  const list = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return list[list.length - trustedProxies] ?? list[0] ?? direct
}
