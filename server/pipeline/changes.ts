import * as Y from 'yjs'
import { META_KEY, PATHS_KEY } from '../../core/board-meta.ts'
import { RECORDS_KEY, unflattenRecord, type JsonRecord } from '../../core/record-store.ts'
import { FORBIDDEN_KEYS } from '../../core/record-validation.ts'
import type { DecodedUpdate } from '../protocol.ts'
import { placeUpdate, type Place } from './placement.ts'

/**
 * What an incoming update would change in the board document, as values, before it is applied:
 * each record it creates, changes or deletes (before and after), each `meta` key and each action
 * path it writes, and which root types it touches. The write rules and the validators judge
 * these values, never Yjs internals.
 *
 * A record is an array of `[key, value]` pairs where the rightmost pair of a key wins
 * (core/record-store.ts). The candidate is the record's live pairs minus those this update
 * deletes, followed by the pairs it adds; that is what Yjs produces whenever the update was made
 * on top of what the server has, which a client's own edits always are. (Concurrent pairs may
 * order otherwise; the room checks the applied result again before it is stored.)
 */
export interface RecordChange {
  before: JsonRecord | null
  /** null: the record is deleted (or never comes to exist). */
  after: JsonRecord | null
}

export interface DocChanges {
  /** Root types the update writes to (`records`, `meta`, `paths`, `facilitation`, or anything a hostile client names). */
  roots: Set<string>
  records: Map<string, RecordChange>
  /** Meta keys written: the new value, or null when the key is deleted. */
  meta: Map<string, { value: unknown } | null>
  /** Action paths written: their fields after the update, or null when the path is deleted. */
  paths: Map<string, Record<string, unknown> | null>
  /** The update does not fit the board document's layout (refused as invalid). */
  problem: string | null
  /** The update builds on changes the server does not have. */
  pending: boolean
  /** Delete ranges that split a live item (the costly kind). */
  splits: number
}

const MAX_KEY_CHARS = 512

