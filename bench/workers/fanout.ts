/**
 * Load-generator worker for scenarios 1 and 2 (fan-out latency and saturation).
 *
 * Each client owns one activity card and "moves" it at a fixed rate: every move is a real
 * record-store write (x, y and `meta.sentAt`, the sender's clock) sent as one update. Every
 * other client receives every move through the server.
 *
 * Latency is measured for moves sent by a client of this same process, so sender and receiver
 * share one monotonic clock (`performance.now()`); moves from clients in other worker
 * processes are only counted, which costs a three-varint header read. Every receiver position
 * in the server's fan-out order is still measured, because each worker measures its own
 * clients, which joined as a block. The timestamp travels in the update's content and is read
 * back from the decoded update, so a measured move really is the one that was sent.
 *
 * Sends are open-loop (on schedule whatever the server does), staggered evenly across clients,
 * and stamped when actually sent.
 */
import * as Y from 'yjs'
import { recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { cardRecord } from '../lib/board.ts'
import { serveWorker } from '../lib/workers.ts'
import { captureUpdate, updateClientId, YClient } from '../lib/yclient.ts'

interface Sender {
  client: YClient
  card: JsonRecord
  moves: number
}

let senders: Sender[] = []
const ownClientIds = new Set<number>()
let recording = false
let latencies: number[] = []
let received = 0
let windowEnd = Infinity

/** Reads `meta.sentAt` from a move's inserted pairs. */
function sentAtOf(update: Uint8Array): number | null {
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue
    for (const pair of struct.content.arr as unknown[]) {
      if (Array.isArray(pair) && pair[0] === 'meta.sentAt' && typeof pair[1] === 'number') return pair[1]
    }
  }
  return null
}

function onUpdate(own: YClient, update: Uint8Array, receivedAt: number): void {
  if (!recording) return
  const sender = updateClientId(update)
  if (sender === own.doc.clientID) return // the reference echoes a client's own update back
  // Deliveries inside the timed window give the throughput; latencies also cover the drain.
  if (receivedAt <= windowEnd) received++
  if (sender === null || !ownClientIds.has(sender)) return
  const sentAt = sentAtOf(update)
  if (sentAt !== null) latencies.push(receivedAt - sentAt)
}

function move(sender: Sender): void {
  const client = sender.client
  if (client.ws.readyState !== client.ws.OPEN) return
  sender.moves++
  const card = { ...sender.card, x: (sender.card.x as number) + (sender.moves % 200), y: (sender.card.y as number) + (sender.moves % 7), meta: { sentAt: performance.now() } }
  const update = captureUpdate(client.doc, () => writeRecord(recordsOf(client.doc), card))
  if (update) client.sendUpdate(update)
}

serveWorker({
  /** Connects one client per URL and creates each client's card (`firstCard` numbers them). */
  async connect({ urls, firstCard }: { urls: string[]; firstCard: number }) {
    senders = urls.map((url, i) => {
      const client: YClient = new YClient(url, { onUpdate: (update, at) => onUpdate(client, update, at) })
      ownClientIds.add(client.doc.clientID)
      return { client, card: cardRecord(firstCard + i, 'a1', [], []), moves: 0 }
    })
    await Promise.all(senders.map((s) => s.client.opened.then(() => s.client.synced)))
    for (const s of senders) {
      const update = captureUpdate(s.client.doc, () => writeRecord(recordsOf(s.client.doc), { ...s.card, meta: { sentAt: 0 } }))
      if (update) s.client.sendUpdate(update)
    }
    return { connected: senders.length }
  },

  /**
   * Sends `rate` moves per second from every client for `durationMs`, recording latencies
   * after `warmupMs`; then waits `drainMs` for moves still in flight.
   */
  async run({ rate, durationMs, warmupMs, drainMs }: { rate: number; durationMs: number; warmupMs: number; drainMs: number }) {
    latencies = []
    received = 0
    windowEnd = Infinity
    recording = false
    let sent = 0
    const started = performance.now()
    const interval = 1000 / rate
    // Client i sends at started + (i/n + k) * interval: evenly spread, not all on one tick.
    const next = senders.map((_, i) => started + (i / senders.length) * interval)
    let recordStart = Infinity
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = performance.now()
        if (!recording && now - started >= warmupMs) {
          recording = true
          recordStart = now
        }
        if (now - started >= warmupMs + durationMs) return resolve()
        for (let i = 0; i < senders.length; i++) {
          while (next[i] <= now) {
            move(senders[i])
            if (recording) sent++
            next[i] += interval
          }
        }
        setTimeout(tick, 1)
      }
      tick()
    })
    const recordEnd = performance.now()
    windowEnd = recordEnd
    await new Promise((r) => setTimeout(r, drainMs))
    recording = false
    return {
      latencies: Float64Array.from(latencies),
      sent,
      received,
      seconds: (recordEnd - recordStart) / 1000,
      closed: senders.filter((s) => s.client.closeCode !== null).map((s) => s.client.closeCode),
      rejections: senders.flatMap((s) => s.client.rejections),
    }
  },

  close() {
    for (const s of senders) s.client.terminate()
    senders = []
    ownClientIds.clear()
  },
})
