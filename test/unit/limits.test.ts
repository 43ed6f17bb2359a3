import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { clientAddress, connectionRateLimiter, ConnectionCounter, TokenBucket } from '../../server/limits.ts'
import { normaliseOrigin, originAllowed, parseAllowedOrigins } from '../../server/origin.ts'

const request = (headers: Record<string, string>, remoteAddress = '10.0.0.9') => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage

describe('TokenBucket', () => {
  it('lets a burst up to its capacity through, then only the refill rate', () => {
    const bucket = new TokenBucket(10, 20, 0)
    let passed = 0
    for (let i = 0; i < 50; i++) if (bucket.take(1, 0)) passed++
    expect(passed).toBe(20)
    expect(bucket.take(1, 50)).toBe(false) // 0.5 tokens after 50 ms
    expect(bucket.take(1, 100)).toBe(true) // 1 token after 100 ms
    // A long pause refills to the capacity, no further.
    let after = 0
    for (let i = 0; i < 50; i++) if (bucket.take(1, 60_000)) after++
    expect(after).toBe(20)
  })

  it('takes nothing when a request is larger than what is left', () => {
    const bucket = new TokenBucket(100, 100, 0)
    expect(bucket.take(80, 0)).toBe(true)
    expect(bucket.take(30, 0)).toBe(false)
    expect(bucket.take(20, 0)).toBe(true)
  })
})

describe('connectionRateLimiter', () => {
  it('names the limit that was hit', () => {
    const messages = connectionRateLimiter({ messagesPerSecond: 5, bytesPerSecond: 1_000_000, maxPayload: 1024 })
    const verdicts = Array.from({ length: 12 }, () => messages(10))
    expect(verdicts.slice(0, 10).every((v) => v === null)).toBe(true) // two seconds' worth
    expect(verdicts[11]).toBe('messages')
    const bytes = connectionRateLimiter({ messagesPerSecond: 1000, bytesPerSecond: 1024, maxPayload: 1024 })
    expect(bytes(2048)).toBe(null) // the bucket holds two maximal frames
    expect(bytes(1024)).toBe('bytes')
  })
})

describe('ConnectionCounter', () => {
  it('refuses past the maximum and forgets keys that drop to zero', () => {
    const counter = new ConnectionCounter(2)
    expect(counter.tryAcquire('a')).toBe(true)
    expect(counter.tryAcquire('a')).toBe(true)
    expect(counter.tryAcquire('a')).toBe(false)
    expect(counter.tryAcquire('b')).toBe(true)
    counter.release('a')
    expect(counter.tryAcquire('a')).toBe(true)
    counter.release('b')
    expect(counter.count('b')).toBe(0)
  })
})

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless told how many proxies are in front', () => {
    const req = request({ 'x-forwarded-for': '1.2.3.4' })
    expect(clientAddress(req, 0)).toBe('10.0.0.9')
    expect(clientAddress(req, 1)).toBe('1.2.3.4')
  })

  it('takes the address our own proxy saw, not one the client prepended', () => {
    const spoofed = request({ 'x-forwarded-for': '6.6.6.6, 1.2.3.4' })
    expect(clientAddress(spoofed, 1)).toBe('1.2.3.4')
    expect(clientAddress(spoofed, 2)).toBe('6.6.6.6')
    expect(clientAddress(request({}), 1)).toBe('10.0.0.9')
  })
})

describe('origins', () => {
  const noList = { allowed: null, publicUrl: undefined }

  it('lets clients without an Origin header through (not a browser)', () => {
    expect(originAllowed(request({ host: 'snurra.example.se' }), noList)).toBe(true)
  })

  it('by default allows the page’s own host only', () => {
    expect(originAllowed(request({ host: 'snurra.example.se', origin: 'https://snurra.example.se' }), noList)).toBe(true)
    expect(originAllowed(request({ host: 'localhost:8080', origin: 'http://localhost:8080' }), noList)).toBe(true)
    expect(originAllowed(request({ host: 'snurra.example.se', origin: 'https://evil.example' }), noList)).toBe(false)
    expect(originAllowed(request({ host: 'snurra.example.se', origin: 'https://snurra.example.se.evil.example' }), noList)).toBe(false)
    expect(originAllowed(request({ host: 'localhost:8080', origin: 'http://localhost:5173' }), noList)).toBe(false)
    expect(originAllowed(request({ host: 'snurra.example.se', origin: 'null' }), noList)).toBe(false)
  })

  it('allows PUBLIC_URL’s origin (a proxy that rewrites Host)', () => {
    const policy = { allowed: null, publicUrl: 'https://snurra.example.se' }
    expect(originAllowed(request({ host: '10.0.0.5:8080', origin: 'https://snurra.example.se' }), policy)).toBe(true)
    expect(originAllowed(request({ host: '10.0.0.5:8080', origin: 'http://snurra.example.se' }), policy)).toBe(false)
  })

  it('with ALLOWED_ORIGINS, allows exactly those', () => {
    const policy = { allowed: parseAllowedOrigins('https://a.example, HTTPS://B.example:443/'), publicUrl: undefined }
    expect(policy.allowed).toEqual(['https://a.example', 'https://b.example'])
    expect(originAllowed(request({ host: 'a.example', origin: 'https://b.example' }), policy)).toBe(true)
    expect(originAllowed(request({ host: 'c.example', origin: 'https://c.example' }), policy)).toBe(false)
    expect(originAllowed(request({ host: 'c.example', origin: 'https://c.example' }), { allowed: ['*'], publicUrl: undefined })).toBe(true)
  })

  it('rejects ALLOWED_ORIGINS entries that are not origins', () => {
    expect(() => parseAllowedOrigins('snurra.example.se')).toThrow(/ALLOWED_ORIGINS/)
    expect(parseAllowedOrigins(' ')).toBeNull()
    expect(normaliseOrigin('ftp://x.example')).toBeNull()
  })
})
