import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { seedBoard } from '../../core/board-doc.ts'
import { metaOf, pathsOf } from '../../core/board-meta.ts'
import { appendPaths } from '../../core/paths.ts'
import { readAllRecords, type JsonRecord } from '../../core/record-store.ts'
import { judgeRecordChanges, migrateRecord, RecordLinks, validateMetaEntry, validatePathEntry, validateRecord, snurraSerializedSchema } from '../../core/record-validation.ts'
import { createSnurraSchema } from '../../core/shapes.ts'
import { validateTemplate, type Template } from '../../core/template.ts'
import { cardRecord } from '../helpers/records.ts'

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates')
const template = (name: string): Template => validateTemplate(JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8')), name)

function seededRecords(name: string): JsonRecord[] {
  const doc = new Y.Doc()
  seedBoard(doc, template(name), 'Workshop', 1_700_000_000_000)
  if (template(name).layout === 'circle') {
    appendPaths(doc, ['Läxhjälp', 'Trygga stråk'])
    appendPaths(doc, ['Under en uppgift'], template(name).tasks[0].id)
  }
  return readAllRecords(doc)
}

const problemOf = (value: unknown) => {
  const verdict = validateRecord(value)
  return verdict.ok ? null : verdict.problem
}

/** What a real browser wrote (test/fixtures/README.md says how it was captured). */
const clientRecords = (): JsonRecord[] => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'client-records.json'), 'utf8'))
const captured = (type: string) => clientRecords().find((r) => r.type === type || r.typeName === type)!

const card = (over: Record<string, unknown> = {}, props: Record<string, unknown> = {}) => ({ ...cardRecord('x', { props }), index: 'a1', ...over })

describe('validateRecord accepts what Snurra writes', () => {
  for (const name of ['hallunda-norsborg', 'borlange-2022-2026', 'blank']) {
    it(`every record of a seeded ${name} board`, () => {
      const records = seededRecords(name)
      expect(records.length).toBeGreaterThanOrEqual(2)
      for (const record of records) expect(problemOf(record), record.id).toBeNull()
    })
  }

  it('every record a real browser wrote: tldraw shapes, bindings, an image asset, a card', () => {
    const records = clientRecords()
    const kinds = new Set(records.map((r) => (r.type ? `${r.typeName}/${r.type}` : r.typeName)))
    for (const kind of ['document', 'page', 'asset/image', 'binding/arrow', 'shape/arrow', 'shape/geo', 'shape/text', 'shape/note', 'shape/draw', 'shape/line', 'shape/frame', 'shape/highlight', 'shape/image', 'shape/snurra-card']) {
      expect(kinds, kind).toContain(kind)
    }
    for (const record of records) expect(problemOf(record), record.id).toBeNull()
    // And as a whole board: every parent and binding end is there.
    expect(new RecordLinks([]).problems(new Map(records.map((r) => [r.id, r])))).toEqual([])
  })

  it('a card as the test helpers and the client make it', () => {
    expect(problemOf(card())).toBeNull()
    expect(problemOf(card({}, { tasks: { uppvaxtvillkor: true }, paths: { abcdefghij: true }, year: 2026 }))).toBeNull()
  })
})

