import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HttpError } from './http-util.ts'
import { clientAddress } from './limits.ts'
import type { Metrics } from './metrics.ts'

/**
 * Who may make a new board: creating one, restoring a backup, restoring a version. Each of these
 * writes a whole board to disk, so on a server reachable from a municipality's network they need
 * CREATE_KEY (when set) and are rate-limited per address, the key or not: a wrong key is a
 * guess, and guesses should be slow too.
 */
export interface CreateGateOptions {
  key: string | undefined
  perHour: number
  trustProxy: number
  metrics: Metrics
  now?: () => number
  /** Addresses remembered at most (memory stays bounded; the oldest are forgotten first). */
  maxAddresses?: number
}

/** Error codes the client turns into a sentence in the user's language. */
export const CREATE_ERRORS = { key: 'create-key', rate: 'rate-limited' } as const

export function createGate(opts: CreateGateOptions): (req: IncomingMessage) => void {
  const now = opts.now ?? Date.now
  // A burst of a quarter of the hour's allowance at once (a facilitator preparing a series), then
  // evenly spread: one every 60/perHour minutes.
  const capacity = Math.max(1, Math.ceil(opts.perHour / 4))
  const perMs = opts.perHour / 3600_000
  const maxAddresses = opts.maxAddresses ?? 100_000
  const buckets = new Map<string, { tokens: number; last: number }>()

  function take(address: string): number {
    const t = now()
    let bucket = buckets.get(address)
    if (bucket) {
      bucket.tokens = Math.min(capacity, bucket.tokens + (t - bucket.last) * perMs)
      bucket.last = t
      // Refreshed entries move to the end, so the first one is the longest idle.
      buckets.delete(address)
    } else {
      bucket = { tokens: capacity, last: t }
      if (buckets.size >= maxAddresses) buckets.delete(buckets.keys().next().value!)
    }
    buckets.set(address, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000))
  }

  return (req) => {
    const wait = take(clientAddress(req, opts.trustProxy))
    if (wait > 0) {
      opts.metrics.apiRefused.inc({ reason: 'create_rate' })
      throw new HttpError(429, `too many boards created from this address; try again in ${wait} s`, { code: CREATE_ERRORS.rate, retryAfter: wait }, { 'Retry-After': String(wait) })
    }
    if (opts.key !== undefined && !bearerIs(req.headers.authorization, opts.key)) {
      opts.metrics.apiRefused.inc({ reason: 'create_key' })
      throw new HttpError(401, 'creating boards needs the key: Authorization: Bearer <CREATE_KEY>', { code: CREATE_ERRORS.key }, { 'WWW-Authenticate': 'Bearer realm="create"' })
    }
  }
}

function bearerIs(header: string | undefined, key: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  if (!m) return false
  const given = Buffer.from(m[1])
  const expected = Buffer.from(key)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
