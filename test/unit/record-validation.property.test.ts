/**
 * Property-based checks of core/record-validation.ts with fast-check: random values and
 * mutations of real records never make the validator throw or pollute Object.prototype, and
 * whatever it accepts passes tldraw's schema, also after a round trip through the record store.
 * Random change sets applied to a board keep its links sound. Seeded: the seed is printed;
 * replay a run with VALIDATOR_SEED=<seed>.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Store } from '@tldraw/store'
import fc from 'fast-check'
import * as Y from 'yjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { seedBoard } from '../../core/board-doc.ts'
import { appendPaths } from '../../core/paths.ts'
import { flattenRecord, readAllRecords, recordsOf, unflattenRecord, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { judgeStoredRecords, RecordLinks, validateRecord } from '../../core/record-validation.ts'
import { createSnurraSchema } from '../../core/shapes.ts'
import { validateTemplate } from '../../core/template.ts'
import { cardRecord } from '../helpers/records.ts'

const SEED = process.env.VALIDATOR_SEED ? Number(process.env.VALIDATOR_SEED) | 0 : (Math.random() * 2 ** 31) | 0
const params = (numRuns: number) => ({ seed: SEED, numRuns })

const schema = createSnurraSchema()
const store = new Store({ schema, props: {} } as never)
const tldrawAccepts = (record: unknown) => schema.validateRecord(store as never, record as never, 'initialize', null)

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()
const assertPrototypeClean = () => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames)
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
}

function validRecords(): JsonRecord[] {
  const fixture: JsonRecord[] = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'client-records.json'), 'utf8'))
  const template = validateTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'hallunda-norsborg.json'), 'utf8')), 'h')
  const doc = new Y.Doc()
  seedBoard(doc, template, 'Workshop')
  appendPaths(doc, ['En väg', 'En till'])
  const card = { ...cardRecord(1), props: { ...(cardRecord(1).props as object), tasks: { uppvaxtvillkor: true }, paths: { abc: true } } }
  return [...fixture, ...readAllRecords(doc), card]
}

const FORBIDDEN = ['__proto__', 'constructor', 'prototype']
/** An object with `key`, made so that even `__proto__` is an own property (as JSON.parse does). */
const withKey = (key: string, value: unknown): Record<string, unknown> => {
  const obj: Record<string, unknown> = {}
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  return obj
}

const key = fc.oneof(fc.constantFrom(...FORBIDDEN, 'x', 'title', 'props', 'meta', 'index', 'parentId', 'type', 'a.b', 'a%2E'), fc.string({ maxLength: 8 }))
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(NaN, Infinity, -Infinity, undefined, null, '', 'zzz', 'a10', 'page:page', 'shape:gone', 1e308, -0),
  fc.string({ maxLength: 3000 }),
  fc.tuple(key, fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => withKey(k, v)),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}}')),
  fc.constant(Object.setPrototypeOf({}, { polluted: true })),
  fc.integer({ min: 30, max: 60 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth))),
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withObjectString: true }),
)

type Mutation = { path: string[]; op: 'set' | 'delete'; value: unknown }
const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(key, { minLength: 1, maxLength: 4 }),
  op: fc.constantFrom('set', 'set', 'delete'),
  value: hostileValue,
})

/** Applies a mutation to a deep copy, following existing keys where it can (so most land inside the record). */
function mutate(record: JsonRecord, m: Mutation, pick: number): unknown {
  const copy = structuredClone(record) as Record<string, unknown>
  let target = copy
  const path = m.path.slice()
  for (let i = 0; i < path.length - 1; i++) {
    const keys = Object.keys(target)
    const step = keys.length && (pick >> i) % 3 !== 0 ? keys[(pick + i) % keys.length] : path[i]
    const next = Object.hasOwn(target, step) ? target[step] : undefined
    if (!Array.isArray(next) && Object.prototype.toString.call(next) !== '[object Object]') break
    target = next as Record<string, unknown>
  }
  const keys = Object.keys(target)
  const last = keys.length && pick % 2 === 0 ? keys[pick % keys.length] : path[path.length - 1]
  if (Object.isFrozen(target)) return copy
  if (m.op === 'delete') delete target[last]
  else Object.defineProperty(target, last, { value: m.value, enumerable: true, writable: true, configurable: true })
  return copy
}

