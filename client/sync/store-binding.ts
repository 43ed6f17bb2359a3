import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { metaOf } from '../../core/board-meta.ts'
import { deleteRecord, readAllRecords, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { readDocRecord, toStoreRecord } from './doc-records.ts'

const asJson = (record: TLRecord) => record as unknown as JsonRecord

/**
 * Loads the synced board document into an empty store. When the board's schema is older than
 * ours and we may write, the records are upgraded in the document first (only changed keys)
 * and our schema is recorded in the same transaction, so no peer ever reads upgraded records
 * against the old schema.
 */
export function loadDocIntoStore(store: TLStore, doc: Y.Doc, opts: { migrateFrom: SerializedSchema | null; upgrade: boolean; origin: object }): void {
  const records: TLRecord[] = []
  for (const raw of readAllRecords(doc)) {
    const record = toStoreRecord(store, raw, opts.migrateFrom)
    if (record) records.push(record)
  }
  if (opts.upgrade) {
    doc.transact(() => {
      const map = recordsOf(doc)
      for (const record of records) writeRecord(map, asJson(record))
      metaOf(doc).set('schema', store.schema.serialize())
    }, opts.origin)
  }
  store.mergeRemoteChanges(() => putAll(store, records))
}

/**
 * The user's document-scope changes go to the document as one transaction per store flush,
 * tagged with `origin`, writing only changed keys.
 */
export function sendStoreChanges(store: TLStore, doc: Y.Doc, opts: { origin: object; canWrite(): boolean }): () => void {
  const map = recordsOf(doc)
  return store.listen(
    ({ changes }) => {
      if (!opts.canWrite()) return
      doc.transact(() => {
        for (const record of Object.values(changes.added)) writeRecord(map, asJson(record))
        for (const [, to] of Object.values(changes.updated)) writeRecord(map, asJson(to))
        for (const record of Object.values(changes.removed)) deleteRecord(map, record.id)
      }, opts.origin)
    },
    { source: 'user', scope: 'document' },
  )
}

/**
 * Every transaction that is not ours (the server, IndexedDB, core's setup code) comes into the
 * store as a remote change, for the records it touched only.
 */
export function receiveDocChanges(store: TLStore, doc: Y.Doc, opts: { origin: object; migrateFrom(): SerializedSchema | null }): () => void {
  const map = recordsOf(doc)
  const onDocChange = (events: Array<Y.YEvent<any>>, txn: Y.Transaction) => {
    if (txn.origin === opts.origin) return
    const ids = new Set<string>()
    for (const event of events) {
      if (event.target === map) for (const key of event.changes.keys.keys()) ids.add(key)
      else if (typeof event.path[0] === 'string') ids.add(event.path[0])
    }
    applyFromDoc(store, map, ids, opts.migrateFrom())
  }
  map.observeDeep(onDocChange)
  return () => map.unobserveDeep(onDocChange)
}

function applyFromDoc(store: TLStore, map: Y.Map<any>, ids: Set<string>, migrateFrom: SerializedSchema | null): void {
  const puts: TLRecord[] = []
  const removes: TLRecord['id'][] = []
  for (const id of ids) {
    const raw = readDocRecord(id, map.get(id))
    if (!raw) {
      if (!map.has(id) && store.has(id as TLRecord['id'])) removes.push(id as TLRecord['id'])
      continue
    }
    const record = toStoreRecord(store, raw, migrateFrom)
    if (record) puts.push(record)
  }
  if (!puts.length && !removes.length) return
  store.mergeRemoteChanges(() => {
    if (removes.length) store.remove(removes)
    putAll(store, puts)
  })
}

/** Puts all records at once; if the batch is refused, retries one by one and skips the bad ones. */
function putAll(store: TLStore, records: TLRecord[]): void {
  if (!records.length) return
  try {
    store.put(records)
  } catch {
    for (const record of records) {
      try {
        store.put([record])
      } catch (error) {
        console.warn('[snurra] store refused record', record.id, (error as Error).message)
      }
    }
  }
}
