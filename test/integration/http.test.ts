import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isBoardId } from '../../core/ids.ts'
import { signToken } from '../../server/tokens.ts'
import { newBoardId } from '../../core/ids.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { createBoard, querySqlite, stopAllServers, type ServerHandle } from '../helpers/server.ts'

let server: ServerHandle

beforeAll(async () => {
  server = await startInProcessServer()
})
afterAll(stopAllServers)

const boardCount = () => querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n

async function post(body: string | undefined, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const res = await fetch(`${server.url}/api/boards`, { method: 'POST', headers, body })
  const text = await res.text()
  let json: unknown = null
  try {
    json = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { res, status: res.status, json: json as Record<string, unknown> | null, text }
}

describe('POST /api/boards', () => {
  it('creates a board: 201, an id and three links whose tokens work for their roles', async () => {
    const before = boardCount()
    const { status, json, res } = await post(JSON.stringify({ template: 'hallunda-norsborg', title: 'Workshop 1' }))
    expect(status).toBe(201)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    const id = json!.id as string
    expect(isBoardId(id)).toBe(true)
    const links = json!.links as Record<string, string>
    expect(Object.keys(links).sort()).toEqual(['facilitator', 'participant', 'viewer'])
    const tokens = new Set<string>()
    for (const [role, link] of Object.entries(links)) {
      const url = new URL(link)
      expect(url.pathname).toBe(`/b/${id}`)
      const token = url.searchParams.get('token')
      expect(token, `${role} link has a token`).toBeTruthy()
      tokens.add(token!)
      const session = await fetch(`${server.url}/api/boards/${id}/session?token=${encodeURIComponent(token!)}`)
      expect(session.status).toBe(200)
      const body = (await session.json()) as Record<string, unknown>
      expect(body).toMatchObject({ boardId: id, role, title: 'Workshop 1' })
    }
    expect(tokens.size).toBe(3)
    expect(boardCount()).toBe(before + 1)
    expect(querySqlite(server.dataDir, 'SELECT id FROM boards WHERE id = ?', id)).toHaveLength(1)
  })

  it('trims the title', async () => {
    const board = await createBoard(server.url, '   Spaced out  ')
    const session = await fetch(`${server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(board.tokens.viewer)}`)
    expect(await session.json()).toMatchObject({ title: 'Spaced out', role: 'viewer' })
  })

  const bad: Array<[string, string | undefined, Record<string, string> | undefined, number]> = [
    ['unknown template', JSON.stringify({ template: 'no-such-template', title: 'x' }), undefined, 400],
    ['template that is not a string', JSON.stringify({ template: 42, title: 'x' }), undefined, 400],
    ['empty title', JSON.stringify({ template: 'hallunda-norsborg', title: '' }), undefined, 400],
    ['blank title', JSON.stringify({ template: 'hallunda-norsborg', title: '   \t ' }), undefined, 400],
    ['title that is not a string', JSON.stringify({ template: 'hallunda-norsborg', title: 123 }), undefined, 400],
    ['title of 201 characters', JSON.stringify({ template: 'hallunda-norsborg', title: 'x'.repeat(201) }), undefined, 400],
    ['non-JSON body', '{"template": "hallunda-norsborg", title', undefined, 400],
    ['JSON array body', '["hallunda-norsborg"]', undefined, 400],
    ['JSON null body', 'null', undefined, 400],
    ['wrong content type', JSON.stringify({ template: 'hallunda-norsborg', title: 'x' }), { 'Content-Type': 'text/plain' }, 415],
    ['oversized body (100 KB)', JSON.stringify({ template: 'hallunda-norsborg', title: 'x', pad: 'y'.repeat(100_000) }), undefined, 413],
  ]
  for (const [name, body, headers, expected] of bad) {
    it(`rejects ${name} with ${expected}, an error message and no board`, async () => {
      const before = boardCount()
      const { status, json } = await post(body, headers)
      expect(status).toBe(expected)
      expect(typeof json?.error).toBe('string')
      expect((json!.error as string).length).toBeGreaterThan(3)
      expect(json).not.toHaveProperty('id')
      expect(boardCount()).toBe(before)
    })
  }
})

describe('GET /api/boards/<id>/session', () => {
  it('refuses a missing or forged token with 401 and an unknown board with 404', async () => {
    const board = await createBoard(server.url)
    const missing = await fetch(`${server.url}/api/boards/${board.id}/session`)
    expect(missing.status).toBe(401)
    expect(((await missing.json()) as { error: string }).error).toBeTruthy()

    const token = board.tokens.participant
    const dot = token.indexOf('.')
    const i = dot + 5
    const forged = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)
    const forgedRes = await fetch(`${server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(forged)}`)
    expect(forgedRes.status).toBe(401)
    await forgedRes.body?.cancel()

    // A token for another board.
    const other = await createBoard(server.url)
    const crossed = await fetch(`${server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(other.tokens.facilitator)}`)
    expect(crossed.status).toBe(401)
    await crossed.body?.cancel()

    // A correctly signed token for a board that does not exist.
    const ghost = newBoardId()
    const ghostToken = signToken(Buffer.from(server.secret, 'utf8'), { boardId: ghost, role: 'facilitator', expiresAt: Date.now() + 60_000 })
    const unknown = await fetch(`${server.url}/api/boards/${ghost}/session?token=${encodeURIComponent(ghostToken)}`)
    expect(unknown.status).toBe(404)
    await unknown.body?.cancel()

    const malformedId = await fetch(`${server.url}/api/boards/NOT-AN-ID/session?token=x`)
    expect(malformedId.status).toBe(404)
    await malformedId.body?.cancel()
  })
})

describe('other routes', () => {
  it('GET /healthz answers 200', async () => {
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('unknown /api paths answer 404 with a JSON error', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing'],
      ['GET', '/api/boards'],
      ['DELETE', '/api/boards'],
      ['POST', '/api/boards/abc/unknown'],
    ]) {
      const res = await fetch(`${server.url}${path}`, { method })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(((await res.json()) as { error: string }).error).toMatch(/not found/)
    }
  })

  it('sends security headers on every response (success, error, API, health)', async () => {
    const responses = [
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/api/nothing`),
      await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }),
      await fetch(`${server.url}/api/boards`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: 'nope' }),
    ]
    for (const res of responses) {
      await res.arrayBuffer()
      expect(res.headers.get('referrer-policy'), res.url).toBe('no-referrer')
      const csp = res.headers.get('content-security-policy')
      expect(csp, res.url).toBeTruthy()
      expect(csp).toContain("default-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
  })
})
