/**
 * Seeded fuzz: hostile frames over many sockets against a real server process. The server must
 * never crash, close only the offending socket (with a bad-input or limit code), keep a board's
 * well-behaved clients and another board's syncing all along, and keep its memory bounded.
 * `npm test` sends 10,000 frames; `npm run test:soak` runs this same file with 100,000
 * (vitest.soak.config.ts). Replay a run with FUZZ_SEED=<seed> (printed); FUZZ_FRAMES sets the count.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { connectSynced, destroyAllClients, waitFor, type Client } from '../helpers/clients.ts'
import { FrameGenerator, prng, type FuzzFrame } from '../helpers/fuzz-frames.ts'
import { sample, scrape } from '../helpers/metrics.ts'
import { WireSocket } from '../helpers/wire-socket.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { sleep, startTestServer, stopAllServers, withTimeout, type CreatedBoard, type TestServer } from '../helpers/server.ts'

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0
const TOTAL = Number(process.env.FUZZ_FRAMES || 10_000)
const WORKERS = 24
/** Frames expected to be harmless are sent this many at a time before checking the socket. */
const PIPELINE = 16
/** Bad input (4400), too big (1009), rate limit (4529), too many frames before the join (1013). */
const EXPECTED_CLOSES = new Set([4400, 1009, 4529, 1013])
const PROBE_BASE = 1_000_000_000

afterEach(destroyAllClients)
afterAll(stopAllServers)

/**
 * A fuzzing socket (a bare one: tens of thousands are opened). `probe` sends an intent whose
 * answer queues behind everything sent before it: answered, the socket survived those frames.
 */
class FuzzSocket {
  private readonly wire: WireSocket
  private answered = 0
  private nextProbe = PROBE_BASE

  constructor(port: number, path: string, first?: Uint8Array | string) {
    this.wire = new WireSocket(port, path, (data) => this.read(data), first)
  }

  get closeCode(): number | null {
    return this.wire.closeCode
  }

  open(): Promise<boolean> {
    return withTimeout(this.wire.opened(), 15_000, 'fuzz socket did not open')
  }

  send(data: Uint8Array | string): boolean {
    return this.wire.send(data)
  }

  destroy(): void {
    this.wire.destroy()
  }

  async probe(): Promise<boolean> {
    const id = ++this.nextProbe
    const probe = encoding.createEncoder()
    encoding.writeVarUint(probe, 100)
    encoding.writeVarString(probe, JSON.stringify({ t: 'intent', id, intent: null }))
    if (!this.send(encoding.toUint8Array(probe))) return false
    const deadline = Date.now() + 15_000
    while (this.answered < id && this.wire.closeCode === null) {
      if (Date.now() > deadline) throw new Error('the server did not answer a probe within 15 s')
      await this.wire.changed(200)
    }
    return this.answered >= id
  }

  private read(data: Buffer): void {
    if (data[0] !== 100) return // only our probes' answers matter
    try {
      const message = JSON.parse(decoding.readVarString(decoding.createDecoder(data.subarray(1)))) as { t?: string; id?: number }
      if (message.t === 'result' && typeof message.id === 'number' && message.id >= PROBE_BASE) this.answered = Math.max(this.answered, message.id)
    } catch {
      // anything else the server says is not ours to check here
    }
  }
}

interface Tally {
  sent: number
  sockets: number
  closes: Map<number, number>
  unexpectedCloses: string[]
  kinds: Map<string, { sent: number; closed: number }>
}

