import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { seedBoard } from '../../core/board-doc.ts'
import { readAllRecords, type JsonRecord } from '../../core/record-store.ts'
import { judgeStoredRecords, MAX_PARENT_DEPTH, RecordLinks, snurraSerializedSchema, validateRecord } from '../../core/record-validation.ts'
import { validateTemplate } from '../../core/template.ts'
import { cardRecord } from '../helpers/records.ts'

const fixture = (): JsonRecord[] => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'client-records.json'), 'utf8'))
const seeded = (): JsonRecord[] => {
  const doc = new Y.Doc()
  seedBoard(doc, validateTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'hallunda-norsborg.json'), 'utf8')), 'h'), 'Workshop')
  return readAllRecords(doc)
}
const pairs = (records: unknown[]) => records.map((r) => [(r as JsonRecord).id, r] as const)
const card = (n: string, parentId = 'page:page') => ({ ...cardRecord(n), index: 'a1', parentId }) as JsonRecord
const binding = (id: string, fromId: string, toId: string) => ({ id, typeName: 'binding', type: 'arrow', fromId, toId, meta: {}, props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' } }) as JsonRecord

/** The served board is sound: every record valid on its own, and every link. */
function expectSound(records: JsonRecord[]): void {
  for (const record of records) expect(validateRecord(record).ok, record.id).toBe(true)
  expect(new RecordLinks([]).problems(new Map(records.map((r) => [r.id, r])))).toEqual([])
}

describe('judgeStoredRecords', () => {
  it('a sound board is served as it is', () => {
    for (const records of [seeded(), fixture()]) {
      const verdict = judgeStoredRecords(pairs(records), null)
      expect(verdict.quarantined).toEqual([])
      expect(verdict.repaired).toEqual([])
      expect(verdict.records).toHaveLength(records.length)
      expect(verdict.links.has('page:page')).toBe(true)
    }
  })

  it('a poisoned board: the bad records quarantined, the valid content kept and its links repaired', () => {
    const good = seeded()
    const hostile: unknown[] = [
      { ...card('proto'), meta: JSON.parse('{"__proto__": {"template": true}}') },
      { ...card('badindex'), index: 'zzz' },
      { ...card('numtitle'), props: { ...(card('x').props as object), title: 42 } },
      { id: 'page:other', typeName: 'page', name: '', index: 'a2', meta: {} },
      card('self', 'shape:card-self'),
      card('ping', 'shape:card-pong'),
      card('pong', 'shape:card-ping'),
      card('orphan', 'shape:card-gone'),
      card('child-of-bad', 'shape:card-badindex'),
      binding('binding:to-bad', 'shape:card-self', 'shape:card-numtitle'),
      binding('binding:ok', 'shape:card-ping', 'shape:card-pong'),
    ]
    const stored = [...pairs([...good, ...hostile]), ['shape:elsewhere', card('moved')] as const]
    const verdict = judgeStoredRecords(stored, null)
    expect(verdict.quarantined.map((q) => q.id).sort()).toEqual(
      ['shape:card-proto', 'shape:card-badindex', 'shape:card-numtitle', 'page:other', 'binding:to-bad', 'shape:elsewhere'].sort(),
    )
    for (const q of verdict.quarantined) expect(q.problem).toEqual(expect.any(String))
    // Re-homed to the page: the self-parented card, one of the pair (the smaller id), the orphans.
    expect(verdict.repaired.map((r) => r.id).sort()).toEqual(['shape:card-child-of-bad', 'shape:card-orphan', 'shape:card-ping', 'shape:card-self'])
    for (const r of verdict.repaired) expect(r.parentId).toBe('page:page')
    const served = new Map(verdict.records.map((r) => [r.id, r]))
    expect(served.get('shape:card-pong')?.parentId).toBe('shape:card-ping')
    expect(served.has('binding:ok')).toBe(true)
    for (const record of good) expect(served.get(record.id)).toEqual(record)
    expectSound(verdict.records)
    // The same whatever order storage returns them in.
    const reversed = judgeStoredRecords([...stored].reverse(), null)
    expect(reversed.repaired.map((r) => r.id).sort()).toEqual(verdict.repaired.map((r) => r.id).sort())
  })

  it('a missing page and document are made again, and shapes find the page', () => {
    const records = fixture().filter((r) => r.typeName !== 'page' && r.typeName !== 'document')
    const verdict = judgeStoredRecords(pairs(records), null)
    expect(verdict.repaired.map((r) => r.id)).toEqual(expect.arrayContaining(['document:document', 'page:page']))
    expectSound(verdict.records)
  })

  it('a chain nested too deep is cut, as often as needed', () => {
    const chain = Array.from({ length: 3 * MAX_PARENT_DEPTH }, (_, i) => card(`c${i}`, i === 0 ? 'page:page' : `shape:card-c${i - 1}`))
    // Stored bottom first, so the walk starts at the deepest shape.
    const verdict = judgeStoredRecords(pairs([...seeded(), ...chain.reverse()]), null)
    expect(verdict.quarantined).toEqual([])
    expect(verdict.repaired.map((r) => r.id).sort()).toEqual([`shape:card-c${MAX_PARENT_DEPTH}`, `shape:card-c${2 * MAX_PARENT_DEPTH}`].sort())
    expectSound(verdict.records)
  })

  it('a stored schema a participant wrote ("garbage", version 999) is ignored, not a reason to drop the board', () => {
    for (const schema of ['garbage', { ...snurraSerializedSchema(), schemaVersion: 999 }, { schemaVersion: 2, sequences: { 'com.tldraw.shape': 999 } }]) {
      const verdict = judgeStoredRecords(pairs(fixture()), schema as never)
      expect(verdict.schemaProblem).toEqual(expect.any(String))
      expect(verdict.quarantined).toEqual([])
      expect(verdict.records).toHaveLength(fixture().length)
    }
    expect(judgeStoredRecords(pairs(fixture()), snurraSerializedSchema()).schemaProblem).toBeNull()
  })

  it('records of an older schema are migrated, then judged', () => {
    const current = snurraSerializedSchema() as { schemaVersion: 2; sequences: Record<string, number> }
    const older = { ...current, sequences: { ...current.sequences, 'com.tldraw.shape.text': 2 } }
    const text = fixture().find((r) => r.type === 'text')!
    const { richText: _, ...props } = text.props as Record<string, unknown>
    const old = { ...text, props: { ...props, text: 'Hej' } }
    const verdict = judgeStoredRecords(pairs([...seeded(), old]), older as never)
    expect(verdict.quarantined).toEqual([])
    expect(JSON.stringify(verdict.records.find((r) => r.id === text.id))).toContain('richText')
    // The migrated record is to be written back; the others were already in our schema.
    expect(verdict.repaired.map((r) => r.id)).toEqual([text.id])
    // Without the stored schema the same record is not valid.
    expect(judgeStoredRecords(pairs([...seeded(), old]), null).quarantined.map((q) => q.id)).toEqual([text.id])
  })
})
