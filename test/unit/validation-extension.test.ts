/**
 * server/extensions/validation.ts in a real Room (memory store, the board's write rules and
 * validation, fake connections): a valid card is stored and sent on; each hostile record is
 * refused as `invalid` to its sender alone, with nothing stored, applied or sent to anyone else.
 * Then server/extensions/quarantine.ts on a board stored before the server validated anything.
 */
import * as decoding from 'lib0/decoding'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { metaOf } from '../../core/board-meta.ts'
import { PAGE_ID } from '../../core/circle.ts'
import { MESSAGE_SNURRA } from '../../core/messages.ts'
import { readAllRecords, readRecord, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { snurraSerializedSchema, validateRecord } from '../../core/record-validation.ts'
import type { Role } from '../../core/roles.ts'
import { checkLoadedBoard, type QuarantineEntry } from '../../server/extensions/quarantine.ts'
import { Validation, type QuarantineStore } from '../../server/extensions/validation.ts'
import { boardWriteRules } from '../../server/extensions/write-rules.ts'
import { createLogger } from '../../server/log.ts'
import { encodeUpdate, MESSAGE_SYNC, SYNC_UPDATE } from '../../server/protocol.ts'
import { Room, type Connection, type RoomStore } from '../../server/room.ts'
import { UPDATE_LIMITS } from '../../server/pipeline/write-pipeline.ts'
import { boardPair, rawUpdate } from '../helpers/pipeline.ts'
import { deleteOnlyUpdate } from '../helpers/snurra.ts'
import { cardRecord } from '../helpers/records.ts'

const log = createLogger('error')

const fixtureBinding = (): JsonRecord =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'client-records.json'), 'utf8')).find((r: JsonRecord) => r.typeName === 'binding')

type Sent = { snurra: Array<Record<string, unknown>>; updates: number }

function fakeConn(id: number, role: Role): Connection & { sent: Uint8Array[]; seen(): Sent } {
  const sent: Uint8Array[] = []
  return {
    id,
    role,
    personId: null,
    sent,
    send: (d) => sent.push(d),
    close: () => {},
    seen() {
      const out: Sent = { snurra: [], updates: 0 }
      for (const frame of sent) {
        const decoder = decoding.createDecoder(frame)
        const type = decoding.readVarUint(decoder)
        if (type === MESSAGE_SNURRA) out.snurra.push(JSON.parse(decoding.readVarString(decoder)))
        else if (type === MESSAGE_SYNC && decoding.readVarUint(decoder) === SYNC_UPDATE) out.updates++
      }
      return out
    },
  }
}

function memoryStore(initial: Uint8Array): RoomStore & { log: Uint8Array[] } {
  const store = {
    log: [] as Uint8Array[],
    async load() {
      return { snapshot: initial, updates: [...store.log], lastSeq: store.log.length }
    },
    async appendMany(updates: Uint8Array[]) {
      return updates.map((update) => store.log.push(update))
    },
    async compact() {},
  }
  return store
}

function memoryQuarantine(): QuarantineStore & { entries: QuarantineEntry[] } {
  const entries: QuarantineEntry[] = []
  return { entries, save: async (more) => entries.push(...more), count: async () => entries.length }
}

/** A board room as server/boards.ts opens one (write rules, then validation), fed from `server`'s state. */
async function openRoom(server: Y.Doc, quarantine = memoryQuarantine()) {
  const store = memoryStore(Y.encodeStateAsUpdate(server))
  const room = new Room('board', {
    store,
    log,
    compactEvery: 1000,
    onEmpty: () => {},
    extensions: (r) => [boardWriteRules(() => false), new Validation(r, { log, quarantine })],
  })
  await room.ready()
  const sender = fakeConn(1, 'participant')
  const facilitator = fakeConn(2, 'facilitator')
  const other = fakeConn(3, 'participant')
  for (const conn of [sender, facilitator, other]) room.join(conn)
  await room.run(() => {})
  const send = async (conn: Connection, update: Uint8Array) => {
    room.receive(conn, encodeUpdate(update))
    await room.run(() => {})
  }
  return { room, store, quarantine, sender, facilitator, other, send }
}

const read = (doc: Y.Doc, id: string) => {
  const entries = recordsOf(doc).get(id)
  return entries instanceof Y.Array ? readRecord(entries) : undefined
}

