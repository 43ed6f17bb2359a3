import * as Y from 'yjs'
import { META_KEY, PATHS_KEY } from '../../core/board-meta.ts'
import { deleteRecord, readRecord, recordsOf, writeRecord, type JsonRecord, type RecordEntries } from '../../core/record-store.ts'

/** One record of ours that the rebase did not keep. */
export interface DroppedRecord {
  id: string
  typeName: string
  /** The card's title as we had it (or as the server has it, for a refused deletion); '' if none. */
  title: string
  /** For a binding: the shape it starts from (a card's binding goes with its card in the count). */
  fromId?: string
}

export interface RebaseResult {
  /** The new local state: the server's, with our kept changes written on top by a new client. */
  state: Uint8Array
  /** Ids of our changed records written again (or deleted again) on top of the server's state. */
  kept: string[]
  dropped: DroppedRecord[]
}

/**
 * A record-level rebase after the server refused one of our updates, as tldraw sync does.
 *
 * Our document holds changes the server never took, and every later change of ours builds on
 * them, so the server would refuse those too. Instead: take the server's state, find the records
 * that our unacknowledged changes touch (everything our document has that the server's lacks),
 * and write each of them again — as the CRDT would have merged it, so properties others changed
 * meanwhile keep their values — from a fresh Yjs client, except the refused ones.
 *
 * `refused` names the records the refusal is about; absent, it is about all of ours. Ids that
 * our changes did not touch are ignored; if none of the named ones is ours, everything of ours
 * is dropped, because re-sending it unchanged would only be refused again.
 *
 * The same holds for the two other maps a client writes (`meta` keys and action paths, which
 * only the facilitator may change): kept unless the whole update was refused.
 */
export function rebase(local: Y.Doc, serverState: Uint8Array, refused?: readonly string[]): RebaseResult {
  const server = new Y.Doc()
  Y.applyUpdate(server, serverState)
  const ours = Y.encodeStateAsUpdate(local, Y.encodeStateVector(server))

  // A copy of the server's state with our changes merged in: what acceptance would have given.
  const probe = new Y.Doc()
  Y.applyUpdate(probe, serverState)
  const touched = touchedBy(probe, ours)

  const named = refused ? refused.filter((id) => touched.records.has(id)) : []
  const whole = !refused || named.length === 0
  const drop = new Set(whole ? touched.records : named)

  const next = new Y.Doc()
  // Our old client id carries the refused items: nothing new may be written under it.
  while (next.clientID === local.clientID) next.clientID = Math.floor(Math.random() * 2 ** 32)
  Y.applyUpdate(next, serverState)
  const kept: string[] = []
  next.transact(() => {
    const records = recordsOf(next)
    const merged = recordsOf(probe)
    for (const id of touched.records) {
      if (drop.has(id)) continue
      const record = readWellFormed(id, merged.get(id))
      if (record) writeRecord(records, record)
      else if (!merged.has(id)) deleteRecord(records, id)
      else continue // malformed after the merge: keep the server's version
      kept.push(id)
    }
    if (!whole) {
      copyKeys(probe.getMap(META_KEY), next.getMap(META_KEY), touched.meta, (value) => value)
      copyKeys(probe.getMap(PATHS_KEY), next.getMap(PATHS_KEY), touched.paths, copyPath)
    }
  })

  const dropped = [...drop].map((id) => describe(id, recordsOf(local).get(id), recordsOf(server).get(id)))
  return { state: Y.encodeStateAsUpdate(next), kept, dropped }
}

/** How many changes the person lost, as they would count them: a card's bindings go with the card. */
export function countChanges(dropped: readonly DroppedRecord[]): number {
  const ids = new Set(dropped.map((d) => d.id))
  return dropped.filter((d) => !(d.typeName === 'binding' && d.fromId && ids.has(d.fromId))).length
}

interface Touched {
  records: Set<string>
  meta: Set<string>
  paths: Set<string>
}

/** Applies `update` to `doc` and says which records, meta keys and paths it changed. */
function touchedBy(doc: Y.Doc, update: Uint8Array): Touched {
  const touched: Touched = { records: new Set(), meta: new Set(), paths: new Set() }
  const watch = (map: Y.Map<unknown>, into: Set<string>) => {
    const observer = (events: Array<Y.YEvent<any>>) => {
      for (const event of events) {
        if (event.target === map) for (const key of event.changes.keys.keys()) into.add(key)
        else if (typeof event.path[0] === 'string') into.add(event.path[0])
      }
    }
    map.observeDeep(observer)
    return () => map.unobserveDeep(observer)
  }
  const stops = [watch(recordsOf(doc) as Y.Map<unknown>, touched.records), watch(doc.getMap(META_KEY), touched.meta), watch(doc.getMap(PATHS_KEY), touched.paths)]
  Y.applyUpdate(doc, update)
  for (const stop of stops) stop()
  return touched
}

function readWellFormed(id: string, entries: RecordEntries | undefined): JsonRecord | null {
  if (!(entries instanceof Y.Array)) return null
  const record = readRecord(entries)
  return record.id === id && typeof record.typeName === 'string' ? (record as JsonRecord) : null
}

function copyKeys(from: Y.Map<unknown>, to: Y.Map<unknown>, keys: Set<string>, copy: (value: unknown) => unknown): void {
  for (const key of keys) {
    if (!from.has(key)) to.delete(key)
    else if (!sameValue(from.get(key), to.get(key))) to.set(key, copy(from.get(key)))
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Y.AbstractType || b instanceof Y.AbstractType) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/** An action path is a Y.Map of plain values; a Yjs type cannot move between documents. */
function copyPath(value: unknown): unknown {
  if (!(value instanceof Y.Map)) return value
  const out = new Y.Map<unknown>()
  value.forEach((v, k) => out.set(k, v))
  return out
}

function describe(id: string, ours: RecordEntries | undefined, theirs: RecordEntries | undefined): DroppedRecord {
  const record = readWellFormed(id, ours) ?? readWellFormed(id, theirs)
  const props = record?.props as Record<string, unknown> | undefined
  const out: DroppedRecord = { id, typeName: record?.typeName ?? '', title: typeof props?.title === 'string' ? props.title : '' }
  if (typeof record?.fromId === 'string') out.fromId = record.fromId
  return out
}
