/**
 * Who may make boards and how much a board may hold: CREATE_KEY for creating and restoring,
 * the per-address creation rate, the backup size, versions per board and the board's size.
 * Each refusal has its code for the client, its metric, and leaves nothing created.
 */
import * as Y from 'yjs'
import { afterAll, describe, expect, it } from 'vitest'
import { fromBase64, toBase64 } from 'lib0/buffer'
import { scrape, sample } from '../helpers/metrics.ts'
import { querySqlite, startTestServer, stopAllServers, type TestServer } from '../helpers/server.ts'

afterAll(stopAllServers)

const KEY = 'a-long-create-key-for-tests-0123'
const json = { 'Content-Type': 'application/json' }
const bearer = (key: string) => ({ Authorization: `Bearer ${key}` })
const boardCount = (server: TestServer) => querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM boards')[0].n

function create(server: TestServer, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/boards`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ template: 'blank', title: 'Nyckel' }) })
}

async function createWith(server: TestServer, key: string) {
  const res = await create(server, bearer(key))
  expect(res.status).toBe(201)
  const body = (await res.json()) as { id: string; links: Record<string, string> }
  return { id: body.id, facilitator: new URL(body.links.facilitator).searchParams.get('token')! }
}

const withToken = (path: string, token: string, extra = '') => `${path}?token=${encodeURIComponent(token)}${extra}`

async function backupOf(server: TestServer, board: { id: string; facilitator: string }): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${withToken(`/api/boards/${board.id}/export`, board.facilitator, '&format=json')}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Record<string, unknown>
}

function restore(server: TestServer, board: { id: string; facilitator: string }, backup: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${withToken(`/api/boards/${board.id}/import`, board.facilitator, '&format=json')}`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify(backup),
  })
}

function saveVersion(server: TestServer, board: { id: string; facilitator: string }, name: string) {
  return fetch(`${server.url}${withToken(`/api/boards/${board.id}/versions`, board.facilitator)}`, { method: 'POST', headers: json, body: JSON.stringify({ name }) })
}

describe('CREATE_KEY', () => {
  it('creating a board, restoring a backup and restoring a version need the key; with it they work', async () => {
    const server = await startTestServer({ env: { CREATE_KEY: KEY } })
    for (const headers of [{}, bearer('wrong-key-wrong-key-wrong-key-00'), { Authorization: KEY }]) {
      const res = await create(server, headers)
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(await res.json()).toMatchObject({ code: 'create-key' })
    }
    expect(boardCount(server)).toBe(0)

    const board = await createWith(server, KEY)
    const backup = await backupOf(server, board)
    expect((await restore(server, board, backup)).status).toBe(401)
    expect((await saveVersion(server, board, 'V1')).status).toBe(201)
    const versionId = ((await (await fetch(`${server.url}${withToken(`/api/boards/${board.id}/versions`, board.facilitator)}`)).json()) as { id: string }[])[0].id
    const restoreVersion = (headers: Record<string, string>) =>
      fetch(`${server.url}${withToken(`/api/boards/${board.id}/versions/${versionId}/restore`, board.facilitator)}`, { method: 'POST', headers })
    expect((await restoreVersion({})).status).toBe(401)
    expect(boardCount(server)).toBe(1)

    expect((await restore(server, board, backup, bearer(KEY))).status).toBe(201)
    expect((await restoreVersion(bearer(KEY))).status).toBe(201)
    expect(boardCount(server)).toBe(3)
    // The client learns from /config.js that it must ask for the key.
    expect(await (await fetch(`${server.url}/config.js`)).text()).toContain('"createKeyRequired":true')
    expect(sample(await scrape(server.url), 'snurra_api_refused_total', { reason: 'create_key' })).toBe(5)
  })

  it('without CREATE_KEY, creation is open and the client is told no key is needed', async () => {
    const server = await startTestServer()
    expect((await create(server)).status).toBe(201)
    expect(await (await fetch(`${server.url}/config.js`)).text()).toContain('"createKeyRequired":false')
  })
})

describe('creation rate per address', () => {
  it('past the allowance, creation and restore answer 429 with Retry-After, and nothing is created', async () => {
    // 8 an hour: a burst of 2, then one every 7.5 minutes.
    const server = await startTestServer({ env: { CREATE_RATE_LIMIT: '8' } })
    expect((await create(server)).status).toBe(201)
    const board = await createWith(server, '')
    const refused = await create(server)
    expect(refused.status).toBe(429)
    const wait = Number(refused.headers.get('retry-after'))
    expect(wait).toBeGreaterThan(60)
    expect(wait).toBeLessThanOrEqual(450)
    expect(await refused.json()).toMatchObject({ code: 'rate-limited' })
    expect((await restore(server, board, await backupOf(server, board))).status).toBe(429)
    expect(boardCount(server)).toBe(2)
    expect(sample(await scrape(server.url), 'snurra_api_refused_total', { reason: 'create_rate' })).toBe(2)
  })
})

describe('quotas', () => {
  it('a backup over MAX_BACKUP_BYTES is refused with 413 and nothing is created', async () => {
    const server = await startTestServer({ env: { MAX_BACKUP_BYTES: '4096' } })
    const board = await createWith(server, '')
    const backup = await backupOf(server, board)
    const padded = { ...backup, padding: 'x'.repeat(5000) }
    const res = await restore(server, board, padded)
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ code: 'backup-too-large', limit: 4096 })
    expect(boardCount(server)).toBe(1)
    expect(sample(await scrape(server.url), 'snurra_api_refused_total', { reason: 'backup_bytes' })).toBe(1)
  })

  it('versions per board: the one past MAX_VERSIONS_PER_BOARD is refused, and so is a backup holding too many', async () => {
    const server = await startTestServer({ env: { MAX_VERSIONS_PER_BOARD: '2' } })
    const board = await createWith(server, '')
    expect((await saveVersion(server, board, 'Ett')).status).toBe(201)
    expect((await saveVersion(server, board, 'Två')).status).toBe(201)
    const third = await saveVersion(server, board, 'Tre')
    expect(third.status).toBe(409)
    expect(await third.json()).toMatchObject({ code: 'too-many-versions', limit: 2 })
    expect(querySqlite<{ n: number }>(server.dataDir, 'SELECT COUNT(*) AS n FROM versions')[0].n).toBe(2)

    const backup = (await backupOf(server, board)) as { versions: { id: string }[] }
    const tooMany = { ...backup, versions: [...backup.versions, { ...backup.versions[0], id: 'another-version-id' }] }
    const res = await restore(server, board, tooMany)
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ code: 'too-many-versions' })
    expect((await restore(server, board, backup)).status).toBe(201)
    expect(boardCount(server)).toBe(2)
    expect(sample(await scrape(server.url), 'snurra_api_refused_total', { reason: 'versions' })).toBe(2)
  })

  it('a board document over MAX_BOARD_BYTES is not restored', async () => {
    const server = await startTestServer({ env: { MAX_BOARD_BYTES: '65536' } })
    const board = await createWith(server, '')
    const backup = (await backupOf(server, board)) as { document: string }
    const doc = new Y.Doc()
    Y.applyUpdate(doc, fromBase64(backup.document))
    doc.getMap('padding').set('x', 'y'.repeat(70_000))
    const res = await restore(server, board, { ...backup, document: toBase64(Y.encodeStateAsUpdate(doc)) })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ code: 'board-too-large', limit: 65536 })
    expect(boardCount(server)).toBe(1)
    expect(sample(await scrape(server.url), 'snurra_api_refused_total', { reason: 'board_bytes' })).toBe(1)
  })
})
