/** tldraw records for the tests (cards valid for Snurra's schema), written and read through core/record-store. */
import * as Y from 'yjs'
import { defaultActivity } from '../../core/activity.ts'
import { CARD_SIZE } from '../../core/shapes.ts'
import { readAllRecords, readRecord, recordsOf, writeRecord, type JsonRecord, type RecordEntries } from '../../core/record-store.ts'

export function cardRecord(n: number | string, overrides: Partial<JsonRecord> & { props?: Record<string, unknown> } = {}): JsonRecord {
  const { props, ...rest } = overrides
  return {
    id: `shape:card-${n}`,
    typeName: 'shape',
    type: 'snurra-card',
    parentId: 'page:page',
    index: 'a1', // a valid fractional index key (tldraw tolerates equal ones)
    x: 100,
    y: 200,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: { author: 'test', sector: 'bildning' },
    props: { ...CARD_SIZE, ...defaultActivity(), title: `Aktivitet ${n}`, description: 'Läxhjälp på biblioteket', ...props },
    ...rest,
  }
}

export function write(doc: Y.Doc, record: JsonRecord): void {
  doc.transact(() => writeRecord(recordsOf(doc), record))
}

export function read(doc: Y.Doc, id: string): Record<string, unknown> | undefined {
  const entries = recordsOf(doc).get(id) as RecordEntries | undefined
  return entries instanceof Y.Array ? readRecord(entries) : undefined
}

export function has(doc: Y.Doc, id: string): boolean {
  return recordsOf(doc).has(id)
}

export function taskSegmentIds(doc: Y.Doc): string[] {
  return [...recordsOf(doc).keys()].filter((k) => k.startsWith('shape:task-')).sort()
}

export function allRecords(doc: Y.Doc): JsonRecord[] {
  return readAllRecords(doc).sort((a, b) => (a.id < b.id ? -1 : 1))
}
