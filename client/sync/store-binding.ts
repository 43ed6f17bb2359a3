import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLStore } from 'tldraw'
import type * as Y from 'yjs'
import { metaOf } from '../../core/board-meta.ts'
import { deleteRecord, jsonEqual, readAllRecords, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { readDocRecord, toStoreRecord, withoutParentCycles } from './doc-records.ts'

const asJson = (record: TLRecord) => record as unknown as JsonRecord

/**
 * The store shows the union of two documents: the board, and this person's private drafts
 * (cards made in private mode, which the server sends to nobody else). A record lives in one of
 * them; while the server reveals a draft it briefly lives in both, and then the board's copy is
 * the one shown.
 */
export interface DocSources {
  board: Y.Doc
  drafts: Y.Doc | null
  /** Tags our own transactions in either document, so the observers skip what we just wrote. */
  origin: object
}

/**
 * Loads the synced board document (and whatever drafts are already here) into an empty store.
 * When the board's schema is older than ours and we may write, the board's records are upgraded
 * in the document first (only changed keys) and our schema is recorded in the same transaction,
 * so no peer ever reads upgraded records against the old schema.
 */
export function loadDocIntoStore(store: TLStore, sources: DocSources, opts: { migrateFrom: SerializedSchema | null; upgrade: boolean }): void {
  const { board, drafts, origin } = sources
  const records: TLRecord[] = []
  for (const raw of readAllRecords(board)) {
    const record = toStoreRecord(store, raw, opts.migrateFrom)
    if (record) records.push(record)
  }
  if (opts.upgrade) {
    board.transact(() => {
      const map = recordsOf(board)
      for (const record of records) writeRecord(map, asJson(record))
      metaOf(board).set('schema', store.schema.serialize())
    }, origin)
  }
  if (drafts) {
    const boardMap = recordsOf(board)
    for (const raw of readAllRecords(drafts)) {
      if (boardMap.has(raw.id)) continue
      const record = toStoreRecord(store, raw, opts.migrateFrom)
      if (record) records.push(record)
    }
  }
  store.mergeRemoteChanges(() => putAll(store, withoutParentCycles(records, (id) => parentInStore(store, id))))
}

/**
 * The user's document-scope changes go to the documents as one transaction per document and
 * store flush, writing only changed keys. An existing record is written where it lives; a new
 * one goes to the drafts when `isDraft` says so, else to the board.
 */
export function sendStoreChanges(store: TLStore, sources: DocSources, opts: { canWrite(): boolean; isDraft(record: TLRecord): boolean }): () => void {
  const { board, drafts, origin } = sources
  const holder = (id: string): Y.Doc | null => (recordsOf(board).has(id) ? board : drafts && recordsOf(drafts).has(id) ? drafts : null)
  return store.listen(
    ({ changes }) => {
      if (!opts.canWrite()) return
      const ops = new Map<Y.Doc, Array<(map: ReturnType<typeof recordsOf>) => void>>()
      const queue = (doc: Y.Doc, op: (map: ReturnType<typeof recordsOf>) => void) => {
        const list = ops.get(doc)
        if (list) list.push(op)
        else ops.set(doc, [op])
      }
      for (const record of Object.values(changes.added)) {
        const doc = holder(record.id) ?? (drafts && opts.isDraft(record) ? drafts : board)
        queue(doc, (map) => writeRecord(map, asJson(record)))
      }
      for (const [, to] of Object.values(changes.updated)) queue(holder(to.id) ?? board, (map) => writeRecord(map, asJson(to)))
      for (const record of Object.values(changes.removed)) {
        for (const doc of [board, drafts]) if (doc && recordsOf(doc).has(record.id)) queue(doc, (map) => deleteRecord(map, record.id))
      }
      for (const [doc, list] of ops) {
        doc.transact(() => {
          const map = recordsOf(doc)
          for (const op of list) op(map)
        }, origin)
      }
    },
    { source: 'user', scope: 'document' },
  )
}

export interface ReceiveOptions {
  origin: object
  migrateFrom(): SerializedSchema | null
  /** The other document of the union: a record it holds stays in the store. */
  other: Y.Doc | null
  /** Whether the other document's copy wins when both hold a record (the board over the drafts). */
  otherWins: boolean
  /**
   * How long a record removed from this document by someone else stays in the store, waiting
   * to show up in the other one. A reveal deletes a draft from the drafts and writes it to the
   * board over two sockets, in either order: the card must not blink out in between.
   */
  removalGraceMs: number
}

/**
 * Every transaction that is not ours (the server, IndexedDB, core's setup code) comes into the
 * store as a remote change, for the records it touched only.
 */
export function receiveDocChanges(store: TLStore, doc: Y.Doc, opts: ReceiveOptions): () => void {
  const map = recordsOf(doc)
  const timers = new Set<ReturnType<typeof setTimeout>>()
  // Remote changes are gathered and put into the store once per animation frame: 20 people
  // dragging send ~400 updates a second, and every store change re-runs what derives from all
  // cards (counts, lines, lists); per frame it runs at most 60 times a second, whatever the rate.
  const pending = new Set<string>()
  let scheduled = false
  const schedule = typeof requestAnimationFrame === 'function' ? (fn: () => void) => requestAnimationFrame(fn) : (fn: () => void) => queueMicrotask(fn)
  const onDocChange = (events: Array<Y.YEvent<any>>, txn: Y.Transaction) => {
    if (txn.origin === opts.origin) return
    for (const event of events) {
      if (event.target === map) for (const key of event.changes.keys.keys()) pending.add(key)
      else if (typeof event.path[0] === 'string') pending.add(event.path[0])
    }
    if (scheduled) return
    scheduled = true
    schedule(flush)
  }
  let disposed = false
  const flush = () => {
    scheduled = false
    if (disposed) return
    const ids = new Set(pending)
    pending.clear()
    const late = applyFromDoc(store, map, ids, opts)
    if (late.length) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        applyFromDoc(store, map, new Set(late), { ...opts, removalGraceMs: 0 })
      }, opts.removalGraceMs)
      timers.add(timer)
    }
  }
  map.observeDeep(onDocChange)
  return () => {
    disposed = true
    map.unobserveDeep(onDocChange)
    for (const timer of timers) clearTimeout(timer)
  }
}

