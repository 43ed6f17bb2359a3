import * as Y from 'yjs'

/**
 * How tldraw records live in the board's Yjs document.
 *
 * `records` is a Y.Map from record id to a Y.Array of `[key, value]` pairs, one pair per
 * property. Nested `props` and `meta` objects are flattened one level (`props.title`), so two
 * people changing different properties of one card both win.
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

const NESTED = ['props', 'meta'] as const

export type JsonRecord = { id: string; typeName: string } & Record<string, unknown>

export function flattenRecord(record: Record<string, unknown>): Map<string, unknown> {
  const flat = new Map<string, unknown>()
  for (const [key, value] of Object.entries(record)) {
    if ((NESTED as readonly string[]).includes(key) && isPlainObject(value)) {
      flat.set(key, {}) // marks presence, so an empty props object survives the round trip
      for (const [sub, subValue] of Object.entries(value)) flat.set(`${key}.${sub}`, subValue)
    } else {
      flat.set(key, value)
    }
  }
  return flat
}

export function unflattenRecord(flat: Map<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const [key, value] of flat) {
    const dot = key.indexOf('.')
    if (dot === -1) {
      if ((NESTED as readonly string[]).includes(key)) record[key] ??= {}
      else record[key] = value
      continue
    }
    const outer = key.slice(0, dot)
    const nested = (record[outer] ??= {}) as Record<string, unknown>
    nested[key.slice(dot + 1)] = value
  }
  return record
}

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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
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
