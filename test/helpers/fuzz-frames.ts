/**
 * Seeded generator of hostile y-websocket frames for the fuzz test. Each frame comes with the
 * generator's guess whether the server will close the socket for it (`fatal`); the test only
 * uses the guess to schedule (wait for the outcome before sending more), never as the verdict.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { FACILITATION_KEY } from '../../core/facilitation.ts'
import { META_KEY } from '../../core/board-meta.ts'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { cardRecord } from './records.ts'

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface FuzzFrame {
  kind: string
  data: Uint8Array | string
  fatal: boolean
}

const build = (f: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder()
  f(e)
  return encoding.toUint8Array(e)
}

export class FrameGenerator {
  private readonly int: (n: number) => number
  private readonly doc = new Y.Doc()
  private readonly updates: Uint8Array[] = []
  /** Updates a participant may not send (board meta, the facilitation state). */
  private readonly forbidden: Uint8Array[]
  private awarenessClock = 1
  private readonly myAwarenessId: number

  constructor(private readonly rand: () => number) {
    this.int = (n) => Math.floor(rand() * n)
    this.doc.clientID = 1_000_000 + this.int(1_000_000_000)
    this.myAwarenessId = this.doc.clientID
    this.doc.on('update', (u: Uint8Array) => this.updates.push(u))
    // A stock of real updates to corrupt: cards, meta, the facilitation map.
    for (let i = 0; i < 4; i++) this.doc.transact(() => writeRecord(recordsOf(this.doc), cardRecord(`fz${this.int(1e9)}`, { x: i })))
    this.doc.transact(() => this.doc.getMap(META_KEY).set('title', 'fuzz'))
    this.doc.transact(() => this.doc.getMap(FACILITATION_KEY).set('locked', true))
    // The same two writes from fresh documents, so they depend on nothing the server lacks.
    this.forbidden = [META_KEY, FACILITATION_KEY].map((key) => {
      const alone = new Y.Doc()
      alone.getMap(key).set(key === META_KEY ? 'title' : 'locked', key === META_KEY ? 'fuzz' : true)
      return Y.encodeStateAsUpdate(alone)
    })
  }

  private bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  private aRealUpdate(): Uint8Array {
    return this.int(3) === 0 ? Y.encodeStateAsUpdate(this.doc) : this.pick(this.updates)
  }

  next(): FuzzFrame {
    const r = this.rand()
    if (r < 0.14) return { kind: 'random bytes', data: this.bytes(this.int(300)), fatal: true }
    if (r < 0.22) return this.truncatedVarint()
    if (r < 0.3) return this.unknownType()
    if (r < 0.38) return this.hugeLength()
    if (r < 0.56) return this.corruptUpdate()
    if (r < 0.7) return this.badAwareness()
    return this.validButHostile()
  }

  private truncatedVarint(): FuzzFrame {
    const cut = (frame: Uint8Array) => frame.slice(0, 1 + this.int(Math.max(1, frame.length - 1)))
    const options = [
      () => new Uint8Array(Array.from({ length: 1 + this.int(9) }, () => 0x80 | this.int(128))), // continuation bits, no end
      () => new Uint8Array([0, 0x80 | this.int(128)]),
      () => cut(build((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, this.aRealUpdate())))),
      () => cut(build((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, this.awareness(this.myAwarenessId, this.awarenessClock + 1, { u: 1 }))))),
    ]
    return { kind: 'truncated varint or payload', data: this.pick(options)(), fatal: true }
  }

  private unknownType(): FuzzFrame {
    const type = this.pick([4, 5, 7, 42, 99, 101, 127, 128, 255, 65_535, 2 ** 31, Number.MAX_SAFE_INTEGER])
    return { kind: 'unknown message type', data: build((e) => (encoding.writeVarUint(e, type), encoding.writeUint8Array(e, this.bytes(this.int(20))))), fatal: true }
  }

  private hugeLength(): FuzzFrame {
    const huge = this.pick([2 ** 20, 2 ** 31, 2 ** 32 + 1, 2 ** 45, Number.MAX_SAFE_INTEGER])
    const options = [
      () => build((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, this.int(3)), encoding.writeVarUint(e, huge), encoding.writeUint8Array(e, this.bytes(8)))),
      () => build((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint(e, huge), encoding.writeUint8Array(e, this.bytes(8)))),
      () => build((e) => (encoding.writeVarUint(e, 100), encoding.writeVarUint(e, huge), encoding.writeUint8Array(e, this.bytes(8)))),
      // Inside a well-framed update and awareness payload: a count or string length far beyond the data.
      () => build((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint8Array(e, build((u) => (encoding.writeVarUint(u, huge), encoding.writeUint8Array(u, this.bytes(6))))))),
      () => build((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, build((a) => (encoding.writeVarUint(a, 1), encoding.writeVarUint(a, 5), encoding.writeVarUint(a, 1), encoding.writeVarUint(a, huge)))))),
    ]
    // Now and then a frame really over the server's MAX_PAYLOAD_BYTES (set to 256 KiB by the test).
    if (this.int(50) === 0) return { kind: 'frame over the size limit', data: new Uint8Array(300 * 1024), fatal: true }
    return { kind: 'huge length prefix', data: this.pick(options)(), fatal: true }
  }

  /** A real update with a few bytes changed, cut or inserted: often still decodable, never meaningful. */
  private corruptUpdate(): FuzzFrame {
    const update = new Uint8Array(this.aRealUpdate())
    const mutations = 1 + this.int(3)
    let data: Uint8Array = update
    for (let i = 0; i < mutations; i++) {
      const at = this.int(data.length)
      const how = this.int(4)
      if (how === 0) data[at] = this.int(256)
      else if (how === 1) data[at] ^= 1 << this.int(8)
      else if (how === 2) data = data.slice(0, at)
      else data = new Uint8Array([...data.slice(0, at), ...this.bytes(1 + this.int(4)), ...data.slice(at)])
    }
    const step = this.pick([1, 2, 2])
    // Usually fatal (undecodable, or refused by the write rules with a message instead): a guess.
    return { kind: 'corrupt Yjs update', data: build((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, data))), fatal: true }
  }

  private awareness(clientId: number, clock: number, state: unknown, raw?: string): Uint8Array {
    return build((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, clientId)
      encoding.writeVarUint(e, clock)
      encoding.writeVarString(e, raw ?? JSON.stringify(state))
    })
  }

  private badAwareness(): FuzzFrame {
    const frame = (update: Uint8Array) => build((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, update)))
    const id = this.myAwarenessId
    const options: Array<() => FuzzFrame> = [
      // Under a fresh client id half the time: a stale clock is dropped unparsed (and survives).
      () => {
        const [who, clock] = this.int(2) ? [id, ++this.awarenessClock] : [3_000_000_000 + this.int(1e9), 1]
        return { kind: 'awareness: bad JSON', data: frame(this.awareness(who, clock, null, this.pick(['{', '{"a":', 'undefined', '\u0000', '[1,2', '"x']))), fatal: true }
      },
      // Huge clocks are valid: this client only pins its own id.
      () => ({ kind: 'awareness: huge clock', data: frame(this.awareness(id, (this.awarenessClock = Number.MAX_SAFE_INTEGER - this.int(1000)), { user: { name: 'x' } })), fatal: false }),
      () => ({ kind: 'awareness: state over the size limit', data: frame(this.awareness(id, ++this.awarenessClock, { pad: 'x'.repeat(70_000) })), fatal: true }),
      () => ({
        kind: 'awareness: many client ids',
        data: frame(build((e) => {
          encoding.writeVarUint(e, 20)
          for (let i = 0; i < 20; i++) (encoding.writeVarUint(e, 5_000_000 + this.int(1e9)), encoding.writeVarUint(e, 1), encoding.writeVarString(e, '{"u":1}'))
        })),
        fatal: true,
      }),
      () => ({ kind: 'awareness: removal of an unknown id', data: frame(this.awareness(this.int(1e9), 1 + this.int(100), null)), fatal: false }),
      () => ({ kind: 'awareness: garbage', data: frame(this.bytes(1 + this.int(40))), fatal: true }),
    ]
    return this.pick(options)()
  }

  private validButHostile(): FuzzFrame {
    const sync = (step: number, payload: Uint8Array) => build((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, payload)))
    const snurra = (text: string) => build((e) => (encoding.writeVarUint(e, 100), encoding.writeVarString(e, text)))
    const options: Array<() => FuzzFrame> = [
      // A participant writing the facilitation map or the meta: refused with a message, not a close.
      () => ({ kind: 'valid update to a forbidden map', data: sync(2, this.pick(this.forbidden)), fatal: false }),
      // A state vector claiming clocks the server never saw, and an empty one.
      () => ({ kind: 'sync step 1 with made-up clocks', data: sync(0, build((e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, this.int(1e9)), encoding.writeVarUint(e, this.int(1e12)), encoding.writeVarUint(e, this.doc.clientID), encoding.writeVarUint(e, 1e9)))), fatal: false }),
      () => ({ kind: 'query awareness', data: new Uint8Array([3]), fatal: false }),
      () => ({ kind: 'auth message', data: build((e) => (encoding.writeVarUint(e, 2), encoding.writeVarUint(e, this.int(3)), encoding.writeVarString(e, 'let me in'))), fatal: false }),
      () => ({ kind: 'intent: unknown or forbidden', data: snurra(JSON.stringify({ t: 'intent', id: this.int(1e6), intent: this.pick([{ type: 'nope' }, { type: 'timer.start', durationMs: -1 }, { type: 'vote.cast', cardId: 'x'.repeat(500) }, null, 42]) })), fatal: false }),
      () => ({ kind: 'snurra message: not an intent', data: snurra(JSON.stringify({ t: this.pick(['hello', 'result', 'x', '']), id: 'x' })), fatal: false }),
      () => ({ kind: 'snurra message: not an object', data: snurra(this.pick(['[]', 'null', '1', '"x"', '{'])), fatal: true }),
      () => ({ kind: 'text frame', data: 'hello', fatal: true }),
      () => ({ kind: 'empty frame', data: new Uint8Array(0), fatal: true }),
      () => {
        // A real card, now and then (each is stored durably: kept rare to keep the run short).
        if (this.int(6) !== 0) return { kind: 'sync step 2 repeating what the server has', data: sync(1, new Uint8Array([0, 0])), fatal: false }
        const card = new Y.Doc()
        card.clientID = 2_000_000_000 + this.int(1e9)
        card.transact(() => writeRecord(recordsOf(card), cardRecord(`fz${this.int(1e9)}`, { x: this.int(1000) })))
        return { kind: 'valid card update', data: sync(2, Y.encodeStateAsUpdate(card)), fatal: false }
      },
    ]
    return this.pick(options)()
  }
}
