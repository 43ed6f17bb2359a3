/**
 * Refusal storms are cheap: a client that keeps knocking with a bad, replaced or deleted link
 * (y-websocket before 3.1 does, several times a second) is answered with HTTP 429 and a
 * Retry-After before the upgrade once past a threshold, and logged once, with a count, rather
 * than once per attempt.
 */
import { request } from 'node:http'
import { afterAll, afterEach, expect, it } from 'vitest'
import { closeCode, connectSynced, destroyAllClients, rawConnect } from '../helpers/clients.ts'
import { sleep } from '../helpers/server.ts'
import { scrape, sample } from '../helpers/metrics.ts'
import { startTestServer, stopAllServers } from '../helpers/server.ts'

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

afterEach(destroyAllClients)
afterAll(stopAllServers)

/** A WebSocket upgrade by hand, to read the refusal's status and headers. */
function upgrade(url: string, path: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    })
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined })
    })
    req.on('upgrade', (_res, socket) => {
      socket.destroy()
      resolve({ status: 101, retryAfter: undefined })
    })
    req.on('error', reject)
    req.end()
  })
}

it('200 refused upgrades from one address: 429s before the upgrade after the threshold, and a few log lines', async () => {
  const server = await startTestServer({ env: { REFUSED_UPGRADES_BURST: '10', REFUSED_UPGRADES_PER_MINUTE: '6' } })
  const board = await server.createBoard('Storm')
  const statuses: number[] = []
  const closes: number[] = []
  for (let i = 0; i < 200; i++) {
    // A bad or tampered token, retried the way a y-websocket client before 3.1 retries it.
    const socket = rawConnect(server.wsUrl, board.id, i % 2 ? 'not-a-token' : `${board.tokens.participant}x`)
    const code = await closeCode(socket)
    if (code === -1) statuses.push(socket.httpStatus()!)
    else closes.push(code)
  }
  // The first ten reach the token check and are closed 4401; the rest are stopped at the door.
  expect(closes.slice(0, 10)).toEqual(Array(10).fill(4401))
  expect(statuses.length).toBeGreaterThanOrEqual(185)
  expect(new Set(statuses)).toEqual(new Set([429]))
  const answer = await upgrade(server.url, `/ws/${board.id}?token=bad`)
  expect(answer.status).toBe(429)
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1)

  const lines = server.stdout().split('\n').filter((l) => /refused/.test(l))
  expect(lines.length).toBeGreaterThanOrEqual(1)
  expect(lines.length).toBeLessThanOrEqual(3)
  expect(sample(await scrape(server.url), 'snurra_upgrades_refused_total', { reason: 'refusals' })).toBeGreaterThanOrEqual(186)

  // At shutdown the window's count is written out: one line saying how many, not 200.
  await server.stop()
  const summary = server
    .stdout()
    .split('\n')
    .filter((l) => l.includes('connections refused from one address'))
  expect(summary).toHaveLength(1)
  const fields = JSON.parse(summary[0]) as { refused: number; throttled: number }
  expect(fields.refused + fields.throttled).toBe(200) // 201 knocks, the first on its own line
})

it('the throttle lifts as refusals drain, and then a good link from the same address gets in', async () => {
  const server = await startTestServer({ env: { REFUSED_UPGRADES_BURST: '3', REFUSED_UPGRADES_PER_MINUTE: '12' } })
  const board = await server.createBoard('Lugnt')
  for (let i = 0; i < 3; i++) expect(await closeCode(rawConnect(server.wsUrl, board.id, 'bad'))).toBe(4401)
  // The address is throttled now, whatever its link: the check comes before the token's.
  const good = `/ws/${board.id}?token=${encodeURIComponent(board.tokens.participant)}`
  expect((await upgrade(server.url, good)).status).toBe(429)
  // At 12 a minute one refusal drains every 5 s.
  await waitFor(async () => (await upgrade(server.url, good)).status === 101, 'the throttle to lift', 15_000)
  const client = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
  expect(client.provider.synced).toBe(true)
})
