/**
 * The reference server for the benchmarks: `@y/websocket-server`'s `setupWSConnection` on `ws`,
 * as its own README sets it up — an HTTP server, a WebSocketServer on it, and the room named by
 * the URL path (`ws://host:port/<room>`). No auth, no limits: that is what a team would otherwise
 * deploy.
 *
 * Persistence is the package's own: with `YPERSISTENCE=<dir>` in the environment, its utils
 * module (read at import time) stores every update in LevelDB through `y-leveldb` and loads a
 * room's document from there on first use. Without it, documents live in memory only.
 *
 * Run by bench/lib/servers.ts as a child process: `PORT=0 node --import tsx bench/reference-server.ts`.
 * Prints `listening <port>` once it accepts connections.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getPersistence, setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'

const server = createServer((req, res) => {
  // The harness polls this until the process is ready, as it does for Snurra.
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'Content-Type': 'text/plain' })
  res.end(req.url === '/healthz' ? 'ok' : 'not found')
})
const wss = new WebSocketServer({ server })
wss.on('connection', (ws, req) => setupWSConnection(ws, req))

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`)
})

// Close LevelDB on SIGTERM so a restart finds everything written (its writes are not fsynced).
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate()
  server.close()
  const persistence = getPersistence() as { provider?: { destroy(): Promise<void> } } | null
  Promise.resolve(persistence?.provider?.destroy()).finally(() => process.exit(0))
})
