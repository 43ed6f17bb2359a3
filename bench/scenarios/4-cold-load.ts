/**
 * Scenario 4: cold load of a board with 2,000 activity cards (quick: 500) — the time from
 * opening the WebSocket to holding the whole board, when the board is not in the server's
 * memory and must come from storage. Target: Snurra ≤ 150 ms.
 *
 * The board is built once through the real layout (bench/lib/board.ts) on a Snurra board made
 * by `POST /api/boards`, by a facilitator client that sends it in batches, as a bulk paste or
 * import would. The reference with LevelDB gets the very same document pushed by a client.
 * The reference without persistence has no cold load: its documents exist only while a client
 * is connected (that row says "n/a").
 *
 * Snurra runs twice: from SQLite (the default) and from PostgreSQL (a scratch database on the
 * server at DATABASE_URL, default the local one; the run says "n/a" when none is reachable).
 *
 * Samples: the first after restarting the server process (cold process and cold board), then
 * more after the board was unloaded from a running server (Snurra: IDLE_UNLOAD_MS=200 for this
 * scenario only, and /metrics shows no board loaded; the reference with persistence drops a
 * document as soon as its last client leaves).
 *
 * Figures per sample:
 *   synced — the server's sync step 2 arrives (the client would call itself "synced")
 *   full   — the frame that completes the board arrives (for Snurra that is step 2; the
 *            reference answers step 2 before LevelDB has loaded, from an empty document, and
 *            sends the content afterwards as updates — the bug in DESIGN.md's list)
 *   apply  — the client's own time to apply what it received (not the server's cost)
 */
import { createScratchDatabase, postgresUp, type ScratchDatabase } from '../../test/helpers/services.ts'
import { cardCount } from '../lib/board.ts'
import { deviceKey } from '../lib/fanout.ts'
import type { BenchOptions, Row, Scenario, ScenarioResult } from '../lib/report.ts'
import { sleep, startServer, type BenchRoom, type ServerUnderTest, type TargetKind } from '../lib/servers.ts'
import { fillSnurraBoard, pushBoard, type BoardContent } from '../lib/seed.ts'
import { median } from '../lib/stats.ts'
import { YClient } from '../lib/yclient.ts'

interface Sample {
  afterRestart: boolean
  connectMs: number
  syncedMs: number
  fullMs: number
  appliedMs: number
  /** Cards in the sync step 2 itself (less than all: the server said "synced" too early). */
  cardsInStep2: number
}

/** The runs, in order: Snurra builds the board the reference then gets pushed. */
type Run = 'snurra' | 'ref-leveldb' | 'snurra-pg'
const RUNS: Run[] = ['snurra', 'ref-leveldb', 'snurra-pg']