/** Applies the named records; returns the ids whose removal waits for the grace period. */
function applyFromDoc(store: TLStore, map: Y.Map<any>, ids: Set<string>, opts: ReceiveOptions): string[] {
  const otherMap = opts.other ? recordsOf(opts.other) : null
  const migrateFrom = opts.migrateFrom()
  const puts: TLRecord[] = []
  const removes: TLRecord['id'][] = []
  const late: string[] = []
  const put = (raw: Record<string, unknown>) => {
    const record = toStoreRecord(store, raw, migrateFrom)
    if (record) puts.push(keepUnchanged(store.get(record.id), record))
  }
  for (const id of ids) {
    const elsewhere = otherMap ? readDocRecord(id, otherMap.get(id)) : null
    if (elsewhere && opts.otherWins) {
      put(elsewhere)
      continue
    }
    const raw = readDocRecord(id, map.get(id))
    if (raw) put(raw)
    else if (elsewhere) put(elsewhere)
    else if (!map.has(id) && store.has(id as TLRecord['id'])) {
      if (opts.removalGraceMs > 0) late.push(id)
      else removes.push(id as TLRecord['id'])
    }
  }
  if (puts.length || removes.length) {
    store.mergeRemoteChanges(() => {
      if (removes.length) store.remove(removes)
      putAll(store, withoutParentCycles(puts, (id) => parentInStore(store, id)))
    })
  }
  return late
}

/**
 * The record with its `props` and `meta` objects taken from the store's copy when they did not
 * change: a remote move then changes x and y only, and everything that caches per card by
 * `props` identity (activity rows, layer counts, connection lines) stays cached.
 */
function keepUnchanged(current: TLRecord | undefined, next: TLRecord): TLRecord {
  if (!current) return next
  let out = next as unknown as Record<string, unknown>
  const cur = current as unknown as Record<string, unknown>
  for (const key of ['props', 'meta']) {
    if (key in out && out[key] !== cur[key] && jsonEqual(cur[key], out[key])) out = { ...out, [key]: cur[key] }
  }
  return out as unknown as TLRecord
}

function parentInStore(store: TLStore, id: string): unknown {
  const record = store.get(id as TLRecord['id'])
  return record && 'parentId' in record ? record.parentId : undefined
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
