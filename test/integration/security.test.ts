/**
 * Who may open a socket (Origin), what every response carries (CSP and the usual headers), and
 * that a malformed board id is turned away before storage is asked anything.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { closeCode, destroyAllClients, rawConnect } from '../helpers/clients.ts'
import { sample, scrape, storageCalls } from '../helpers/metrics.ts'
import { signToken } from '../../server/tokens.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { stopAllServers, tempDataDir, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'

let server: ServerHandle
let board: CreatedBoard

beforeAll(async () => {
  // A stand-in client build, so HTML and script responses come from the real static server.
  const clientDir = tempDataDir()
  mkdirSync(join(clientDir, 'assets'))
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><script src="/config.js"></script><script type="module" src="/assets/app.js"></script>')
  writeFileSync(join(clientDir, 'assets', 'app.js'), 'console.log("app")\n')
  server = await startInProcessServer({ env: { CLIENT_DIR: clientDir } })
  board = await server.createBoard('Säker')
})
afterEach(destroyAllClients)
afterAll(stopAllServers)

/** Opens a socket with these headers: 'open', or the refusal's HTTP status. */
async function upgrade(s: ServerHandle, headers: Record<string, string>): Promise<number | 'open'> {
  const raw = rawConnect(s.wsUrl, board.id, board.tokens.participant, { headers })
  try {
    await raw.opened
    raw.close()
    return 'open'
  } catch {
    return raw.httpStatus() ?? -1
  }
}

describe('Origin check on the WebSocket upgrade', () => {
  it('lets the app’s own page and non-browser clients (no Origin) in; refuses another site with 403', async () => {
    const own = `http://127.0.0.1:${server.port}`
    const before = sample(await scrape(server.url), 'snurra_upgrades_refused_total', { reason: 'origin' })
    expect(await upgrade(server, {})).toBe('open')
    expect(await upgrade(server, { Origin: own })).toBe('open')
    expect(await upgrade(server, { Origin: 'https://evil.example' })).toBe(403)
    expect(await upgrade(server, { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403)
    expect(await upgrade(server, { Origin: 'null' })).toBe(403)
    expect(sample(await scrape(server.url), 'snurra_upgrades_refused_total', { reason: 'origin' })).toBe(before + 3)
  })

  it('with ALLOWED_ORIGINS, only the listed origins get in', async () => {
    const listed = await startInProcessServer({ env: { ALLOWED_ORIGINS: 'https://snurra.example.se, https://workshop.example.se' } })
    const own = await listed.createBoard()
    const open = async (origin: string) => {
      const raw = rawConnect(listed.wsUrl, own.id, own.tokens.participant, { headers: { Origin: origin } })
      return raw.opened.then(
        () => (raw.close(), 'open'),
        () => raw.httpStatus(),
      )
    }
    expect(await open('https://workshop.example.se')).toBe('open')
    expect(await open('https://snurra.example.se')).toBe('open')
    expect(await open(`http://127.0.0.1:${listed.port}`)).toBe(403) // its own host is not on the list
    await listed.stop()
  })

  it('a refused upgrade never reaches the token check or the board', async () => {
    const raw = rawConnect(server.wsUrl, board.id, 'not-a-token', { headers: { Origin: 'https://evil.example' } })
    expect(await closeCode(raw)).toBe(-1)
    expect(raw.httpStatus()).toBe(403)
  })
})

describe('security headers', () => {
  it('every kind of response carries the CSP and the usual headers', async () => {
    const token = encodeURIComponent(board.tokens.facilitator)
    const requests: Array<[string, RequestInit?]> = [
      ['/'], // HTML
      [`/b/${board.id}`], // HTML, a client route
      ['/assets/app.js'], // script
      ['/config.js'], // run-time config (script)
      ['/api/templates'], // API
      [`/api/boards/${board.id}/session?token=${token}`], // API with a token
      ['/api/boards', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' }], // 400
      [`/api/boards/${board.id}/session`], // 401
      ['/no/such/page'], // 404
      ['/api/nothing'], // 404 (API)
      ['/healthz'],
      ['/metrics'],
      ['/', { method: 'POST' }], // 405
    ]
    const statuses: number[] = []
    for (const [path, init] of requests) {
      const res = await fetch(`${server.url}${path}`, init)
      await res.arrayBuffer()
      statuses.push(res.status)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("script-src 'self'")
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/)
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 400, 401, 404, 404, 200, 200, 405])
  })

  it('/config.js is a script file (the CSP allows no inline one) that sets the run-time config', async () => {
    const res = await fetch(`${server.url}/config.js`)
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await res.text()).toMatch(/^window\.__SNURRA_CONFIG__ = \{.*\};\n$/)
  })
})

describe('malformed board ids', () => {
  const bad = ['NOT-AN-ID', 'aaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaaa', 'AAAAAAAAAAAAAAAA', "aaaaaaaaaaaaaaa'", '..%2f..%2fetc', '%00aaaaaaaaaaaaaaa', 'a'.repeat(5000)]

  it('are refused by every board route and by the WebSocket without a single storage call', async () => {
    const secret = Buffer.from(server.secret, 'utf8')
    const json = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }
    const before = storageCalls(await scrape(server.url))
    for (const id of bad) {
      // Correctly signed for that very id: only the id check stands between it and storage.
      const raw = signToken(secret, { boardId: id, role: 'facilitator', expiresAt: Date.now() + 60_000 })
      const token = encodeURIComponent(raw)
      const requests: Array<[string, RequestInit?]> = [
        [`/api/boards/${id}/session?token=${token}`],
        [`/api/boards/${id}/links?token=${token}`, json],
        [`/api/boards/${id}/export?format=json&token=${token}`],
        [`/api/boards/${id}/export?format=csv&token=${token}`],
        [`/api/boards/${id}/import?format=json&token=${token}`, json],
        [`/api/boards/${id}/versions?token=${token}`],
        [`/api/boards/${id}/versions?token=${token}`, json],
        [`/api/boards/${id}?token=${token}`, { method: 'DELETE' }],
      ]
      for (const [path, init] of requests) {
        const res = await fetch(`${server.url}${path}`, init)
        await res.arrayBuffer()
        expect(res.status, `${init?.method ?? 'GET'} ${path.slice(0, 80)}`).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
      }
      const code = await closeCode(rawConnect(server.wsUrl, encodeURIComponent(id), raw))
      expect(code === -1 || (code >= 4400 && code < 4500), `ws ${id.slice(0, 40)}: ${code}`).toBe(true)
    }
    expect(storageCalls(await scrape(server.url)), 'storage calls for malformed ids').toBe(before)
    // (The check above is not vacuous: a well-formed id does reach storage.)
    await (await fetch(`${server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(board.tokens.viewer)}`)).arrayBuffer()
    expect(storageCalls(await scrape(server.url))).toBeGreaterThan(before)
  })
})
