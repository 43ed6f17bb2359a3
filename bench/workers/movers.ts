/**
 * Load-generator worker for scenario 6: remote participants dragging cards while a browser
 * watches. Each client syncs the whole board (it needs a card's current properties to write a
 * move through core/record-store.ts, as a real client does), then stops applying what others
 * send — every client drags a card of its own, so nothing it writes depends on their moves —
 * and moves its card round a small circle at a steady rate.
 */
import { readRecord, recordsOf, writeRecord, type JsonRecord, type RecordEntries } from '../../core/record-store.ts'
import { serveWorker } from '../lib/workers.ts'
import { captureUpdate, YClient } from '../lib/yclient.ts'

interface Mover {
  client: YClient
  card: JsonRecord
  moves: number
}

let movers: Mover[] = []
let timer: NodeJS.Timeout | null = null

serveWorker({
  /** One client per card id; each moves that card. */
  async connect({ urls, cardIds }: { urls: string[]; cardIds: string[] }) {
    movers = await Promise.all(
      urls.map(async (url, i) => {
        const client = new YClient(url, { applyRemote: true })
        await client.synced
        client.applyRemote = false
        const entries = recordsOf(client.doc).get(cardIds[i]) as RecordEntries | undefined
        if (!entries) throw new Error(`card ${cardIds[i]} not on the board`)
        return { client, card: readRecord(entries) as JsonRecord, moves: 0 }
      }),
    )
    return { connected: movers.length }
  },

  /** Every client moves its card `rate` times a second until `stop`. Returns at once. */
  start({ rate }: { rate: number }) {
    const started = performance.now()
    const interval = 1000 / rate
    const next = movers.map((_, i) => started + (i / movers.length) * interval)
    const tick = () => {
      const now = performance.now()
      movers.forEach((m, i) => {
        if (next[i] > now) return
        next[i] += interval
        m.moves++
        const angle = m.moves / 10
        const card = { ...m.card, x: (m.card.x as number) + Math.round(60 * Math.cos(angle)), y: (m.card.y as number) + Math.round(60 * Math.sin(angle)) }
        const update = captureUpdate(m.client.doc, () => writeRecord(recordsOf(m.client.doc), card))
        if (update) m.client.sendUpdate(update)
      })
      timer = setTimeout(tick, 2)
    }
    tick()
  },

  stop() {
    if (timer) clearTimeout(timer)
    timer = null
    return {
      moves: movers.reduce((n, m) => n + m.moves, 0),
      closed: movers.filter((m) => m.client.closeCode !== null).map((m) => m.client.closeCode),
      rejections: movers.flatMap((m) => m.client.rejections),
    }
  },

  close() {
    for (const m of movers) m.client.terminate()
    movers = []
  },
})
