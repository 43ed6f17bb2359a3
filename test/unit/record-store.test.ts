import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  flattenRecord,
  readAllRecords,
  readEntries,
  readRecord,
  recordsOf,
  unflattenRecord,
  writeRecord,
  type JsonRecord,
  type RecordEntries,
} from '../../core/record-store.ts'

const card = (over: Partial<JsonRecord> = {}): JsonRecord => ({
  id: 'shape:card1',
  typeName: 'shape',
  type: 'snurra-card',
  parentId: 'page:page',
  index: 'a1',
  x: 10,
  y: 20,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: { sector: 'bildning', tasks: ['a', 'b'], nested: { deep: [1, { two: 2 }] } },
  props: { w: 240, h: 150, title: 'Läxhjälp', description: 'Rad ett\nRad två', tags: [], extra: null },
  ...over,
})

function entriesOf(doc: Y.Doc, id: string): RecordEntries {
  return recordsOf(doc).get(id) as RecordEntries
}

function write(doc: Y.Doc, record: JsonRecord): boolean {
  let changed = false
  doc.transact(() => (changed = writeRecord(recordsOf(doc), record)))
  return changed
}

/** Two peers that exchange updates only when told to. */
function peers() {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
  }
  return { a, b, sync }
}

describe('record store', () => {
  it('round trip of a tldraw record, including nested props and meta', () => {
    const doc = new Y.Doc()
    const record = card()
    expect(write(doc, record)).toBe(true)
    expect(readRecord(entriesOf(doc, record.id))).toEqual(record)
    expect(readAllRecords(doc)).toEqual([record])
    // And through an encoded update into another document.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    expect(readRecord(entriesOf(other, record.id))).toEqual(record)
  })

  it('empty props and meta survive the round trip', () => {
    const doc = new Y.Doc()
    const record: JsonRecord = { id: 'page:p', typeName: 'page', name: 'Sida', index: 'a1', meta: {} }
    write(doc, record)
    expect(readRecord(entriesOf(doc, record.id))).toEqual(record)
    const flat = flattenRecord({ id: 'x', typeName: 't', props: {}, meta: { a: 1 } })
    expect(unflattenRecord(flat)).toEqual({ id: 'x', typeName: 't', props: {}, meta: { a: 1 } })
  })

  it('deeply nested objects and arrays of objects (tldraw richText) round-trip', () => {
    const doc = new Y.Doc()
    const record = card({
      meta: { l1: { l2: { l3: { l4: { l5: 'deep' } } } }, list: [{ a: 1 }, { b: [2, 3] }] },
      props: { w: 1, h: 1, richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hej' }] }] } },
    })
    write(doc, record)
    expect(readRecord(entriesOf(doc, record.id))).toEqual(record)
  })

  it('object keys that contain a dot round-trip (meta is arbitrary JSON)', () => {
    const doc = new Y.Doc()
    const record = card({ meta: { 'v1.2': true, 'a.b': { c: 1 } } })
    write(doc, record)
    expect(readRecord(entriesOf(doc, record.id))).toEqual(record)
  })

  it('writes only the keys that changed', () => {
    const doc = new Y.Doc()
    write(doc, card())
    const before = entriesOf(doc, 'shape:card1').toArray().map(([k]) => k)
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    // What the last transaction inserted into and deleted from the record's pairs.
    let inserted: string[] = []
    let deleted = 0
    entriesOf(doc, 'shape:card1').observe((e) => {
      inserted = e.changes.delta.flatMap((d) => ((d.insert as [string, unknown][] | undefined) ?? []).map(([k]) => k))
      deleted = e.changes.deleted.size
    })

    // Same record: nothing written, no update at all.
    expect(write(doc, card())).toBe(false)
    expect(updates).toHaveLength(0)

    // Move: exactly x and y are rewritten.
    expect(write(doc, card({ x: 11, y: 21 }))).toBe(true)
    expect(updates).toHaveLength(1)
    expect(inserted.sort()).toEqual(['x', 'y'])
    expect(deleted).toBe(2)

    // A change inside props rewrites only that nested key.
    write(doc, card({ x: 11, y: 21, props: { ...(card().props as object), title: 'Ny titel' } }))
    expect(inserted).toEqual(['props.title'])
    expect(deleted).toBe(1)

    // A removed key is removed.
    const { opacity: _omit, ...withoutOpacity } = card({ x: 11, y: 21, props: { ...(card().props as object), title: 'Ny titel' } })
    write(doc, withoutOpacity as JsonRecord)
    expect(readRecord(entriesOf(doc, 'shape:card1'))).not.toHaveProperty('opacity')
    expect(readEntries(entriesOf(doc, 'shape:card1')).size).toBe(before.length - 1)
    // No duplicate pairs are left behind.
    const keys = entriesOf(doc, 'shape:card1').toArray().map(([k]) => k)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('equal arrays and objects count as unchanged (deep compare)', () => {
    const doc = new Y.Doc()
    write(doc, card())
    expect(write(doc, JSON.parse(JSON.stringify(card())) as JsonRecord)).toBe(false)
    expect(write(doc, card({ meta: { sector: 'bildning', tasks: ['a', 'c'], nested: { deep: [1, { two: 2 }] } } }))).toBe(true)
  })

  it('concurrent edits of different properties of one record both survive', () => {
    const { a, b, sync } = peers()
    write(a, card())
    sync()
    write(a, { ...card(), x: 500 })
    write(b, { ...card(), props: { ...(card().props as object), title: 'Från B' } })
    write(b, { ...card(), props: { ...(card().props as object), title: 'Från B' }, meta: { ...(card().meta as object), sector: 'sociala' } })
    sync()
    for (const doc of [a, b]) {
      const r = readRecord(entriesOf(doc, 'shape:card1'))
      expect(r).toMatchObject({ x: 500, props: { title: 'Från B' }, meta: { sector: 'sociala' } })
      expect(r.y).toBe(20)
    }
  })

  it('concurrent edits of the same key converge identically on both peers (in any delivery order)', () => {
    for (let round = 0; round < 20; round++) {
      const { a, b, sync } = peers()
      write(a, card())
      sync()
      write(a, card({ x: 1000 + round }))
      write(b, card({ x: 2000 + round }))
      // Deliver in the opposite order on a third peer to check order-independence.
      const c = new Y.Doc()
      Y.applyUpdate(c, Y.encodeStateAsUpdate(b))
      Y.applyUpdate(c, Y.encodeStateAsUpdate(a))
      sync()
      const ra = readRecord(entriesOf(a, 'shape:card1'))
      const rb = readRecord(entriesOf(b, 'shape:card1'))
      const rc = readRecord(entriesOf(c, 'shape:card1'))
      expect(ra).toEqual(rb)
      expect(rc).toEqual(ra)
      expect([1000 + round, 2000 + round]).toContain(ra.x)
      // Exactly one pair per key remains visible as the winner; the record is not corrupted.
      expect(ra).toEqual(card({ x: ra.x }))
    }
  })

  it('a card dragged 10,000 times keeps the document small (vs a naive Y.Map per record)', () => {
    const MOVES = 10_000
    const doc = new Y.Doc()
    write(doc, card())
    const start = Y.encodeStateAsUpdate(doc).length
    for (let i = 1; i <= MOVES; i++) write(doc, card({ x: 10 + i, y: 20 + i * 2 }))
    const size = Y.encodeStateAsUpdate(doc).length
    expect(readRecord(entriesOf(doc, 'shape:card1'))).toMatchObject({ x: 10 + MOVES, y: 20 + MOVES * 2 })

    // The naive layout: one Y.Map per record, x and y set in one transaction per drag step.
    const naive = new Y.Doc()
    const records = naive.getMap<Y.Map<unknown>>('records')
    naive.transact(() => {
      const m = new Y.Map<unknown>()
      for (const [k, v] of Object.entries(card())) m.set(k, v)
      records.set('shape:card1', m)
    })
    for (let i = 1; i <= MOVES; i++) {
      naive.transact(() => {
        const m = records.get('shape:card1')!
        m.set('x', 10 + i)
        m.set('y', 20 + i * 2)
      })
    }
    const naiveSize = Y.encodeStateAsUpdate(naive).length
    console.log(`after ${MOVES} moves: record store ${size} bytes (from ${start}), naive Y.Map per record ${naiveSize} bytes`)
    expect(size - start).toBeLessThan(2048)
    expect(size).toBeLessThan(4096)
    expect(naiveSize).toBeGreaterThan(100 * 1024)
  })

  it('growth stays bounded when the drags come from a remote peer too', () => {
    const { a, b, sync } = peers()
    write(a, card())
    sync()
    for (let i = 0; i < 2000; i++) {
      write(i % 2 ? a : b, card({ x: i, y: i }))
      if (i % 50 === 0) sync()
    }
    sync()
    expect(readRecord(entriesOf(a, 'shape:card1'))).toEqual(readRecord(entriesOf(b, 'shape:card1')))
    expect(Y.encodeStateAsUpdate(a).length).toBeLessThan(20 * 1024)
  })

  it('readAllRecords skips entries whose id does not match their key or that lack a typeName', () => {
    const doc = new Y.Doc()
    write(doc, card())
    doc.transact(() => {
      const bad = new Y.Array<[string, unknown]>()
      bad.push([['id', 'shape:other']])
      recordsOf(doc).set('shape:mismatch', bad)
    })
    expect(readAllRecords(doc).map((r) => r.id)).toEqual(['shape:card1'])
  })
})

describe('no stored pair reaches a prototype', () => {
  // So that one failure here does not spread to every later test in the worker.
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted
  })
  const hostile: Array<[string, unknown]> = [
    ['__proto__.polluted', 1],
    ['__proto__', { polluted: 1 }],
    ['meta.__proto__', { polluted: 1 }],
    ['meta.__proto__.polluted', 1],
    ['constructor.prototype.polluted', 1],
    ['props.constructor.prototype.polluted', 1],
    ['prototype.polluted', 1],
    ['toString.polluted', 1],
  ]

  it('unflattenRecord skips prototype keys and keeps the rest', () => {
    const flat = new Map<string, unknown>([['id', 'shape:x'], ['typeName', 'shape'], ['meta', {}], ['meta.ok', 1], ...hostile])
    const record = unflattenRecord(flat)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(record.meta)).toBe(Object.prototype)
    // An own property named like a prototype method is just a property.
    expect(record).toEqual({ id: 'shape:x', typeName: 'shape', meta: { ok: 1 }, toString: { polluted: 1 } })
  })

  it('the same pairs stored in a document and read back', () => {
    const doc = new Y.Doc()
    const entries = new Y.Array<[string, unknown]>()
    // Without a `__proto__` pair first (which would swap the record's own prototype instead).
    entries.push([['id', 'shape:x'], ['typeName', 'shape'], ['__proto__.polluted', 1], ['meta.constructor.prototype.polluted', 1]])
    recordsOf(doc).set('shape:x', entries)
    const [record] = readAllRecords(doc)
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(record.id).toBe('shape:x')
  })

  it('a value whose prototype a decoder set is dropped, not followed', () => {
    const crafted = Object.setPrototypeOf({}, { template: true })
    const record = unflattenRecord(new Map<string, unknown>([['id', 'shape:x'], ['meta', crafted]]))
    expect(record).toEqual({ id: 'shape:x' })
  })

  it('flattenRecord leaves prototype keys out', () => {
    const flat = flattenRecord(JSON.parse('{"id": "shape:x", "__proto__": {"polluted": 1}, "meta": {"constructor": {"prototype": {"polluted": 1}}, "ok": 1}}'))
    expect([...flat.keys()]).toEqual(['id', 'meta', 'meta.ok'])
  })
})
