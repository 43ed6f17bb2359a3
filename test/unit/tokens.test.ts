import { describe, expect, it } from 'vitest'
import { newBoardId } from '../../core/ids.ts'
import { ROLES } from '../../core/roles.ts'
import { signToken, verifyToken } from '../../server/tokens.ts'

const secret = Buffer.from('unit-test-secret-unit-test-secret-0123', 'utf8')
const boardId = 'abcdefghijklmnop'
const future = Date.now() + 3600_000

describe('role tokens', () => {
  it('round trip: a signed token verifies with its claims, for every role', () => {
    for (const role of ROLES) {
      const token = signToken(secret, { boardId, role, expiresAt: future })
      expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
      expect(verifyToken(secret, token, boardId)).toEqual({ ok: true, claims: { boardId, role, expiresAt: future } })
    }
  })

  it('tokens differ by role, board and expiry', () => {
    const a = signToken(secret, { boardId, role: 'viewer', expiresAt: future })
    expect(signToken(secret, { boardId, role: 'participant', expiresAt: future })).not.toBe(a)
    expect(signToken(secret, { boardId: newBoardId(), role: 'viewer', expiresAt: future })).not.toBe(a)
    expect(signToken(secret, { boardId, role: 'viewer', expiresAt: future + 1 })).not.toBe(a)
  })

  it('a different secret fails with "signature"', () => {
    const token = signToken(Buffer.from('another-secret-another-secret-another'), { boardId, role: 'facilitator', expiresAt: future })
    expect(verifyToken(secret, token, boardId)).toEqual({ ok: false, reason: 'signature' })
  })

  it('tampered payload (role raised, signature kept) fails with "signature"', () => {
    const token = signToken(secret, { boardId, role: 'viewer', expiresAt: future })
    const [payload, mac] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    for (const changed of [{ ...claims, r: 'facilitator' }, { ...claims, e: claims.e + 1e9 }, { ...claims, b: 'zzzzzzzzzzzzzzzz' }]) {
      const forged = `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${mac}`
      expect(verifyToken(secret, forged, changed.b)).toEqual({ ok: false, reason: 'signature' })
    }
  })

  it('a signature changed in a significant character fails', () => {
    const token = signToken(secret, { boardId, role: 'participant', expiresAt: future })
    const [payload, mac] = token.split('.')
    // Every character but the last carries six bits of the MAC.
    for (let i = 0; i < mac.length - 1; i++) {
      const c = mac[i] === 'A' ? 'B' : 'A'
      const forged = `${payload}.${mac.slice(0, i)}${c}${mac.slice(i + 1)}`
      expect(verifyToken(secret, forged, boardId).ok, `char ${i}`).toBe(false)
    }
    expect(verifyToken(secret, `${payload}.${mac.slice(0, -1)}`, boardId).ok).toBe(false)
    expect(verifyToken(secret, `${payload}.`, boardId).ok).toBe(false)
  })

  it('only the exact token string verifies: no other spelling of the signature is accepted', () => {
    // One token, one string. Node's base64url decoder ignores unused low bits in the last
    // character and skips characters outside the alphabet, so comparing decoded bytes accepts
    // several different strings for one token (which matters as soon as tokens are compared or
    // revoked as strings).
    const token = signToken(secret, { boardId, role: 'participant', expiresAt: future })
    const [payload, mac] = token.split('.')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const accepted: string[] = []
    for (const c of alphabet) {
      if (c === mac[mac.length - 1]) continue
      const variant = `${payload}.${mac.slice(0, -1)}${c}`
      if (verifyToken(secret, variant, boardId).ok) accepted.push(`last char → ${c}`)
    }
    for (const suffix of ['=', '==', ' ', '!', '.', '\n']) {
      if (verifyToken(secret, token + suffix, boardId).ok) accepted.push(`suffix ${JSON.stringify(suffix)}`)
    }
    if (verifyToken(secret, `${payload}.${mac.slice(0, 5)}!${mac.slice(5)}`, boardId).ok) accepted.push('inserted "!"')
    expect(accepted).toEqual([])
  })

  it('expired tokens fail with "expired" (the boundary included)', () => {
    const now = 1_800_000_000_000
    const token = signToken(secret, { boardId, role: 'facilitator', expiresAt: now })
    expect(verifyToken(secret, token, boardId, now - 1).ok).toBe(true)
    expect(verifyToken(secret, token, boardId, now)).toEqual({ ok: false, reason: 'expired' })
    expect(verifyToken(secret, token, boardId, now + 1)).toEqual({ ok: false, reason: 'expired' })
  })

  it('a token for another board fails with "board"', () => {
    const token = signToken(secret, { boardId, role: 'facilitator', expiresAt: future })
    expect(verifyToken(secret, token, 'ponmlkjihgfedcba')).toEqual({ ok: false, reason: 'board' })
  })

  it('malformed input never throws and never verifies', () => {
    const inputs: unknown[] = [
      undefined,
      null,
      '',
      '.',
      '..',
      'abc',
      '.abc',
      'abc.',
      'a.b.c',
      'x'.repeat(513),
      `${'x'.repeat(600)}.${'y'.repeat(43)}`,
      '\u0000\u0001.\uffff',
      '💥.💥',
      42,
      {},
      [],
      ['a.b'],
      Symbol('t'),
      () => 'a.b',
      `${Buffer.from('not json').toString('base64url')}.${'A'.repeat(43)}`,
    ]
    for (const input of inputs) {
      let result: ReturnType<typeof verifyToken> | undefined
      expect(() => (result = verifyToken(secret, input, boardId)), String(typeof input === 'symbol' ? 'symbol' : input)).not.toThrow()
      expect(result!.ok).toBe(false)
    }
  })

  // Only the holder of the secret can produce these, so this is about the "never throws" contract
  // (an exception in the upgrade handler would be an unhandled rejection), not about attackers.
  it('a correctly signed payload with bad content fails with "malformed", never throws', async () => {
    const { createHmac } = await import('node:crypto')
    const sign = (text: string) => {
      const payload = Buffer.from(text).toString('base64url')
      return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`
    }
    const bad = [
      'not json',
      'null',
      '[]',
      '"str"',
      JSON.stringify({ b: boardId, r: 'admin', e: future }),
      JSON.stringify({ b: boardId, r: 'viewer', e: String(future) }),
      JSON.stringify({ b: 'BAD', r: 'viewer', e: future }),
      JSON.stringify({ r: 'viewer', e: future }),
      JSON.stringify({ b: boardId, r: 'viewer' }),
      JSON.stringify({ b: boardId, r: '__proto__', e: future }),
    ]
    for (const text of bad) {
      let result: ReturnType<typeof verifyToken> | undefined
      expect(() => (result = verifyToken(secret, sign(text), boardId)), text).not.toThrow()
      expect(result, text).toEqual({ ok: false, reason: 'malformed' })
    }
    // Positive control for the helper.
    expect(verifyToken(secret, sign(JSON.stringify({ b: boardId, r: 'viewer', e: future })), boardId).ok).toBe(true)
  })
})
