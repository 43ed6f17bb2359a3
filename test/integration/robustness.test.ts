/**
 * Odd requests from anyone on the network (no token needed) must get an error answer, never
 * take the server down for everyone else.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeCode, connectSynced, destroyAllClients, rawConnect, waitFor, type Client } from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { rawHttp, sleep, startTestServer, stopAllServers, type CreatedBoard, type TestServer } from '../helpers/server.ts'

let server: TestServer
let board: CreatedBoard
let a: Client
let b: Client
let probe = 0

// One server for the file, but a fresh one after a case that crashed it, so that a crash does
// not fail the cases after it as well.
beforeEach(async () => {
  if (!server || server.proc.exitCode !== null || server.proc.signalCode !== null) {
    server = await startTestServer()
    board = await server.createBoard('Robust')
  }
  a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
  b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
})
afterEach(destroyAllClients)
afterAll(stopAllServers)

async function expectStillServing(): Promise<void> {
  await sleep(150) // give a crash the time to happen
  expect(server.proc.exitCode, `server exited:\n${server.output().split('\n').slice(-12).join('\n')}`).toBeNull()
  expect(server.proc.signalCode).toBeNull()
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  const n = ++probe
  write(a.doc, cardRecord(`robust-${n}`))
  await waitFor(() => read(b.doc, `shape:card-robust-${n}`) !== undefined, 'B to see A’s edit')
  expect(a.closeCodes).toEqual([])
}

const upgradeHeaders =
  'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'

describe('odd requests do not take the server down', () => {
  it('HTTP request whose target is not a parsable URL (GET http://[ HTTP/1.1) → 4xx, server keeps running', async () => {
    const status = await rawHttp(server.port, 'GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n')
    await expectStillServing()
    if (status !== null) expect(status).toMatch(/^HTTP\/1\.1 4\d\d/)
  })

  it('WebSocket upgrade to /ws/<malformed percent-encoding> → refused, server keeps running', async () => {
    const raw = rawConnect(server.wsUrl, '%E0%A4%A', board.tokens.participant)
    const code = await closeCode(raw)
    await expectStillServing()
    expect(code === -1 ? raw.httpStatus() : code).toSatisfy((c: number | undefined) => c === 404 || c === 400 || c === 4404 || c === 4400)
  })

  it('WebSocket upgrade whose target is not a parsable URL → refused, server keeps running', async () => {
    const status = await rawHttp(server.port, `GET http://[ HTTP/1.1\r\nHost: x\r\n${upgradeHeaders}\r\n`)
    await expectStillServing()
    if (status !== null) expect(status).toMatch(/^HTTP\/1\.1 4\d\d/)
  })

  it('assorted odd paths get 4xx answers and the server keeps running', async () => {
    for (const path of ['/%', '/api/boards/%/session?token=%', '/api/%E0%A4%A', '/%00', '/..%2f..%2fetc%2fpasswd', '/assets/%2e%2e/%2e%2e/package.json']) {
      const res = await fetch(`${server.url}${path}`)
      await res.arrayBuffer()
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(res.status, path).toBeLessThan(500)
    }
    for (const [id, token] of [
      ['', board.tokens.participant],
      [`${board.id}/x`, board.tokens.participant],
      ['%00', 'x'],
      [board.id, '%'],
    ]) {
      const raw = rawConnect(server.wsUrl, id, token)
      await raw.closed
    }
    await expectStillServing()
  })
})