describe('validateRecord refuses', () => {
  const cases: Array<[string, unknown]> = [
    ['not an object', 'shape:x'],
    ['an array', [card()]],
    ['__proto__ in meta', { ...card(), meta: JSON.parse('{"__proto__": {"polluted": true}}') }],
    ['__proto__ deep in props', card({}, { tasks: JSON.parse('{"a": true, "__proto__": true}') })],
    ['constructor in meta', { ...card(), meta: { constructor: { prototype: { x: 1 } } } }],
    ['prototype at the top', { ...card(), prototype: 1 }],
    ['a record whose prototype is not Object', Object.setPrototypeOf(card(), { polluted: true })],
    ['a non-string title', card({}, { title: 42 })],
    ['an object title', card({}, { title: { formula: '=HYPERLINK("http://evil")' } })],
    ['an index of "zzz"', card({ index: 'zzz' })],
    ['an empty index', card({ index: '' })],
    ['a non-finite x', card({ x: Infinity })],
    ['NaN in meta', card({ meta: { n: NaN } })],
    ['a function', card({ meta: { f: () => 1 } })],
    ['an over-long title', card({}, { title: 'x'.repeat(201) })],
    ['an over-long description', card({}, { description: 'x'.repeat(2001) })],
    ['too many paths', card({}, { paths: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`p${i}`, true])) })],
    ['an over-long path id', card({}, { paths: { ['p'.repeat(65)]: true } })],
    ['an unknown typeName', { id: 'camera:x', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }],
    ['presence', { id: 'instance_presence:x', typeName: 'instance_presence' }],
    ['an id whose prefix is not the typeName', card({ id: 'binding:x' })],
    ['a second page', { id: 'page:other', typeName: 'page', name: 'Other', index: 'a2', meta: {} }],
    ['a second document', { id: 'document:other', typeName: 'document', gridSize: 10, name: '', meta: {} }],
    ['an unknown shape type', card({ type: 'evil' })],
    ['nesting deeper than the limit', card({ meta: JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) })],
  ]
  for (const [what, value] of cases) {
    it(what, () => {
      expect(problemOf(value)).toEqual(expect.any(String))
    })
  }

  it('never lets the client text into the problem', () => {
    expect(problemOf(card({}, { status: 'SECRET-TEXT' }))).not.toContain('SECRET-TEXT')
  })
})

describe('RecordLinks', () => {
  const page = { id: 'page:page', typeName: 'page', name: '', index: 'a1', meta: {} } as JsonRecord
  const shape = (id: string, parentId = 'page:page') => ({ ...cardRecord(id), id, parentId, index: 'a1' }) as JsonRecord
  const binding = (id: string, fromId: string, toId: string) => ({ id, typeName: 'binding', type: 'arrow', fromId, toId, meta: {}, props: {} }) as JsonRecord
  const board = () => new RecordLinks([page, shape('shape:a'), shape('shape:b'), shape('shape:child', 'shape:a'), binding('binding:1', 'shape:b', 'shape:a')])
  const one = (id: string, record: JsonRecord | null) => new Map([[id, record]])

  it('accepts a new card on the page, a reparent, and deleting a shape with its children and bindings', () => {
    const links = board()
    expect(links.problems(one('shape:c', shape('shape:c')))).toEqual([])
    expect(links.problems(one('shape:b', shape('shape:b', 'shape:a')))).toEqual([])
    expect(links.problems(new Map([['shape:a', null], ['shape:child', null], ['binding:1', null]]))).toEqual([])
  })

  it('refuses a self-parent, a two-card cycle and a dangling parent', () => {
    const links = board()
    expect(links.problems(one('shape:a', shape('shape:a', 'shape:a')))).toHaveLength(1)
    expect(links.problems(one('shape:a', shape('shape:a', 'shape:child')))).toHaveLength(1)
    expect(links.problems(one('shape:c', shape('shape:c', 'shape:gone')))).toHaveLength(1)
  })

  it('refuses a binding to a missing shape, and deleting what a child or binding still needs', () => {
    const links = board()
    expect(links.problems(one('binding:2', binding('binding:2', 'shape:a', 'shape:gone')))).toHaveLength(1)
    expect(links.problems(one('shape:a', null))).toHaveLength(1)
    expect(links.problems(new Map([['shape:a', null], ['shape:child', null]]))).toHaveLength(1) // the binding remains
    expect(links.problems(one('page:page', null))).toHaveLength(1)
  })

  it('on the captured board: a frame goes only with its child, a shape only with the arrow bindings at it', () => {
    const records = clientRecords()
    const links = new RecordLinks(records)
    const frame = captured('frame')
    const child = records.find((r) => r.parentId === frame.id)!
    const arrowBindings = records.filter((r) => r.typeName === 'binding')
    const target = arrowBindings[0].toId as string
    expect(links.problems(one(frame.id, null))).toHaveLength(1)
    expect(links.problems(new Map([[frame.id, null], [child.id, null]]))).toEqual([])
    expect(links.problems(one(target, null))).toHaveLength(1)
    expect(links.problems(new Map([[target, null], [arrowBindings[0].id, null]]))).toEqual([])
    // Moving the frame into its own child is a cycle.
    expect(links.problems(one(frame.id, { ...frame, parentId: child.id }))).toHaveLength(1)
  })

  it('judges without changing; commit applies', () => {
    const links = board()
    links.problems(one('shape:a', null))
    expect(links.has('shape:a')).toBe(true)
    links.commit(new Map([['shape:a', null], ['shape:child', null], ['binding:1', null]]))
    expect(links.has('shape:a')).toBe(false)
    expect(links.problems(one('shape:b', null))).toEqual([])
  })
})

