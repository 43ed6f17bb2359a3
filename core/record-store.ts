import * as Y from 'yjs'
import { isForbiddenKey, isPlainObject } from './validation/json.ts'

/**
 * How tldraw records live in the board's Yjs document.
 *
 * `records` is a Y.Map from record id to a Y.Array of `[key, value]` pairs, one pair per
 * property. Nested objects are flattened into dotted keys (`props.title`), so two people
 * changing different properties of one card both win.
 *
 * Why an array of pairs rather than a Y.Map per record: a Y.Map keeps one tombstone per
 * overwritten value, and when a transaction writes two keys (x and y on every drag step) those
 * tombstones cannot be merged, so a card dragged 10,000 times grew the document from 124 bytes
 * to 184 KB. Here a write deletes the old pairs and appends new ones; consecutive deleted
 * items of one client merge into a single range, so the same drag leaves the document at
 * 156 bytes. The rightmost pair for a key wins, which Yjs orders identically on every peer,
 * so concurrent writes of the same key converge without any cleanup pass.
 */
export type RecordEntries = Y.Array<[string, unknown]>
export type RecordsMap = Y.Map<RecordEntries>

export const RECORDS_KEY = 'records'

export function recordsOf(doc: Y.Doc): RecordsMap {
  return doc.getMap(RECORDS_KEY) as RecordsMap
}

export type JsonRecord = { id: string; typeName: string } & Record<string, unknown>

/**
 * Plain objects are flattened into dotted keys (`props.paths.p1`), with the object itself kept
 * as an empty-object marker so that `{}` survives the round trip. Arrays and strings stay
 * whole. So a card's set of action paths, stored as an object of ids, merges per path: two
 * people ticking different paths of one card both keep their tick.
 */
const MAX_DEPTH = 3

export function flattenRecord(record: Record<string, unknown>): Map<string, unknown> {
  const flat = new Map<string, unknown>()
  const walk = (prefix: string, value: Record<string, unknown>, depth: number) => {
    for (const [key, child] of Object.entries(value)) {
      if (isForbiddenKey(key)) continue
      const path = prefix ? `${prefix}.${escapeKey(key)}` : escapeKey(key)
      if (isPlainObject(child) && depth < MAX_DEPTH) {
        flat.set(path, {})
        walk(path, child, depth + 1)
      } else {
        flat.set(path, child)
      }
    }
  }
  walk('', record, 0)
  return flat
}

/**
 * Rebuilds a record from its flat pairs. A pair whose key has a `__proto__`, `constructor` or
 * `prototype` part is skipped (the server refuses such writes, but a board stored before that
 * may hold one), and only own properties are ever followed, so no stored pair can reach a
 * prototype.
 */
export function unflattenRecord(flat: Map<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  const own = (target: Record<string, unknown>, key: string): unknown => (Object.hasOwn(target, key) ? target[key] : undefined)
  // Parents before children; a child whose parent is not an object (a concurrent overwrite
  // replaced the object with a plain value) is dropped, as the plain value won.
  const keys = [...flat.keys()].sort((a, b) => depthOf(a) - depthOf(b))
  for (const key of keys) {
    const parts = key.split('.').map(unescapeKey)
    if (parts.some(isForbiddenKey)) continue
    let target: Record<string, unknown> | null = record
    for (let i = 0; i < parts.length - 1 && target; i++) {
      if (own(target, parts[i]) === undefined) target[parts[i]] = {}
      const next = own(target, parts[i])
      target = isPlainObject(next) ? next : null
    }
    if (!target) continue
    const last = parts[parts.length - 1]
    const value = flat.get(key)
    // An object whose prototype is not Object's (a decoder assigned its `__proto__`) is dropped too.
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isPlainObject(value)) continue
    if (isPlainObject(value) && Object.keys(value).length === 0) {
      if (!isPlainObject(own(target, last))) target[last] = {}
    } else {
      target[last] = value
    }
  }
  return record
}

const depthOf = (key: string) => key.split('.').length

// Keys are joined with '.', so a '.' inside a key (meta is arbitrary JSON) is escaped. Keys
// without '.' or '%' — every tldraw property — are stored as they are.
const escapeKey = (key: string) => (/[.%]/.test(key) ? key.replace(/%/g, '%25').replace(/\./g, '%2E') : key)
const unescapeKey = (key: string) => (key.includes('%') ? key.replace(/%2E/g, '.').replace(/%25/g, '%') : key)

/** The current flat properties of one record: the rightmost pair for each key wins. */
export function readEntries(entries: RecordEntries): Map<string, unknown> {
  const flat = new Map<string, unknown>()
  for (const pair of entries) {
    if (Array.isArray(pair) && typeof pair[0] === 'string') flat.set(pair[0], pair[1])
  }
  return flat
}

export function readRecord(entries: RecordEntries): Record<string, unknown> {
  return unflattenRecord(readEntries(entries))
}

/**
 * Writes `record` into the document, touching only the properties that differ from what is
 * stored. Call inside a transaction. Returns whether anything changed.
 */
export function writeRecord(records: RecordsMap, record: JsonRecord): boolean {
  const next = flattenRecord(record)
  let entries = records.get(record.id)
  if (!(entries instanceof Y.Array)) {
    entries = new Y.Array<[string, unknown]>()
    entries.push([...next])
    records.set(record.id, entries)
    return true
  }
  const current = readEntries(entries)
  const changed = new Set<string>()
  for (const [key, value] of next) {
    if (!current.has(key) || !jsonEqual(current.get(key), value)) changed.add(key)
  }
  for (const key of current.keys()) if (!next.has(key)) changed.add(key)
  if (changed.size === 0) return false

  const pairs = entries.toArray()
  for (let i = pairs.length - 1; i >= 0; i--) {
    if (changed.has(pairs[i][0])) entries.delete(i, 1)
  }
  entries.push([...next].filter(([key]) => changed.has(key)))
  return true
}

export function deleteRecord(records: RecordsMap, id: string): void {
  records.delete(id)
}

export function readAllRecords(doc: Y.Doc): JsonRecord[] {
  const out: JsonRecord[] = []
  recordsOf(doc).forEach((entries, id) => {
    if (!(entries instanceof Y.Array)) return
    const record = readRecord(entries)
    if (record.id === id && typeof record.typeName === 'string') out.push(record as JsonRecord)
  })
  return out
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (const k of ka) {
    if (!jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}