async function fuzzWorker(index: number, s: TestServer, board: CreatedBoard, tally: Tally): Promise<void> {
  const rand = prng(SEED ^ Math.imul(index + 1, 0x9e3779b1))
  const gen = new FrameGenerator(rand)
  while (tally.sent < TOTAL) {
    // Participants and viewers: a fuzzing facilitator could lock the board, which is allowed.
    const token = rand() < 0.8 ? board.tokens.participant : board.tokens.viewer
    // Half the sockets get their first frame in the handshake's packet, before the upgrade is
    // done (it waits in the early-frame queue); the rest after the 101.
    const early = rand() < 0.5 ? gen.next() : undefined
    const socket = new FuzzSocket(s.port, `/ws/${board.id}?token=${encodeURIComponent(token)}`, early?.data)
    tally.sockets++
    if (!(await socket.open())) {
      const exit = s.proc.exitCode ?? s.proc.signalCode
      throw new Error(exit !== null ? `the server died (${exit}):\n${s.output().split('\n').slice(-15).join('\n')}` : `a fuzz socket could not open (${socket.closeCode})`)
    }
    let unchecked: FuzzFrame[] = []
    let pending = early
    while (tally.sent < TOTAL) {
      const frame = pending ?? gen.next()
      if (!pending && !socket.send(frame.data)) break
      pending = undefined
      tally.sent++
      const kind = tally.kinds.get(frame.kind) ?? { sent: 0, closed: 0 }
      kind.sent++
      tally.kinds.set(frame.kind, kind)
      unchecked.push(frame)
      if (!frame.fatal && unchecked.length < PIPELINE) continue
      const alive = await socket.probe()
      if (!alive) {
        // The socket was closed for one of the unchecked frames: most likely the last guessed fatal.
        const culprit = unchecked.findLast((f) => f.fatal) ?? unchecked[unchecked.length - 1]
        tally.kinds.get(culprit.kind)!.closed++
        break
      }
      unchecked = []
    }
    if (socket.closeCode === null) {
      socket.destroy()
      continue
    }
    const code = socket.closeCode
    tally.closes.set(code, (tally.closes.get(code) ?? 0) + 1)
    if (!EXPECTED_CLOSES.has(code)) tally.unexpectedCloses.push(`${code} after ${unchecked.map((f) => f.kind).join(', ')}`)
  }
}

/** Every `everyMs`, a card written on each board by one client must reach the other client. */
function watchBystanders(pairs: Array<[Client, Client]>, everyMs: number) {
  let stop = false
  let rounds = 0
  let worstMs = 0
  let failure: Error | null = null
  const running = (async () => {
    while (!stop && !failure) {
      const n = rounds++
      const started = performance.now()
      try {
        await Promise.all(
          pairs.map(async ([from, to], p) => {
            const [writer, reader] = n % 2 ? [to, from] : [from, to] // both ways, in turn
            write(writer.doc, cardRecord(`probe-${p}-${n}`))
            await waitFor(() => read(reader.doc, `shape:card-probe-${p}-${n}`) !== undefined, `probe ${n} on board ${p}`, 15_000, 10)
          }),
        )
      } catch (err) {
        failure = err as Error
      }
      worstMs = Math.max(worstMs, performance.now() - started)
      await sleep(everyMs)
    }
  })()
  return {
    async finish() {
      stop = true
      await running
      if (failure) throw failure
      return { rounds, worstMs }
    },
  }
}