describe('Validation in a room', () => {
  it('a valid card is accepted, stored and sent to the others', async () => {
    const { server, change } = boardPair()
    const { room, store, sender, other, send } = await openRoom(server)
    await send(sender, change((d) => writeRecord(recordsOf(d), cardRecord(2))))
    expect(store.log).toHaveLength(1)
    expect(read(room.doc, 'shape:card-2')).toEqual(cardRecord(2))
    expect(sender.seen().snurra).toEqual([])
    expect(other.seen().updates).toBe(1)
  })

  const arrowBinding = (over: Partial<JsonRecord>): JsonRecord => ({ ...fixtureBinding(), id: 'binding:b1', fromId: 'shape:card-1', ...over })

  // [what, the ids refused, the change (made on a client in sync), who sends it]
  const HOSTILE: Array<[string, string[], (d: Y.Doc) => void, 'participant' | 'facilitator']> = [
    ['a non-string title', ['shape:card-2'], (d) => writeRecord(recordsOf(d), cardRecord(2, { props: { title: 42 } })), 'participant'],
    ['a field that is an object where a string belongs', ['shape:card-2'], (d) => writeRecord(recordsOf(d), cardRecord(2, { props: { description: { f: '=HYPERLINK("http://x")' } } })), 'participant'],
    ['an invalid index', ['shape:card-2'], (d) => writeRecord(recordsOf(d), cardRecord(2, { index: 'a10' })), 'participant'],
    ['an empty index', ['shape:card-2'], (d) => writeRecord(recordsOf(d), cardRecord(2, { index: '' })), 'participant'],
    ['a card that is its own parent', ['shape:card-2'], (d) => writeRecord(recordsOf(d), cardRecord(2, { parentId: 'shape:card-2' })), 'participant'],
    [
      'two cards parented to each other',
      ['shape:card-2', 'shape:card-3'],
      (d) => {
        writeRecord(recordsOf(d), cardRecord(2, { parentId: 'shape:card-3' }))
        writeRecord(recordsOf(d), cardRecord(3, { parentId: 'shape:card-2' }))
      },
      'participant',
    ],
    ['an existing card parented to a missing shape', ['shape:card-1'], (d) => writeRecord(recordsOf(d), cardRecord(1, { parentId: 'shape:nowhere' })), 'participant'],
    ['a binding to a missing shape', ['binding:b1'], (d) => writeRecord(recordsOf(d), arrowBinding({ toId: 'shape:missing' })), 'participant'],
    ['a second page', ['page:two'], (d) => writeRecord(recordsOf(d), { id: 'page:two', typeName: 'page', name: 'Tom', index: 'a2', meta: {} }), 'facilitator'],
    ['a record of a type a board does not hold', ['instance:x'], (d) => writeRecord(recordsOf(d), { id: 'instance:x', typeName: 'instance' }), 'facilitator'],
    ['a record stored under another id', ['shape:card-9'], (d) => {
        writeRecord(recordsOf(d), { ...cardRecord(2), id: 'shape:card-9' })
        recordsOf(d).get('shape:card-9')!.push([['id', 'shape:card-2']])
      },
      'participant',
    ],
    ['a deleted shape that a binding still ends at', ['shape:card-5'], (d) => recordsOf(d).delete('shape:card-5'), 'participant'],
  ]

  for (const [what, ids, make, role] of HOSTILE) {
    it(`refuses ${what}`, async () => {
      const { server, change } = boardPair()
      if (what.startsWith('a deleted shape')) withBinding(server)
      const { room, store, sender, facilitator, other, send } = await openRoom(server)
      const client = new Y.Doc()
      Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc))
      const from = role === 'participant' ? sender : facilitator
      const before = Y.encodeStateAsUpdate(room.doc)
      await send(from, change(make, client))
      expect(from.seen().snurra).toEqual([{ t: 'rejected', reason: 'invalid', records: ids }])
      expect(store.log).toHaveLength(0)
      expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before)
      for (const conn of [sender, facilitator, other].filter((c) => c !== from)) expect(conn.seen()).toEqual({ snurra: [], updates: 0 })
    })
  }

  /** Card 5, and a binding from card 1 to it (both valid, so they survive the load-time check). */
  function withBinding(server: Y.Doc): void {
    server.transact(() => {
      writeRecord(recordsOf(server), cardRecord(5))
      writeRecord(recordsOf(server), { ...fixtureBinding(), id: 'binding:b1', fromId: 'shape:card-1', toId: 'shape:card-5' })
    })
  }

  it('refuses garbage in meta.schema, sent by the facilitator (the write rules stop a participant first)', async () => {
    const { server, change } = boardPair()
    const { store, sender, facilitator, other, send } = await openRoom(server)
    await send(facilitator, change((d) => metaOf(d).set('schema', 'garbage')))
    expect(facilitator.seen().snurra).toEqual([{ t: 'rejected', reason: 'invalid' }])
    const again = boardPair()
    const second = await openRoom(again.server)
    await second.send(second.sender, again.change((d) => metaOf(d).set('schema', { schemaVersion: 999 })))
    expect(second.sender.seen().snurra).toEqual([{ t: 'rejected', reason: 'facilitator-only' }])
    expect(store.log).toHaveLength(0)
    expect(other.seen().updates + sender.seen().updates).toBe(0)
  })

  it('refuses a record with a __proto__ key', async () => {
    const { server, change } = boardPair()
    const { store, sender, other, send } = await openRoom(server)
    await send(sender, change((d) => recordsOf(d).get('shape:card-1')!.push([['meta.__proto__.polluted', true]])))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const [refusal, ...more] = sender.seen().snurra
    expect(more).toEqual([])
    // Naming the record is better, but a refusal of the whole update will do.
    expect(refusal).toEqual(refusal && 'records' in refusal ? { t: 'rejected', reason: 'invalid', records: ['shape:card-1'] } : { t: 'rejected', reason: 'invalid' })
    expect(store.log).toHaveLength(0)
    expect(other.seen().updates).toBe(0)
  })

  it('refuses a value whose object names __proto__ (decoded as a prototype)', async () => {
    const { server, change } = boardPair()
    const { store, sender, send } = await openRoom(server)
    await send(sender, change((d) => recordsOf(d).get('shape:card-1')!.push([['props.tasks', JSON.parse('{"__proto__": {"x": true}}')]])))
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    expect(sender.seen().snurra).toEqual([{ t: 'rejected', reason: 'invalid', records: ['shape:card-1'] }])
    expect(store.log).toHaveLength(0)
  })
})

