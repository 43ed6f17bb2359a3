import { createHmac, timingSafeEqual } from 'node:crypto'
import { isBoardId } from '../core/ids.ts'
import { isRole, type Role } from '../core/roles.ts'

/**
 * Role tokens: `<payload>.<mac>`, both base64url. The payload is JSON {b: board id, r: role,
 * e: expiry in ms}; the mac is HMAC-SHA256 over the payload text with the server's secret.
 * Readable by anyone holding the link, forgeable by nobody without the secret.
 */
export interface TokenClaims {
  boardId: string
  role: Role
  expiresAt: number
  /** Bumped when the facilitator replaces a link; older tokens for that role stop working. */
  generation?: number
}

export function signToken(secret: Buffer, claims: TokenClaims): string {
  const body: Record<string, unknown> = { b: claims.boardId, r: claims.role, e: claims.expiresAt }
  if (claims.generation) body.g = claims.generation
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url')
  return `${payload}.${mac(secret, payload)}`
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'board' }

/** Verifies a token for one board. Never throws; never says more than why it failed. */
export function verifyToken(secret: Buffer, token: unknown, boardId: string, now = Date.now()): TokenCheck {
  if (typeof token !== 'string' || token.length > 512) return { ok: false, reason: 'malformed' }
  const dot = token.indexOf('.')
  if (dot <= 0) return { ok: false, reason: 'malformed' }
  const payload = token.slice(0, dot)
  // Compare the signature as text: base64url decoding is lenient, and only the exact string
  // the server issued may verify.
  const given = Buffer.from(token.slice(dot + 1), 'utf8')
  const expected = Buffer.from(mac(secret, payload), 'utf8')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' }
  let parsed: { b?: unknown; r?: unknown; e?: unknown; g?: unknown }
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, reason: 'malformed' }
  if (!isBoardId(parsed.b) || !isRole(parsed.r) || typeof parsed.e !== 'number') return { ok: false, reason: 'malformed' }
  if (parsed.b !== boardId) return { ok: false, reason: 'board' }
  if (parsed.g !== undefined && !(Number.isSafeInteger(parsed.g) && (parsed.g as number) > 0)) return { ok: false, reason: 'malformed' }
  if (parsed.e <= now) return { ok: false, reason: 'expired' }
  const claims: TokenClaims = { boardId: parsed.b, role: parsed.r, expiresAt: parsed.e }
  if (parsed.g !== undefined) claims.generation = parsed.g as number
  return { ok: true, claims }
}

function mac(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url')
}