describe('judgeRecordChanges', () => {
  it('each record on its own, then the links; accepted changes are ready to commit', () => {
    const records = clientRecords()
    const links = new RecordLinks(records)
    const frame = captured('frame')
    const newCard = { ...card({ id: 'shape:new' }), parentId: frame.id }
    const ok = judgeRecordChanges(links, [['shape:new', newCard], [captured('note').id, null]])
    expect(ok.problems).toEqual([])
    links.commit(ok.records)
    expect(links.has('shape:new')).toBe(true)
    expect(links.has(captured('note').id)).toBe(false)

    const bad = judgeRecordChanges(links, [['shape:bad', card({ id: 'shape:bad', index: 'zzz' })], ['shape:x', card({ id: 'shape:x', parentId: 'shape:x' })]])
    expect(bad.problems).toEqual([expect.stringMatching(/^shape:bad: .*index/)])
    // Links are judged once every record is valid on its own.
    expect(judgeRecordChanges(links, [['shape:x', card({ id: 'shape:x', parentId: 'shape:x' })]]).problems).toEqual([expect.stringMatching(/^shape:x: .*itself/)])
    expect(judgeRecordChanges(links, [['shape:y', card({ id: 'shape:z' })]]).problems).toEqual([expect.stringMatching(/^shape:y: .*id/)])
    expect(judgeRecordChanges(links, [[frame.id, undefined]]).problems).toHaveLength(1)
  })
})

describe('bounded cost', () => {
  it('a huge value is refused after at most the limit of reads, not walked whole', () => {
    let reads = 0
    const huge = new Proxy(new Array(1_000_000).fill(1), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++
        return Reflect.get(target, key, receiver)
      },
    })
    expect(problemOf(card({ meta: { huge } }))).toMatch(/more than 50000 values/)
    expect(reads).toBeLessThanOrEqual(50_000)
  })

  it('RecordLinks looks at the changed records and their parents, whatever the board size', () => {
    const page = { id: 'page:page', typeName: 'page', name: '', index: 'a1', meta: {} } as JsonRecord
    const shapes = (n: number) => Array.from({ length: n }, (_, i) => ({ ...cardRecord(i), parentId: 'page:page' }) as JsonRecord)
    // A chain of 10 frames-in-frames, and a change that moves a card to its bottom.
    const chain = Array.from({ length: 10 }, (_, i) => ({ ...cardRecord(`chain${i}`), parentId: i === 0 ? 'page:page' : `shape:card-chain${i - 1}` }) as JsonRecord)
    const move = new Map([['shape:card-0', { ...cardRecord(0), parentId: 'shape:card-chain9' } as JsonRecord]])
    const lookups = (links: RecordLinks) => {
      const get = Map.prototype.get
      const has = Map.prototype.has
      let n = 0
      Map.prototype.get = function (this: Map<unknown, unknown>, key: unknown) {
        n++
        return get.call(this, key)
      }
      Map.prototype.has = function (this: Map<unknown, unknown>, key: unknown) {
        n++
        return has.call(this, key)
      }
      try {
        expect(links.problems(move)).toEqual([])
        expect(links.problems(new Map([['shape:card-chain0', null]]))).toHaveLength(1)
      } finally {
        Map.prototype.get = get
        Map.prototype.has = has
      }
      return n
    }
    const small = lookups(new RecordLinks([page, ...chain, ...shapes(10)]))
    const large = lookups(new RecordLinks([page, ...chain, ...shapes(20_000)]))
    expect(large).toBe(small)
    expect(small).toBeLessThan(100)
  })
})

