import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLStore } from 'tldraw'
import { readRecord, type JsonRecord, type RecordEntries } from '../../core/record-store.ts'
import { migrateRecord } from '../../core/record-validation.ts'

/**
 * Turns a record read from the board document into one this store accepts: only
 * document-scope types, migrated from the board's stored schema when that is older, and
 * validated. Returns null (and warns) instead of throwing, so one bad record can never stop
 * the rest of the board from syncing.
 */
export function toStoreRecord(store: TLStore, raw: Record<string, unknown>, migrateFrom: SerializedSchema | null): TLRecord | null {
  const typeName = raw.typeName
  if (typeof typeName !== 'string' || !store.scopedTypes.document.has(typeName as TLRecord['typeName'])) {
    console.warn('[snurra] skipping record of unknown or non-document type', raw.id, typeName)
    return null
  }
  const migrated = migrateRecord(raw as JsonRecord, migrateFrom, store.schema)
  if (!migrated.ok) {
    console.warn('[snurra] skipping record that could not be migrated', raw.id, migrated.problem)
    return null
  }
  const record = migrated.record as unknown as TLRecord
  try {
    return store.schema.validateRecord(store, record, 'initialize', null)
  } catch (error) {
    console.warn('[snurra] skipping invalid record', raw.id, (error as Error).message)
    return null
  }
}

/** Reads one entry of the records map, or null when it is not a well-formed record. */
export function readDocRecord(id: string, entries: RecordEntries | undefined): Record<string, unknown> | null {
  if (!entries || typeof entries.toArray !== 'function') return null
  const record = readRecord(entries)
  return record.id === id && typeof record.typeName === 'string' ? record : null
}

type Parented = { id: string; typeName: string; parentId?: unknown }

/**
 * The records without any shape whose chain of parents loops (a shape that is its own parent,
 * two cards parented to each other, or a shape beneath such a loop), each skipped with a
 * warning. tldraw walks parents without a bound: one such record would hang every tab that
 * opens the board. A parent is looked up among `records` first, then with `parentOf` (the
 * store's current copy, for records not in this batch).
 */
export function withoutParentCycles<T extends Parented>(records: T[], parentOf: (id: string) => unknown): T[] {
  const batch = new Map<string, T>()
  for (const record of records) if (record.typeName === 'shape') batch.set(record.id, record)
  const parent = (id: string): unknown => (batch.has(id) ? batch.get(id)!.parentId : parentOf(id))
  const looping = (start: string): boolean => {
    const seen = new Set([start])
    for (let id = parent(start); typeof id === 'string' && id.startsWith('shape:'); id = parent(id)) {
      if (seen.has(id)) return true
      seen.add(id)
    }
    return false
  }
  return records.filter((record) => {
    if (record.typeName !== 'shape' || !looping(record.id)) return true
    console.warn('[snurra] skipping shape whose parents form a cycle', record.id)
    return false
  })
}
