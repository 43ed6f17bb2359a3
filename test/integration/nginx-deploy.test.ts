/**
 * The shipped deploy/nginx.conf, run by a real nginx in front of two instances, both ways the
 * README describes: (b) Redis + PostgreSQL with connections spread over both instances, and
 * (a) PostgreSQL only with every request of a board hashed to one instance. In each, clients
 * converge, and after the busier instance is killed they reconnect through nginx and converge.
 *
 * nginx is no dependency of Snurra: without it (`apt-get install nginx-light`) this file skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, destroyAllClients, waitFor, waitSynced } from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { createBoard, freePort, ROOT, sleep, startTestServer, stopAllServers, type TestServer } from '../helpers/server.ts'
import { createScratchDatabase, REDIS_URL, servicesAvailable, type ScratchDatabase } from '../helpers/services.ts'

const nginxInstalled = spawnSync('nginx', ['-v']).status === 0
if (!nginxInstalled) console.warn('\n!! SKIPPING deploy/nginx.conf checks: nginx is not installed\n')
const available = nginxInstalled && (await servicesAvailable(['postgres', 'redis']))

let db: ScratchDatabase
let nginx: ChildProcess | undefined
const dirs: string[] = []

beforeAll(async () => {
  if (available) db = await createScratchDatabase()
})
afterEach(async () => {
  destroyAllClients()
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((r) => nginx!.once('exit', r))
    nginx.kill('SIGQUIT')
    await exited
  }
  nginx = undefined
  await stopAllServers()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
afterAll(async () => {
  await db?.drop()
})

/** deploy/nginx.conf with the two instances' ports, a free port, and a scratch directory. */
async function startNginx(a: TestServer, b: TestServer, way: 'a' | 'b'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-nginx-'))
  dirs.push(dir)
  const port = await freePort()
  let conf = readFileSync(join(ROOT, 'deploy', 'nginx.conf'), 'utf8')
    .replace('snurra1:8080', `127.0.0.1:${a.port}`)
    .replace('snurra2:8080', `127.0.0.1:${b.port}`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace('events {}', `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\ndaemon off;\nevents {}`)
    .replace('http {', `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;`)
  if (way === 'a') conf = conf.replace('    least_conn;\n', '').replace('    # hash $snurra_board consistent;', '    hash $snurra_board consistent;')
  expect(conf).toContain(way === 'a' ? '\n    hash $snurra_board consistent;' : '\n    least_conn;')
  writeFileSync(join(dir, 'nginx.conf'), conf)
  const check = spawnSync('nginx', ['-t', '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' })
  expect(check.status, check.stderr).toBe(0)
  nginx = spawn('nginx', ['-c', join(dir, 'nginx.conf')], { stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false)
    if (ok) return url
    if (i > 100) throw new Error('nginx did not serve /healthz')
    await sleep(50)
  }
}

/** How many sockets of `boardId` each instance has accepted so far (its debug log). */
const connectsTo = (server: TestServer, boardId: string) =>
  server.output().split('\n').filter((l) => l.includes('"msg":"connected"') && l.includes(boardId)).length

describe.skipIf(!available)('deploy/nginx.conf in front of two instances', () => {
  for (const way of ['b', 'a'] as const) {
    it(way === 'b' ? '(b) Redis + PostgreSQL: connections spread over both instances, failover on kill -9' : '(a) PostgreSQL only: every socket of a board on one instance, failover on kill -9', async () => {
      const env = { DATABASE_URL: db.url, LOG_LEVEL: 'debug', TRUST_PROXY: '1', RESYNC_INTERVAL_MS: '1000', ...(way === 'b' ? { REDIS_URL } : {}) }
      const [a, b] = await Promise.all([startTestServer({ env }), startTestServer({ env })])
      const url = await startNginx(a, b, way)
      const board = await createBoard(url, `Via nginx (${way})`)
      const wsUrl = url.replace('http', 'ws')
      const clients = Array.from({ length: 6 }, () => connectClient(wsUrl, board.id, board.tokens.participant))
      await Promise.all(clients.map((c) => waitSynced(c)))
      // An instance logs "connected" after the socket's last join check, which can come after the
      // client is synced, and its stdout reaches this process on its own schedule: wait for all six.
      const connects = () => [connectsTo(a, board.id), connectsTo(b, board.id)]
      await waitFor(() => connects()[0] + connects()[1] === 6, 'six "connected" lines in the instances\' logs')
      const counts = connects()
      if (way === 'b') expect(counts).toEqual([3, 3])
      else expect([...counts].sort()).toEqual([0, 6])

      clients.forEach((c, i) => write(c.doc, cardRecord(`n${i}`)))
      const all = (id: string) => clients.every((c) => read(c.doc, id) !== undefined)
      await waitFor(() => clients.every((_, i) => all(`shape:card-n${i}`)), 'convergence through nginx')

      const [victim, survivor] = counts[0] >= counts[1] ? [a, b] : [b, a]
      const before = connectsTo(survivor, board.id)
      await victim.kill()
      write(clients[0].doc, cardRecord('after-kill'))
      await waitFor(() => all('shape:card-after-kill') && clients.every((_, i) => all(`shape:card-n${i}`)), 'convergence after the kill', 20_000)
      // Every client that was on the killed instance is now on the survivor (and no other one).
      const moved = way === 'b' ? 3 : 6
      await waitFor(() => connectsTo(survivor, board.id) - before >= moved, 'the moved clients in the survivor\'s log')
      await sleep(200)
      expect(connectsTo(survivor, board.id) - before).toBe(moved)
    }, 60_000)
  }
})