describe('migrateRecord', () => {
  it('brings a text shape of an older schema (plain text, before rich text) up to ours', () => {
    const current = snurraSerializedSchema() as { schemaVersion: number; sequences: Record<string, number> }
    const older = { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.text': 2 } }
    const { richText: _, ...props } = captured('text').props as Record<string, unknown>
    const old = { ...captured('text'), props: { ...props, text: 'Hej' } } as JsonRecord
    expect(problemOf(old)).not.toBeNull()
    const migrated = migrateRecord(old, older as never)
    expect(migrated.ok && problemOf(migrated.record)).toBeNull()
    expect(migrated.ok && JSON.stringify(migrated.record)).toContain('Hej')
    expect(migrateRecord(old, null)).toEqual({ ok: true, record: old })
  })

  it('refuses a newer or garbage schema without throwing', () => {
    const current = snurraSerializedSchema() as { schemaVersion: number; sequences: Record<string, number> }
    const record = captured('text')
    expect(migrateRecord(record, { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.text': 99 } } as never).ok).toBe(false)
    expect(migrateRecord(record, 'garbage' as never).ok).toBe(false)
    expect(migrateRecord(record, { schemaVersion: 999 } as never).ok).toBe(false)
  })
})

describe('validateMetaEntry and validatePathEntry', () => {
  it('accepts the meta a seeded board has', () => {
    const doc = new Y.Doc()
    seedBoard(doc, template('hallunda-norsborg'), 'Workshop')
    for (const [key, value] of metaOf(doc).entries()) expect(validateMetaEntry(key, value), key).toBeNull()
    expect(snurraSerializedSchema()).toEqual(createSnurraSchema().serialize())
  })

  it('refuses a garbage or future schema, an unknown key, a bad template, a long title', () => {
    expect(validateMetaEntry('schema', 'garbage')).not.toBeNull()
    expect(validateMetaEntry('schema', { ...snurraSerializedSchema(), schemaVersion: 999 })).not.toBeNull()
    expect(validateMetaEntry('evil', 1)).not.toBeNull()
    expect(validateMetaEntry('template', JSON.parse('{"__proto__": {"x": 1}}'))).not.toBeNull()
    expect(validateMetaEntry('template', { id: 'x' })).not.toBeNull()
    const tpl = template('hallunda-norsborg')
    expect(validateMetaEntry('template', tpl)).toBeNull()
    expect(validateMetaEntry('template', { ...tpl, tasks: [...tpl.tasks, { id: 'constructor', label: 'Ny', color: '#123456' }] })).not.toBeNull()
    expect(validateMetaEntry('title', 'x'.repeat(201))).not.toBeNull()
    expect(validateMetaEntry('createdAt', Infinity)).not.toBeNull()
    expect(validateMetaEntry('title', undefined)).not.toBeNull()
  })

  it('accepts the paths a board has, refuses bad ones', () => {
    const tpl = template('hallunda-norsborg')
    const doc = new Y.Doc()
    seedBoard(doc, tpl, 'Workshop')
    appendPaths(doc, ['En väg'])
    appendPaths(doc, ['Under en uppgift'], tpl.tasks[1].id)
    for (const [id, entry] of pathsOf(doc).entries()) expect(validatePathEntry(id, entry.toJSON(), tpl), id).toBeNull()
    expect(validatePathEntry('abc', { label: 'x', order: 1, taskId: 'not-a-task' }, tpl)).not.toBeNull()
    expect(validatePathEntry('abc', { label: 'x', order: NaN }, tpl)).not.toBeNull()
    expect(validatePathEntry('abc', { label: 'x'.repeat(201), order: 1 }, tpl)).not.toBeNull()
    expect(validatePathEntry('abc', { label: 'x', order: 1, extra: 1 }, tpl)).not.toBeNull()
    for (const id of ['__proto__', 'constructor', 'prototype', 'A', '']) expect(validatePathEntry(id, { label: 'x', order: 1 }, tpl), id).not.toBeNull()
    expect(validatePathEntry('abc', undefined, tpl)).toBeNull()
  })
})
