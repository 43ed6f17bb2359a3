/**
 * Load-generator worker for scenario 3: many idle connections, each synced and with one
 * awareness state (a name, a colour and a cursor, as a browser tab announces itself), then
 * holding still while the parent reads the server's memory.
 *
 * Rooms on the reference start empty, so the first client of each room pushes a freshly seeded
 * board (core/board-doc.ts `seedBoard`, the content Snurra's `POST /api/boards` writes): both
 * servers then hold the same kind of document per room.
 */
import * as Y from 'yjs'
import { seededDoc } from '../lib/board.ts'
import { serveWorker } from '../lib/workers.ts'
import { YClient } from '../lib/yclient.ts'

const CONCURRENCY = 50
let clients: YClient[] = []

async function open(url: string, seed: boolean, n: number): Promise<YClient> {
  const client = new YClient(url)
  await client.opened
  await client.synced
  if (seed) client.sendUpdate(Y.encodeStateAsUpdate(seededDoc(`Rum ${n}`)))
  client.sendAwareness({
    user: { id: `bench-${client.doc.clientID}`, name: `Deltagare ${n}`, color: '#1d5f8a', sector: 'bildning' },
    presence: { cursor: { x: 100 + (n % 400), y: 200, type: 'default', rotation: 0 }, camera: { x: 0, y: 0, z: 1 }, lastActivityTimestamp: Date.now() },
  })
  return client
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await task(items[i], i)
      }
    }),
  )
  return out
}

serveWorker({
  /**
   * `rooms`: per room, the URLs of its clients. With `seed`, each room's first client pushes a
   * seeded board before the others join.
   */
  async connect({ rooms, seed }: { rooms: string[][]; seed: boolean }) {
    const started = performance.now()
    const firsts = await pool(rooms, CONCURRENCY, (urls, i) => open(urls[0], seed, i))
    const rest = rooms.flatMap((urls) => urls.slice(1))
    const others = await pool(rest, CONCURRENCY, (url, i) => open(url, false, rooms.length + i))
    clients = [...firsts, ...others]
    return { connected: clients.length, seconds: (performance.now() - started) / 1000 }
  },

  status() {
    return {
      open: clients.filter((c) => c.closeCode === null).length,
      closed: clients.filter((c) => c.closeCode !== null).map((c) => c.closeCode),
      rejections: clients.flatMap((c) => c.rejections),
    }
  },

  close() {
    for (const c of clients) c.terminate()
    clients = []
  },
})