describe('checkLoadedBoard: a board stored before validation', () => {
  /** A board as a pre-validation server would have stored it: hostile records written raw. */
  function poisoned(): Y.Doc {
    const { server } = boardPair()
    server.transact(() => {
      const records = recordsOf(server)
      writeRecord(records, cardRecord('ok'))
      writeRecord(records, cardRecord('loop-a', { parentId: 'shape:card-loop-b' }))
      writeRecord(records, cardRecord('loop-b', { parentId: 'shape:card-loop-a' }))
      writeRecord(records, cardRecord('child', { parentId: 'shape:card-loop-a' }))
      writeRecord(records, cardRecord('bad-title', { props: { title: 42 } }))
      writeRecord(records, cardRecord('bad-index', { index: 'a10' }))
      writeRecord(records, { id: 'page:two', typeName: 'page', name: 'Tom', index: 'a2', meta: {} })
      writeRecord(records, { ...fixtureBinding(), id: 'binding:dangling', fromId: 'shape:card-ok', toId: 'shape:missing' })
      // A valid card with a pair that would reach Object.prototype if rebuilt naively.
      writeRecord(records, cardRecord('proto'))
      records.get('shape:card-proto')!.push([['__proto__.polluted', true], ['meta.__proto__.polluted', true]])
      metaOf(server).set('schema', 'garbage')
    })
    return server
  }

  it('quarantines what fails, keeps valid cards, moves cards under a loop to the page, sets our schema', () => {
    const doc = poisoned()
    const check = checkLoadedBoard(doc, 1234)
    const held = new Map(check.quarantined.map((q) => [q.id, q]))
    for (const id of ['shape:card-bad-title', 'shape:card-bad-index', 'page:two', 'binding:dangling', 'shape:card-loop-a', 'shape:card-loop-b', 'shape:card-child']) {
      expect(held.has(id), id).toBe(true)
    }
    expect(held.has('shape:card-ok')).toBe(false)
    expect(held.get('shape:card-bad-title')).toMatchObject({ kind: 'record', at: 1234, value: cardRecord('bad-title', { props: { title: 42 } }) })
    expect(held.get('schema')).toMatchObject({ kind: 'meta', value: 'garbage' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()

    doc.transact(() => check.repair())
    const ids = new Set(readAllRecords(doc).map((r) => r.id))
    for (const id of ['shape:card-bad-title', 'shape:card-bad-index', 'page:two', 'binding:dangling']) expect(ids.has(id), id).toBe(false)
    expect(read(doc, 'shape:card-ok')).toEqual(cardRecord('ok'))
    // The prototype pairs are never rebuilt: the card reads back as the valid card it is.
    expect(read(doc, 'shape:card-proto')).toEqual(cardRecord('proto'))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    for (const id of ['shape:card-child', 'shape:card-loop-a', 'shape:card-loop-b']) expect(read(doc, id)?.parentId, id).toBe(PAGE_ID)
    expect(metaOf(doc).get('schema')).toEqual(snurraSerializedSchema())
    for (const record of readAllRecords(doc)) expect(validateRecord(record).ok, record.id).toBe(true)
    // Checked again, the repaired board is clean.
    expect(checkLoadedBoard(doc).quarantined).toEqual([])
  })

  it('a room loading such a board quarantines, repairs by a stored server write, and tells the facilitator', async () => {
    const doc = poisoned()
    const { room, store, quarantine, facilitator, sender } = await openRoom(doc)
    expect(quarantine.entries.length).toBeGreaterThanOrEqual(8)
    expect(store.log).toHaveLength(1) // the repair
    expect(read(room.doc, 'shape:card-bad-title')).toBeUndefined()
    expect(read(room.doc, 'shape:card-ok')).toEqual(cardRecord('ok'))
    expect(facilitator.seen().snurra).toContainEqual({ t: 'quarantined', count: quarantine.entries.length })
    expect(sender.seen().snurra.filter((m) => m.t === 'quarantined')).toEqual([])
  })
})

describe('the write pipeline’s caps and gaps, in a room', () => {
  it('too many structs, too many splitting deletions: too-large; a gap: unknown-target; nothing stored or sent', async () => {
    const { server, change } = boardPair()
    // A valid card with 3,000 meta keys: one array item of that many pairs.
    const wide = cardRecord('wide', { meta: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])) })
    server.transact(() => writeRecord(recordsOf(server), wide))
    const { store, sender, other, send, room } = await openRoom(server)
    // 5,001 items, each its own struct (inserted at the front, so none merges with its neighbour).
    const many = change((d) => {
      const entries = recordsOf(d).get('shape:card-1')!
      for (let i = 0; i < UPDATE_LIMITS.structs + 1; i++) entries.insert(0, [[`meta.m${i}`, i]])
    })
    expect(Y.decodeUpdate(many).structs.length).toBeGreaterThan(UPDATE_LIMITS.structs)
    await send(sender, many)
    const entries = recordsOf(room.doc).get('shape:card-wide')!
    const { client, clock: first } = entries._start!.id
    const clock = first + entries.toArray().findIndex(([key]) => key === 'meta.k0') // only meta pairs are cut out
    const splitting = rawUpdate([], [{ client, ranges: Array.from({ length: UPDATE_LIMITS.splits }, (_, i) => [clock + 1 + 2 * i, 1] as [number, number]) }])
    await send(sender, splitting)
    await send(sender, deleteOnlyUpdate(client, Y.getState(room.doc.store, client), 10))
    expect(sender.seen().snurra).toEqual([
      { t: 'rejected', reason: 'too-large' },
      { t: 'rejected', reason: 'too-large' },
      { t: 'rejected', reason: 'unknown-target' },
    ])
    expect(store.log).toHaveLength(0)
    expect(other.seen().updates).toBe(0)
    // Under the split cap, the same kind of update is judged on its merits (here: meta keys removed, valid).
    const under = rawUpdate([], [{ client, ranges: Array.from({ length: UPDATE_LIMITS.splits / 2 }, (_, i) => [clock + 1 + 2 * i, 1] as [number, number]) }])
    await send(sender, under)
    expect(sender.seen().snurra).toHaveLength(3)
    expect(store.log).toHaveLength(1)
    expect(other.seen().updates).toBe(1)
  })
})
