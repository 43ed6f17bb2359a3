/**
 * The fan-out's parts without Redis: the sequence window that decides what a document holds
 * (and so how far it may be compacted), the wire format, a room with a fake link (remote
 * updates applied but never stored again, nothing published before it is stored), and a room
 * whose own write failed being loaded afresh.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../server/log.ts'
import { Room, type Connection, type RoomStore } from '../../server/room.ts'
import { Rooms } from '../../server/rooms.ts'
import { RoomFanout, type FanoutLink } from '../../server/scaleout/room-fanout.ts'
import { SeqWindow } from '../../server/scaleout/seq-window.ts'
import { decodeFanout, encodeFanout, type FanoutMessage } from '../../server/scaleout/wire.ts'
import type { StoredBoard } from '../../server/storage/storage.ts'
import { encodeUpdate } from '../../server/protocol.ts'

const log = createLogger('error')

describe('SeqWindow', () => {
  it('covers a contiguous run only; an early arrival waits for the hole before it', () => {
    const w = new SeqWindow()
    w.coverTo(4)
    expect(w.covered).toBe(4)
    w.add(6)
    w.add(7)
    expect(w.covered).toBe(4)
    expect(w.hasGap).toBe(true)
    w.add(5)
    expect(w.covered).toBe(7)
    expect(w.hasGap).toBe(false)
    w.add(3) // old news
    expect(w.covered).toBe(7)
  })

  it('a catch-up covers everything up to its last seq and absorbs early arrivals beyond', () => {
    const w = new SeqWindow()
    w.add(3)
    w.add(9)
    w.add(11)
    w.coverTo(8)
    expect(w.covered).toBe(9)
    expect(w.hasGap).toBe(true)
    w.coverTo(10)
    expect(w.covered).toBe(11)
    expect(w.hasGap).toBe(false)
    w.coverTo(2)
    expect(w.covered).toBe(11)
  })
})

describe('fan-out wire format', () => {
  it('round-trips every kind and refuses garbage', () => {
    const messages: FanoutMessage[] = [
      { kind: 'update', from: 'inst-a', seq: 123456789, update: new Uint8Array([1, 2, 3]) },
      { kind: 'awareness', from: 'inst-b', update: new Uint8Array([0]) },
      { kind: 'hello', from: 'inst-c', seq: 42 },
      { kind: 'erased', from: 'inst-d' },
      { kind: 'ballot', from: 'inst-e', personId: 'p-123' },
    ]
    for (const m of messages) expect(decodeFanout(encodeFanout(m))).toEqual(m)
    expect(() => decodeFanout(new Uint8Array([9, 1, 65]))).toThrow()
    expect(() => decodeFanout(new Uint8Array([0, 5]))).toThrow()
  })
})

function memoryStore(failAppends = false): RoomStore & { log: Uint8Array[]; loads: number } {
  const store = {
    log: [] as Uint8Array[],
    loads: 0,
    async load(): Promise<StoredBoard> {
      store.loads++
      return { snapshot: null, updates: [...store.log], lastSeq: store.log.length }
    },
    async appendMany(updates: Uint8Array[]) {
      if (failAppends) throw new Error('disk gone')
      return updates.map((update) => store.log.push(update))
    },
    async compact() {},
  }
  return store
}

function fakeConn(id: number): Connection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = []
  return { id, role: 'participant', personId: null, sent, send: (d) => sent.push(d), close: () => {} }
}

function updateOf(fn: (doc: Y.Doc) => void, clientId: number): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = clientId
  fn(doc)
  return Y.encodeStateAsUpdate(doc)
}

describe('a room with a fan-out', () => {
  function setup() {
    const store = memoryStore()
    const published: FanoutMessage[] = []
    const link: FanoutLink = { instanceId: 'me', log, publish: (m) => published.push(m), detach: () => {} }
    let fanout!: RoomFanout
    const room = new Room('board', {
      store,
      log,
      compactEvery: 1000,
      onEmpty: () => {},
      extensions: (r) => [(fanout = new RoomFanout(r, link, { sequenced: true, loadSince: async () => ({ snapshot: null, updates: [], lastSeq: 0 }) }))],
    })
    return { store, published, room, fanout: () => fanout }
  }

  it('publishes a client update after storing it, with its seq', async () => {
    const { store, published, room } = setup()
    await room.ready()
    const conn = fakeConn(1)
    room.join(conn)
    const update = updateOf((d) => d.getMap('m').set('k', 1), 7)
    room.receive(conn, encodeUpdate(update))
    await room.run(() => {})
    expect(store.log).toHaveLength(1)
    expect(published).toEqual([{ kind: 'update', from: 'me', seq: 1, update }])
  })

  it("applies another instance's update, sends it to local clients, never stores or republishes it", async () => {
    const { store, published, room, fanout } = setup()
    await room.ready()
    const conn = fakeConn(1)
    room.join(conn)
    await room.run(() => {})
    const before = conn.sent.length
    fanout().receive({ kind: 'update', from: 'other', seq: 1, update: updateOf((d) => d.getMap('m').set('remote', true), 9) })
    await room.run(() => {})
    expect(room.doc.getMap('m').get('remote')).toBe(true)
    expect(conn.sent.length).toBeGreaterThan(before)
    expect(store.log).toHaveLength(0)
    expect(published.filter((m) => m.kind === 'update')).toEqual([])
    expect(fanout().compactBound()).toBe(1)
  })

  it('compaction bound: not past a hole left by a missing remote update', async () => {
    const { room, fanout } = setup()
    await room.ready()
    // Another instance stored seq 1; this one stores seq 2 without having seen 1.
    fanout().onStored(updateOf((d) => d.getMap('m').set('x', 1), 3), 2)
    expect(fanout().compactBound()).toBe(0)
    fanout().receive({ kind: 'update', from: 'other', seq: 1, update: updateOf((d) => d.getMap('m').set('y', 1), 4) })
    await room.run(() => {})
    expect(fanout().compactBound()).toBe(2)
  })
})

describe('a room without a fan-out sharing its log with another process', () => {
  it('compacts only up to the last seq that follows on from what it holds', async () => {
    const seqs = [1, 3, 4] // 2 was appended by someone else
    const compactions: number[] = []
    const room = new Room('board', {
      store: {
        load: async () => ({ snapshot: null, updates: [], lastSeq: 0 }),
        appendMany: async (updates) => updates.map(() => seqs.shift()!),
        compact: async (_snapshot, uptoSeq) => void compactions.push(uptoSeq),
      },
      log,
      compactEvery: 3,
      onEmpty: () => {},
    })
    await room.ready()
    const conn = fakeConn(1)
    room.join(conn)
    for (let i = 0; i < 3; i++) room.receive(conn, encodeUpdate(updateOf((d) => d.getMap('m').set(`k${i}`, i), 20 + i)))
    await room.run(() => {})
    expect(compactions).toEqual([1])
  })
})

describe('a room whose own change could not be stored', () => {
  it('is loaded afresh on the next acquire instead of leaving reconnecting clients unsynced', async () => {
    const rooms = new Rooms({ log, idleUnloadMs: 60_000 })
    const stores: ReturnType<typeof memoryStore>[] = []
    const create = (onEmpty: (room: Room) => void) => {
      const store = memoryStore(stores.length === 0)
      stores.push(store)
      return new Room('board', { store, log, compactEvery: 1000, onEmpty })
    }
    const first = await rooms.acquire('board', create)
    let stored = true
    await first.run(async () => {
      stored = await first.serverWrite(() => first.doc.getMap('m').set('lost', 1))
    })
    expect(stored).toBe(false)
    expect(first.stale).toBe(true)
    const second = await rooms.acquire('board', create)
    expect(second).not.toBe(first)
    expect(second.stale).toBe(false)
    expect(second.doc.getMap('m').get('lost')).toBeUndefined()
  })
})
