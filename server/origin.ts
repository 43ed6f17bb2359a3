import type { IncomingMessage } from 'node:http'

export interface OriginPolicy {
  /** ALLOWED_ORIGINS: exact origins (`https://snurra.example.se`), or null for the default rule. */
  allowed: string[] | null
  /** PUBLIC_URL, whose origin is allowed by the default rule. */
  publicUrl: string | undefined
}

/**
 * Whether a WebSocket upgrade may proceed, judged by its `Origin` header.
 *
 * Browsers always send `Origin` on a WebSocket handshake and a page cannot forge it, so this
 * stops another site's page from opening a socket to a board with a link it got hold of.
 * Clients that are not browsers (a script with y-websocket in Node, the tests, monitoring) send
 * no `Origin` at all and are let through: the header protects browser users from foreign pages,
 * it is no authentication — anything outside a browser could put any value in it, and the role
 * token is what authorises the connection.
 *
 * Default (no ALLOWED_ORIGINS): the page's own site, i.e. an origin whose host is the request's
 * `Host` (which behind a proxy that keeps Host works too), or PUBLIC_URL's origin.
 */
export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  const normalised = normaliseOrigin(origin)
  if (normalised === null) return false // "null" (sandboxed frames, file:) or garbage
  if (policy.allowed) return policy.allowed.includes('*') || policy.allowed.includes(normalised)
  if (policy.publicUrl && normaliseOrigin(policy.publicUrl) === normalised) return true
  const host = req.headers.host
  return host !== undefined && new URL(normalised).host === host.toLowerCase()
}

/** `scheme://host[:port]` in canonical form (lower case, default port dropped), or null. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.origin
  } catch {
    return null
  }
}

/** ALLOWED_ORIGINS, comma-separated; throws on an entry that is not an origin. */
export function parseAllowedOrigins(raw: string | undefined): string[] | null {
  if (raw === undefined || raw.trim() === '') return null
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      if (entry === '*') return entry
      const origin = normaliseOrigin(entry)
      if (!origin) throw new Error(`ALLOWED_ORIGINS: "${entry}" is not an origin like https://snurra.example.se`)
      return origin
    })
}
