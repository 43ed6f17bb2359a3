/**
 * The hostile-update builders build what they say: each content attack really writes its
 * hostile record or value into a board (so a test that sees it refused is not passing on a
 * no-op), and each cost attack is one update of the advertised shape, as large as one frame allows.
 */
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { metaOf } from '../../core/board-meta.ts'
import { readEntries, recordsOf, type RecordEntries } from '../../core/record-store.ts'
import { seedBoard } from '../../core/board-doc.ts'
import { loadTemplates } from '../../server/templates.ts'
import { contentAttacks, costAttacks, harmlessOfSize, POLLUTION_KEY, validCard, changeOf } from '../helpers/hostile-updates.ts'
import { writeRecord } from '../../core/record-store.ts'
import { ROOT } from '../helpers/server.ts'
import { join } from 'node:path'

function board(): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, loadTemplates(join(ROOT, 'templates')).get('hallunda-norsborg')!, 'Enhetstest')
  Y.applyUpdate(doc, changeOf(doc, (d) => writeRecord(recordsOf(d), validCard('own'))))
  return doc
}

const applied = (doc: Y.Doc, update: Uint8Array) => {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  Y.applyUpdate(copy, update)
  return copy
}
// Flat pairs only: unflattening a hostile record would pollute this process.
const pairs = (doc: Y.Doc, id: string) => readEntries(recordsOf(doc).get(id) as RecordEntries)

describe('content attacks', () => {
  const doc = board()
  for (const attack of contentAttacks) {
    it(`${attack.name} changes the board as described`, () => {
      const after = applied(doc, attack.build(doc))
      for (const id of attack.records) expect(recordsOf(after).has(id), id).toBe(true)
      expect(Y.equalSnapshots(Y.snapshot(after), Y.snapshot(doc))).toBe(false)
    })
  }

  it('the prototype attacks carry the keys they are named for, and never pollute while being built', () => {
    expect(pairs(applied(doc, contentAttacks.find((a) => a.name === 'proto-key')!.build(doc)), 'shape:hostile-proto').get(`__proto__.${POLLUTION_KEY}`)).toBe('record')
    expect(pairs(applied(doc, contentAttacks.find((a) => a.name === 'meta-proto')!.build(doc)), 'shape:hostile-meta-proto').get(`meta.__proto__.${POLLUTION_KEY}`)).toBe('meta')
    expect(pairs(applied(doc, contentAttacks.find((a) => a.name === 'constructor-key')!.build(doc)), 'shape:hostile-ctor').has(`props.constructor.prototype.${POLLUTION_KEY}`)).toBe(true)
    expect((Object.prototype as Record<string, unknown>)[POLLUTION_KEY]).toBeUndefined()
  })

  it('the schema attacks replace meta.schema; the field attacks write non-strings and bad keys', () => {
    const build = (name: string) => applied(doc, contentAttacks.find((a) => a.name === name)!.build(doc))
    expect(metaOf(build('schema-garbage')).get('schema')).toBe('garbage')
    expect(metaOf(build('schema-future')).get('schema')).toMatchObject({ schemaVersion: 999 })
    expect(pairs(build('title-number'), 'shape:hostile-title-number').get('props.title')).toBe(42)
    expect(pairs(build('index-zzz'), 'shape:hostile-index-zzz').get('index')).toBe('zzz')
    expect(pairs(build('parent-self'), 'shape:hostile-parent-self').get('parentId')).toBe('shape:hostile-parent-self')
    expect(build('unknown-root').share.has('hostile-root')).toBe(true)
    const nested = (recordsOf(build('nested-map')).get('shape:hostile-nested-map') as Y.Array<unknown>).toArray()
    expect(nested.some((e) => e instanceof Y.Map)).toBe(true)
  })
})

describe('cost attacks', () => {
  const doc = board()
  // A smaller frame than the default: the same shapes, fitted the same way, in a fraction of the time.
  const maxBytes = 64 * 1024
  for (const attack of costAttacks) {
    it(`${attack.name}: one update within the frame limit${attack.name === 'deep-json' ? '' : ', nearly filling it'}`, () => {
      const { update, n, setup } = attack.build(doc, { recordId: 'shape:hostile-own', maxBytes })
      expect(update.length).toBeLessThanOrEqual(maxBytes - 16)
      if (attack.name !== 'deep-json') expect(update.length).toBeGreaterThan(maxBytes * 0.98)
      if (setup) expect(setup.length).toBeLessThanOrEqual(maxBytes - 16)
      const { structs, ds } = Y.decodeUpdate(update)
      const ranges = [...ds.clients.values()].reduce((sum, r) => sum + r.length, 0)
      const counted: Record<string, number> = { items: structs.length, levels: structs.length, clients: new Set(structs.map((s) => s.id.client)).size, ranges, chars: structs[0]?.length ?? 0 }
      if (attack.name !== 'deep-json') expect(counted[attack.unit], `${attack.unit} in the update`).toBe(n)
    })
  }

  it('small sizes build the same shapes (what the measurements at growing sizes use)', () => {
    const chain = costAttacks.find((a) => a.name === 'neighbour-chain')!.build(doc, { n: 100 })
    const structs = Y.decodeUpdate(chain.update).structs as Y.Item[]
    expect(structs).toHaveLength(100)
    // Each names only its right neighbour: no parent, no left origin.
    expect(structs.slice(1).every((s, k) => s.origin === null && s.parent === null && s.rightOrigin?.clock === k)).toBe(true)
  })

  it('the harmless baseline is valid cards nearly filling one frame', () => {
    const update = harmlessOfSize(doc, maxBytes)
    expect(update.length).toBeLessThanOrEqual(maxBytes - 16)
    expect(update.length).toBeGreaterThan(maxBytes * 0.95)
    const after = applied(doc, update)
    expect([...recordsOf(after).keys()].filter((k) => k.startsWith('shape:hostile-baseline-')).length).toBeGreaterThan(50)
  })
})