export function changesOf(doc: Y.Doc, decoded: DecodedUpdate): DocChanges {
  const placement = placeUpdate(doc, decoded)
  const { isDeleted } = placement
  const out: DocChanges = { roots: new Set(), records: new Map(), meta: new Map(), paths: new Map(), problem: null, pending: placement.pending, splits: placement.splits }
  const fail = (why: string) => {
    out.problem ??= why
  }

  // Per root entry: the entries the update creates, and the values it adds inside entries.
  const newEntries = new Map<string, Map<string, Y.Item[]>>() // root → key → entry items
  const added = new Map<Y.Item, Array<[string | null, unknown]>>() // owner → (key, value) in order
  const touched = new Map<string, Set<string>>() // root → keys whose value must be worked out

  const touch = (root: string, key: string) => {
    let keys = touched.get(root)
    if (!keys) touched.set(root, (keys = new Set()))
    keys.add(key)
  }
  const valuesOf = (item: Y.Item): unknown[] | null => {
    const content = item.content
    if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
      return (content.arr as unknown[]).filter((_, i) => !isDeleted(item.id.client, item.id.clock + i))
    }
    return content instanceof Y.ContentDeleted ? [] : null
  }

  for (const { item, place } of placement.items) {
    if (place.kind === 'dead') continue
    if (place.kind === 'pending') {
      out.pending = true
      continue
    }
    if (place.kind === 'bad') {
      fail(place.why)
      continue
    }
    out.roots.add(place.root)
    if (place.kind === 'root') placeRootEntry(item, place)
    else placeInside(item, place)
  }

  function placeRootEntry(item: Y.Item, place: Extract<Place, { kind: 'root' }>): void {
    const { root, key } = place
    if (key === null) return fail(`items inserted into the ${root} map as if it were a list`)
    if (key.length > MAX_KEY_CHARS) return fail('key too long')
    if (isDeleted(item.id.client, item.id.clock) || item.content instanceof Y.ContentDeleted) return
    const content = item.content
    const nested = content instanceof Y.ContentType ? content.type : null
    const wantsNested = root === RECORDS_KEY ? Y.Array : root === PATHS_KEY ? Y.Map : null
    if (wantsNested) {
      if (!(nested instanceof wantsNested)) return fail(`a ${root} entry must be a ${wantsNested.name}`)
      let byKey = newEntries.get(root)
      if (!byKey) newEntries.set(root, (byKey = new Map()))
      byKey.set(key, [...(byKey.get(key) ?? []), item])
    } else if (nested) {
      return fail(`a ${root} entry must be a plain value`)
    } else if (root === META_KEY) {
      const values = valuesOf(item)
      if (!values) return fail('meta value of an unexpected kind')
      if (values.length) out.meta.set(key, { value: values[values.length - 1] })
    }
    touch(root, key)
  }

  function placeInside(item: Y.Item, place: Extract<Place, { kind: 'inside' }>): void {
    const { root, entry, owner, key } = place
    if (entry === null) return fail(`items inserted into the ${root} map as if it were a list`)
    if (root !== RECORDS_KEY && root !== PATHS_KEY) {
      if (root === META_KEY) fail('meta values hold no shared types')
      return
    }
    if ((root === RECORDS_KEY) !== (key === null)) return fail(root === RECORDS_KEY ? 'a record holds a list of pairs' : 'an action path holds named fields')
    const values = valuesOf(item)
    if (!values) return fail(`unexpected content inside a ${root} entry`)
    let list = added.get(owner)
    if (!list) added.set(owner, (list = []))
    for (const value of values) {
      if (root === PATHS_KEY) {
        if (key !== null && FORBIDDEN_KEYS.has(key)) return fail('an action path field named __proto__, constructor or prototype')
        list.push([key, value])
      }
      else if (!(Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && value[0].length <= MAX_KEY_CHARS)) return fail('a record entry that is not a [key, value] pair')
      // Reading would skip such a key (core/record-store.ts), so validation would never see it: refused here.
      else if (value[0].split('.').some((part) => FORBIDDEN_KEYS.has(part))) return fail('a record key names __proto__, constructor or prototype')
      else list.push([value[0], value[1]])
    }
    touch(root, entry)
  }

  // What the update deletes from the document.
  for (const item of placement.deleted) {
    const parent = item.parent
    if (!(parent instanceof Y.AbstractType)) continue
    const owner = parent._item
    const root = Y.findRootTypeKey(owner ? (owner.parent as Y.AbstractType<unknown>) : parent)
    out.roots.add(root)
    const key = owner ? owner.parentSub : item.parentSub
    if (key !== null) touch(root, key)
    if (!owner && root === META_KEY && item.parentSub !== null && parent._map.get(item.parentSub) === item && !out.meta.has(item.parentSub)) {
      out.meta.set(item.parentSub, null)
    }
  }

  const records = doc.getMap(RECORDS_KEY)
  for (const id of touched.get(RECORDS_KEY) ?? []) {
    const current = liveEntry(records, id, isDeleted)
    const before = current && !current.item.deleted ? recordFrom(livePairs(current.type as Y.Array<unknown>, null)) : null
    const created = newEntries.get(RECORDS_KEY)?.get(id)
    let after: JsonRecord | null
    if (created?.length) after = recordFrom(added.get(created[created.length - 1]) ?? [])
    else if (!current || current.deleted) after = null
    else after = recordFrom([...livePairs(current.type as Y.Array<unknown>, isDeleted), ...(added.get(current.item) ?? [])])
    out.records.set(id, { before, after })
  }

  const paths = doc.getMap(PATHS_KEY)
  for (const id of touched.get(PATHS_KEY) ?? []) {
    const current = liveEntry(paths, id, isDeleted)
    const created = newEntries.get(PATHS_KEY)?.get(id)
    let fields: Map<string | null, unknown> | null
    if (created?.length) fields = new Map(added.get(created[created.length - 1]) ?? [])
    else if (!current || current.deleted) fields = null
    else fields = new Map([...liveFields(current.type as Y.Map<unknown>, isDeleted), ...(added.get(current.item) ?? [])])
    out.paths.set(id, fields && (Object.fromEntries([...fields].filter(([k]) => k !== null && !FORBIDDEN_KEYS.has(k))) as Record<string, unknown>))
  }
  return out
}

/** A root map's current entry for `key`: its item, type, and whether it is (or is being) deleted. */
function liveEntry(map: Y.Map<unknown>, key: string, isDeleted: (client: number, clock: number) => boolean) {
  const item = map._map.get(key)
  if (!item || !(item.content instanceof Y.ContentType)) return null
  return { item, type: item.content.type, deleted: item.deleted || isDeleted(item.id.client, item.id.clock) }
}

/** A record array's live pairs in order, leaving out those `isDeleted` covers. */
function livePairs(array: Y.Array<unknown>, isDeleted: ((client: number, clock: number) => boolean) | null): Array<[string, unknown]> {
  const pairs: Array<[string, unknown]> = []
  for (let n = array._start; n !== null; n = n.right) {
    if (n.deleted || !(n.content instanceof Y.ContentAny || n.content instanceof Y.ContentJSON)) continue
    const arr = n.content.arr as unknown[]
    for (let i = 0; i < arr.length; i++) {
      const pair = arr[i]
      if (isDeleted?.(n.id.client, n.id.clock + i)) continue
      if (Array.isArray(pair) && typeof pair[0] === 'string') pairs.push([pair[0], pair[1]])
    }
  }
  return pairs
}

function liveFields(map: Y.Map<unknown>, isDeleted: (client: number, clock: number) => boolean): Array<[string, unknown]> {
  const fields: Array<[string, unknown]> = []
  for (const [key, item] of map._map) {
    if (item.deleted || isDeleted(item.id.client, item.id.clock)) continue
    const content = item.content
    if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) fields.push([key, content.arr[content.arr.length - 1]])
  }
  return fields
}

function recordFrom(pairs: Array<[string | null, unknown]>): JsonRecord | null {
  if (!pairs.length) return null
  const flat = new Map<string, unknown>()
  for (const [key, value] of pairs) if (key !== null) flat.set(key, value)
  return unflattenRecord(flat) as JsonRecord
}