describe('fuzz', () => {
  it(`${TOTAL} hostile frames: the server survives, only offenders are closed, bystanders keep syncing, memory stays bounded`, async () => {
    console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`)
    const server = await startTestServer({ env: { LOG_LEVEL: 'error', MAX_PAYLOAD_BYTES: String(256 * 1024), MAX_CONNECTIONS_PER_IP: '10000' } })
    const target = await server.createBoard('Fuzz')
    const other = await server.createBoard('Bredvid')
    const a1 = await connectSynced(server.wsUrl, target.id, target.tokens.participant)
    const a2 = await connectSynced(server.wsUrl, target.id, target.tokens.facilitator)
    const b1 = await connectSynced(server.wsUrl, other.id, other.tokens.participant)
    const b2 = await connectSynced(server.wsUrl, other.id, other.tokens.participant)
    const tally: Tally = { sent: 0, sockets: 0, closes: new Map(), unexpectedCloses: [], kinds: new Map() }
    const memoryNow = async () => {
      const text = await scrape(server.url)
      return { rss: sample(text, 'process_resident_memory_bytes') / 2 ** 20, heap: sample(text, 'nodejs_heap_size_used_bytes') / 2 ** 20 }
    }
    const rssBefore = (await memoryNow()).rss
    let rssPeak = rssBefore
    // Memory at each fifth of the run: a leak grows with every fifth, a bounded server levels off.
    const checkpoints: string[] = []
    let nextCheckpoint = 0
    const memory = setInterval(() => {
      void memoryNow().then(
        (m) => {
          rssPeak = Math.max(rssPeak, m.rss)
          if (tally.sent >= nextCheckpoint) {
            checkpoints.push(`${tally.sent}: RSS ${m.rss.toFixed(0)} MB, heap ${m.heap.toFixed(0)} MB`)
            nextCheckpoint += TOTAL / 5
          }
        },
        () => {},
      )
    }, 250)

    const cpuBefore = sample(await scrape(server.url), 'process_cpu_seconds_total')
    const bystanders = watchBystanders([[a1, a2], [b1, b2]], 250)
    const started = performance.now()
    const cpuStart = process.cpuUsage()
    try {
      await Promise.all(Array.from({ length: WORKERS }, (_, i) => fuzzWorker(i, server, target, tally)))
    } finally {
      clearInterval(memory)
    }
    const seconds = (performance.now() - started) / 1000
    const ownCpu = process.cpuUsage(cpuStart)
    const { rounds, worstMs } = await bystanders.finish()
    const rssAfter = (await memoryNow()).rss
    rssPeak = Math.max(rssPeak, rssAfter)
    const metrics = await scrape(server.url)
    const received = sample(metrics, 'snurra_messages_received_total')
    const serverCpu = sample(metrics, 'process_cpu_seconds_total') - cpuBefore

    console.log(
      [
        `fuzz: ${tally.sent} frames on ${tally.sockets} sockets in ${seconds.toFixed(1)} s (${Math.round(tally.sent / seconds)}/s; server CPU ${serverCpu.toFixed(1)} s, test process ${((ownCpu.user + ownCpu.system) / 1e6).toFixed(1)} s); server handled ${received} messages (probes and bystanders included)`,
        `closes: ${[...tally.closes].map(([c, n]) => `${c}×${n}`).join(', ')}`,
        `bystanders: ${rounds} probe rounds on both boards, slowest ${Math.round(worstMs)} ms`,
        `server RSS: ${rssBefore.toFixed(0)} MB before, ${rssPeak.toFixed(0)} MB peak, ${rssAfter.toFixed(0)} MB after; by frames sent: ${checkpoints.join('; ')}`,
        ...[...tally.kinds].sort().map(([k, v]) => `  ${k}: ${v.sent} sent, ${v.closed} closed a socket`),
      ].join('\n'),
    )

    expect(tally.sent).toBe(TOTAL)
    expect(tally.unexpectedCloses, 'sockets closed with a code bad input should not cause').toEqual([])
    expect(server.proc.exitCode, 'server exited').toBeNull()
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    for (const c of [a1, a2, b1, b2]) expect(c.closeCodes, 'a bystander was disconnected').toEqual([])
    expect(rounds).toBeGreaterThan(3)
    expect(rssPeak - rssBefore, 'server memory growth (MB)').toBeLessThan(300)

    // After the storm: still syncing both ways, and the board still loads from storage after a crash.
    write(a2.doc, cardRecord('after-fuzz'))
    await waitFor(() => read(a1.doc, 'shape:card-after-fuzz') !== undefined, 'A1 to see the card written after the fuzz')
    const killed = server.kill()
    for (const c of [a1, a2, b1, b2]) c.destroy()
    await killed
    await server.restart()
    const reader = await connectSynced(server.wsUrl, target.id, target.tokens.viewer)
    expect(read(reader.doc, 'shape:card-after-fuzz')).toBeDefined()
    expect(read(reader.doc, `shape:card-probe-0-${rounds - 1}`)).toBeDefined()
  }, Math.max(180_000, TOTAL * 12)) // a guard against a hang, not a speed requirement: a busy machine is slow
})