/** The verdict, and when accepted, that tldraw's schema agrees before and after the record store. */
function check(value: unknown): void {
  let verdict: ReturnType<typeof validateRecord> | undefined
  expect(() => (verdict = validateRecord(value))).not.toThrow()
  assertPrototypeClean()
  if (!verdict!.ok) return
  expect(specProblems(verdict!.ok && verdict!.record)).toEqual([])
  expect(() => tldrawAccepts(verdict!.ok && verdict!.record)).not.toThrow()
  const doc = new Y.Doc()
  doc.transact(() => writeRecord(recordsOf(doc), verdict!.ok ? verdict!.record : (null as never)))
  const [roundTrip] = readAllRecords(doc)
  expect(validateRecord(roundTrip).ok).toBe(true)
  expect(() => tldrawAccepts(roundTrip)).not.toThrow()
}

describe(`record validation, property-based (seed ${SEED})`, () => {
  let valid: JsonRecord[]
  beforeAll(() => {
    console.log(`validator seed ${SEED} (replay with VALIDATOR_SEED=${SEED})`)
    valid = validRecords()
  })
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted
  })

  it('mutations of valid records: never throws, never pollutes, accepted ones pass tldraw', () => {
    let accepted = 0
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(), (which, mutations, pick) => {
        let value: unknown = valid[which % valid.length]
        for (const m of mutations) value = mutate(value as JsonRecord, m, pick)
        check(value)
        if (validateRecord(value).ok) accepted++
      }),
      params(800),
    )
    // Some mutations are harmless (a new x, an empty meta key): the accepted branch was exercised.
    expect(accepted).toBeGreaterThan(0)
  })

  it('cards with random field lengths and id sets: accepted exactly when within the limits', () => {
    const text = fc.oneof(fc.string({ maxLength: 10 }), fc.integer({ min: 190, max: 2010 }).map((n) => 'å'.repeat(n)))
    const ids = fc.dictionary(fc.string({ minLength: 0, maxLength: 70 }), fc.constant(true as const), { maxKeys: 5 })
    fc.assert(
      fc.property(fc.record({ title: text, description: text, sector: text, responsible: text, partners: text, tasks: ids, paths: ids }), (fields) => {
        const card = { ...cardRecord(1), index: 'a1', props: { ...(cardRecord(1).props as object), ...fields } }
        const verdict = validateRecord(card)
        expect(verdict.ok).toBe(specProblems(card).length === 0 && Object.keys({ ...fields.tasks, ...fields.paths }).every((id) => id.length > 0))
        check(card)
      }),
      params(300),
    )
  })

  it('random values: never throws, never pollutes, accepted ones pass tldraw', () => {
    fc.assert(
      fc.property(hostileValue, fc.constantFrom('shape', 'page', 'binding', 'asset', 'document', 'camera', 'user'), (value, typeName) => {
        check(value)
        const shaped = typeof value === 'object' && value !== null ? { ...value, id: `${typeName}:x`, typeName } : value
        check(shaped)
      }),
      params(1000),
    )
  })

  it('random flat pairs never reach a prototype when rebuilt', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.array(key, { minLength: 1, maxLength: 4 }), hostileValue), { maxLength: 12 }), (pairs) => {
        const flat = new Map(pairs.map(([parts, value]) => [parts.join('.'), value]))
        const record = unflattenRecord(flat)
        flattenRecord(record)
        assertPrototypeClean()
        expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
      }),
      params(1000),
    )
  })

  it('change sets accepted one after another keep every parent and binding sound', () => {
    const ids = ['shape:a', 'shape:b', 'shape:c', 'shape:d', 'shape:e']
    const shape = (id: string, parentId: string): JsonRecord => ({ ...cardRecord(id), id, parentId, index: 'a1' })
    const binding = (id: string, fromId: string, toId: string): JsonRecord => ({ id, typeName: 'binding', type: 'arrow', fromId, toId, meta: {}, props: {} })
    const change = fc.oneof(
      fc.tuple(fc.constantFrom(...ids), fc.constantFrom('page:page', 'page:gone', ...ids)).map(([id, parent]) => [id, shape(id, parent)] as const),
      fc.tuple(fc.constantFrom('binding:1', 'binding:2'), fc.constantFrom(...ids), fc.constantFrom(...ids, 'shape:gone')).map(([id, from, to]) => [id, binding(id, from, to)] as const),
      fc.constantFrom(...ids, 'binding:1', 'binding:2', 'page:page').map((id) => [id, null] as const),
    )
    fc.assert(
      fc.property(fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }), (steps) => {
        const board = new Map<string, JsonRecord>([['page:page', { id: 'page:page', typeName: 'page', name: '', index: 'a1', meta: {} }]])
        const links = new RecordLinks(board.values())
        for (const step of steps) {
          const changes = new Map<string, JsonRecord | null>(step)
          if (links.problems(changes).length > 0) continue
          links.commit(changes)
          for (const [id, record] of changes) record ? board.set(id, record) : board.delete(id)
          expect(boardProblems(board)).toEqual([])
        }
      }),
      params(400),
    )
  })
})