export const scenario: Scenario = {
  id: 4,
  title: 'Cold load of a 2,000-card board',
  async run(opts: BenchOptions): Promise<ScenarioResult> {
    const cards = opts.quick ? 500 : 2_000
    const samples = opts.quick ? 3 : 8
    let content: BoardContent | null = null // the document as Snurra holds it, for the reference
    const results: Partial<Record<Run, Sample[]>> = {}
    let postgres: string | undefined
    for (const run of RUNS) {
      let db: ScratchDatabase | undefined
      if (run === 'snurra-pg') {
        if (!(await postgresUp())) {
          postgres = 'no PostgreSQL reachable at DATABASE_URL: that run was skipped'
          console.log(`  [4] ${postgres}`)
          continue
        }
        db = await createScratchDatabase()
      }
      const kind: TargetKind = run === 'ref-leveldb' ? 'ref-leveldb' : 'snurra'
      const server = await startServer(kind, { env: kind === 'snurra' ? { IDLE_UNLOAD_MS: '200', ...(db ? { DATABASE_URL: db.url } : {}) } : {} })
      try {
        const room = await server.newRoom()
        if (kind === 'snurra') content = await fillSnurraBoard(room, cards)
        else if (content) await pushBoard(room, content, cards)
        else throw new Error('scenario 4 builds its board on Snurra first')
        const list: Sample[] = []
        for (let i = 0; i < samples; i++) {
          if (i === 0) await server.restart()
          else await waitUnloaded(server)
          list.push(await coldLoad(room, cards, i === 0))
          const s = list[list.length - 1]
          console.log(
            `  [4] ${run.padEnd(11)} ${i === 0 ? 'after restart' : 'after unload '}: synced ${s.syncedMs.toFixed(1)} ms (${s.cardsInStep2} cards in step 2), ` +
              `full state ${s.fullMs.toFixed(1)} ms, client applied by ${s.appliedMs.toFixed(1)} ms`,
          )
        }
        results[run] = list
      } finally {
        await server.stop()
        await db?.drop()
      }
    }
    const warm = (k: Run, f: (s: Sample) => number) => median(results[k]!.filter((s) => !s.afterRestart).map(f))
    const first = (k: Run, f: (s: Sample) => number) => f(results[k]![0])
    const fromPostgres = (f: (s: Sample) => number, pick: typeof warm) => (results['snurra-pg'] ? pick('snurra-pg', f) : 'n/a')
    const rows: Row[] = [
      {
        scenario: 4,
        metric: `cold load, ${cards} cards: full state (median)`,
        unit: 'ms',
        values: { snurra: warm('snurra', (s) => s.fullMs), ref: 'n/a', 'ref-leveldb': warm('ref-leveldb', (s) => s.fullMs) },
        target: { kind: 'lte', limit: 150, text: '≤ 150 ms' },
      },
      {
        scenario: 4,
        metric: 'cold load after a restart: full state',
        unit: 'ms',
        values: { snurra: first('snurra', (s) => s.fullMs), ref: 'n/a', 'ref-leveldb': first('ref-leveldb', (s) => s.fullMs) },
        target: { kind: 'info' },
      },
      {
        scenario: 4,
        metric: `cold load from PostgreSQL, ${cards} cards: full state (median)`,
        unit: 'ms',
        values: { snurra: fromPostgres((s) => s.fullMs, warm), ref: 'n/a', 'ref-leveldb': 'n/a' },
        target: { kind: 'lte', limit: 150, text: '≤ 150 ms' },
        note: postgres,
      },
      {
        scenario: 4,
        metric: 'cold load from PostgreSQL after a restart',
        unit: 'ms',
        values: { snurra: fromPostgres((s) => s.fullMs, first), ref: 'n/a', 'ref-leveldb': 'n/a' },
        target: { kind: 'info' },
      },
      {
        scenario: 4,
        metric: 'client says "synced" (median)',
        unit: 'ms',
        values: { snurra: warm('snurra', (s) => s.syncedMs), ref: 'n/a', 'ref-leveldb': warm('ref-leveldb', (s) => s.syncedMs) },
        target: { kind: 'info', text: 'ref: before its data' },
      },
      {
        scenario: 4,
        metric: 'client-side apply of the board (median)',
        unit: 'ms',
        values: { snurra: warm('snurra', (s) => s.appliedMs - s.fullMs), ref: 'n/a', 'ref-leveldb': warm('ref-leveldb', (s) => s.appliedMs - s.fullMs) },
        target: { kind: 'info' },
      },
    ]
    return { id: 4, title: this.title, rows, details: { cards, docBytes: content?.bytes, samples: results, referenceWithoutPersistence: 'no cold load: documents exist only while clients are connected' } }
  },
}

/** One cold load: connect, then time the sync and the frame that completes the board. */
async function coldLoad(room: BenchRoom, cards: number, afterRestart: boolean): Promise<Sample> {
  const t0 = performance.now()
  let openedAt = NaN
  let fullAt = NaN
  let appliedAt = NaN
  let cardsInStep2 = 0
  let done!: () => void
  const complete = new Promise<void>((r) => (done = r))
  // Called after the frame was applied to the client's document, with the frame's arrival time.
  const check = (receivedAt: number) => {
    if (Number.isNaN(fullAt) && cardCount(client.doc) >= cards) {
      fullAt = receivedAt
      appliedAt = performance.now()
      done()
    }
  }
  const client: YClient = new YClient(room.wsUrl('participant', deviceKey()), {
    applyRemote: true,
    onSynced: (at) => {
      cardsInStep2 = cardCount(client.doc)
      check(at)
    },
    onUpdate: (_u, at) => check(at),
  })
  void client.opened.then(() => (openedAt = performance.now()))
  await Promise.race([complete, sleep(30_000).then(() => Promise.reject(new Error(`board not complete within 30 s (${cardCount(client.doc)} cards)`)))])
  client.close()
  await client.closed
  return { afterRestart, connectMs: openedAt - t0, syncedMs: client.syncedAt - t0, fullMs: fullAt - t0, appliedMs: appliedAt - t0, cardsInStep2 }
}

/** Waits until the server has no board in memory (Snurra: /metrics; the reference drops it at once). */
async function waitUnloaded(server: ServerUnderTest): Promise<void> {
  if (server.kind !== 'snurra') return sleep(500)
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const text = await (await fetch(`${server.url}/metrics`)).text()
    if (/^snurra_rooms_loaded\{kind="board"\} 0$/m.test(text)) return
    await sleep(100)
  }
  throw new Error('the board was not unloaded within 15 s')
}
