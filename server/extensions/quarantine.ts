import type { SerializedSchema } from '@tldraw/store'
import * as Y from 'yjs'
import { metaOf, pathsOf, readMeta } from '../../core/board-meta.ts'
import { PAGE_ID } from '../../core/circle.ts'
import { isForbiddenKey, migrateRecord, RecordLinks, snurraSchema, snurraSerializedSchema, validateMetaEntry, validatePathEntry, validateRecord } from '../../core/record-validation.ts'
import { deleteRecord, jsonEqual, readEntries, readRecord, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'

/** One thing taken out of a board on load: where it was, what it held, and why. */
export interface QuarantineEntry {
  kind: 'record' | 'meta' | 'path'
  id: string
  value: unknown
  problem: string
  at: number
}

/** What a board's load-time check found and what it changes in the document. */
export interface LoadCheck {
  quarantined: QuarantineEntry[]
  /** Whether `repair` changes anything: something is quarantined, or the records need upgrading. */
  needsRepair: boolean
  /** Applies the repairs (in a server write): drops what is quarantined, upgrades and re-parents the rest. */
  repair(): void
}

/**
 * Checks a board as loaded from storage (boards written before the server validated content
 * may hold anything a client once sent). Records are first migrated from the board's stored
 * schema to ours, then validated. What fails is quarantined: kept in storage (the caller saves
 * `quarantined` before repairing), not served. Nothing valid is dropped: a valid shape whose
 * parent is missing or loops is moved to the page rather than removed, its original kept too.
 */
export function checkLoadedBoard(doc: Y.Doc, now = Date.now()): LoadCheck {
  const quarantined: QuarantineEntry[] = []
  const hold = (kind: QuarantineEntry['kind'], id: string, value: unknown, problem: string) => quarantined.push({ kind, id, value, problem, at: now })
  const ours = snurraSerializedSchema()
  const storedSchema = metaOf(doc).get('schema')
  const sameSchema = jsonEqual(storedSchema, ours)
  // Migrate only from a schema ours knows how to come from; a garbage or "newer" one (which only
  // a hostile client could have written) is ignored and the records are judged as they are.
  const fromSchema = !sameSchema && canMigrateFrom(storedSchema) ? (storedSchema as SerializedSchema) : null

  const valid = new Map<string, JsonRecord>()
  const rewrite = new Map<string, JsonRecord>()
  const recreate = new Set<string>()
  const drop: string[] = []
  recordsOf(doc).forEach((entries, id) => {
    const raw = entries instanceof Y.Array ? readRecord(entries) : null
    const migrated = raw ? migrateRecord(raw as JsonRecord, fromSchema) : ({ ok: false, problem: 'not a record' } as const)
    const verdict = migrated.ok ? validateRecord(migrated.record) : migrated
    if (!verdict.ok || verdict.record.id !== id) {
      hold('record', id, raw, verdict.ok ? 'stored under another id' : verdict.problem)
      drop.push(id)
      return
    }
    valid.set(id, verdict.record)
    if (fromSchema) rewrite.set(id, verdict.record)
    // Reading skips pairs under a prototype key, so the record validates; the pairs themselves
    // are kept aside and the record is written again without them.
    const pairs = readEntries(entries as Y.Array<[string, unknown]>)
    const poisoned = [...pairs].filter(([key]) => key.split('.').some(isForbiddenKey))
    if (poisoned.length) {
      hold('record', id, Object.fromEntries(poisoned.map(([key, value]) => [key.replace(/__proto__|constructor|prototype/g, (k) => `[${k}]`), value])), 'pairs under a prototype key')
      recreate.add(id)
      rewrite.set(id, verdict.record)
    }
  })

  // Links, judged among the valid records. A round can expose more (a binding to a dropped shape).
  for (let round = 0; round < 8; round++) {
    const problems = new RecordLinks([...valid.values()]).problems(valid)
    if (!problems.length) break
    for (const problem of problems) {
      const id = problem.slice(0, Math.max(0, problem.indexOf(': ')))
      const record = valid.get(id)
      if (!record) continue
      hold('record', id, record, problem)
      if (record.typeName === 'shape') {
        const moved = { ...record, parentId: PAGE_ID }
        valid.set(id, moved)
        rewrite.set(id, moved)
      } else {
        valid.delete(id)
        rewrite.delete(id)
        drop.push(id)
      }
    }
  }

  const meta = metaOf(doc)
  const dropMeta: string[] = []
  let fixSchema = !sameSchema
  meta.forEach((value, key) => {
    const problem = validateMetaEntry(key, value)
    if (!problem) return
    hold('meta', key, value, problem)
    if (key === 'schema') fixSchema = true
    else dropMeta.push(key)
  })
  const template = readMeta(doc)?.template ?? null
  const dropPaths: string[] = []
  pathsOf(doc).forEach((entry, id) => {
    const fields = entry instanceof Y.Map ? Object.fromEntries(entry.entries()) : entry
    const problem = validatePathEntry(id, fields, template)
    if (problem) {
      hold('path', id, fields, problem)
      dropPaths.push(id)
    }
  })

  return {
    quarantined,
    needsRepair: quarantined.length > 0 || drop.length > 0 || rewrite.size > 0 || fixSchema || dropMeta.length > 0 || dropPaths.length > 0,
    repair() {
      const records = recordsOf(doc)
      for (const id of drop) deleteRecord(records, id)
      for (const id of recreate) deleteRecord(records, id)
      for (const record of rewrite.values()) writeRecord(records, record)
      if (fixSchema) meta.set('schema', ours)
      for (const key of dropMeta) meta.delete(key)
      for (const id of dropPaths) pathsOf(doc).delete(id)
    },
  }
}

function canMigrateFrom(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !('schemaVersion' in value)) return false
  try {
    return snurraSchema().getMigrationsSince(value as SerializedSchema).ok
  } catch {
    return false
  }
}