describe(`stored boards, property-based (seed ${SEED})`, () => {
  it('any stored mix of records loads as a sound board that keeps every valid shape', () => {
    const ids = ['shape:a', 'shape:b', 'shape:c', 'shape:d', 'shape:e', 'shape:f']
    const shape = (id: string, parentId: string): JsonRecord => ({ ...cardRecord(id), id, parentId, index: 'a1' })
    const arrowBinding = validRecords().find((r) => r.typeName === 'binding')!
    let servedBindings = 0
    const stored = fc.array(
      fc.oneof(
        fc.tuple(fc.constantFrom(...ids), fc.constantFrom('page:page', 'page:gone', 'binding:1', ...ids)).map(([id, parent]) => [id, shape(id, parent)] as const),
        fc.tuple(fc.constantFrom('binding:1', 'binding:2'), fc.constantFrom(...ids), fc.constantFrom(...ids)).map(([id, fromId, toId]) => [id, { ...arrowBinding, id, fromId, toId }] as const),
        fc.tuple(fc.constantFrom(...ids), hostileValue).map(([id, value]) => [id, value] as const),
        fc.constant(['page:page', { id: 'page:page', typeName: 'page', name: '', index: 'a1', meta: {} }] as const),
      ),
      { maxLength: 14 },
    )
    fc.assert(
      fc.property(stored, (pairs) => {
        // Storage holds one value per id: the last one written.
        const byId = new Map<string, unknown>(pairs)
        const verdict = judgeStoredRecords(byId, null)
        assertPrototypeClean()
        const served = new Map(verdict.records.map((r) => [r.id, r]))
        for (const record of verdict.records) expect(validateRecord(record).ok).toBe(true)
        servedBindings += verdict.records.filter((r) => r.typeName === 'binding').length
        expect(new RecordLinks([]).problems(served)).toEqual([])
        expect(boardProblems(served)).toEqual([])
        for (const [id, value] of byId) {
          const quarantined = verdict.quarantined.some((q) => q.id === id)
          expect(served.has(id) !== quarantined, id).toBe(true)
          // A shape valid on its own is served (perhaps moved to the page), never quarantined.
          if (id.startsWith('shape:') && validateRecord(value).ok) expect(served.has(id), id).toBe(true)
        }
      }),
      params(400),
    )
    expect(servedBindings).toBeGreaterThan(0)
  })
})

/** What an accepted record must be, restated independently of the validator's code. */
function specProblems(record: JsonRecord): string[] {
  const out: string[] = []
  const walk = (value: unknown, depth: number) => {
    if (depth > 32) out.push('too deep')
    if (typeof value === 'number' && !Number.isFinite(value)) out.push('non-finite number')
    if (typeof value !== 'object' || value === null) return
    const proto = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) out.push('not plain')
    for (const k of Object.getOwnPropertyNames(value)) {
      if (FORBIDDEN.includes(k)) out.push(`key ${k}`)
      if (k !== 'length' || !Array.isArray(value)) walk((value as Record<string, unknown>)[k], depth + 1)
    }
  }
  walk(record, 0)
  if (!['document', 'page', 'shape', 'binding', 'asset', 'user'].includes(record.typeName)) out.push('typeName')
  if (!record.id.startsWith(`${record.typeName}:`)) out.push('id prefix')
  if (record.typeName === 'page' && record.id !== 'page:page') out.push('second page')
  if (record.typeName === 'document' && record.id !== 'document:document') out.push('second document')
  if (record.type === 'snurra-card') {
    const props = record.props as Record<string, unknown>
    if ((props.title as string).length > 200) out.push('title')
    for (const f of ['description', 'sector', 'responsible', 'partners']) if ((props[f] as string).length > 2000) out.push(f)
    for (const f of ['tasks', 'paths']) if (Object.keys(props[f] as object).some((id) => id.length > 64)) out.push(f)
  }
  return out
}

/** The same invariants, checked the slow way over the whole board. */
function boardProblems(board: Map<string, JsonRecord>): string[] {
  const out: string[] = []
  if (!board.has('page:page')) out.push('page deleted')
  for (const record of board.values()) {
    if (record.typeName === 'shape') {
      const seen = new Set<string>()
      let at: JsonRecord | undefined = record
      while (at && at.typeName === 'shape' && !seen.has(at.id)) {
        seen.add(at.id)
        at = board.get(at.parentId as string)
      }
      if (!at || at.typeName !== 'page') out.push(`${record.id}: no path to the page`)
    }
    if (record.typeName === 'binding') {
      for (const end of [record.fromId, record.toId]) if (board.get(end as string)?.typeName !== 'shape') out.push(`${record.id}: dangling`)
    }
  }
  return out
}
