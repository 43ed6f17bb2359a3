import type { SerializedSchema } from '@tldraw/store'
import { DOCUMENT_ID, PAGE_ID } from '../circle.ts'
import { jsonEqual, type JsonRecord } from '../record-store.ts'
import { isPlainObject, jsonProblem } from './json.ts'
import { MAX_PARENT_DEPTH, RecordLinks } from './links.ts'
import { migrateRecord, recordFormProblem, validateRecord } from './record.ts'
import { snurraSchema } from './schema.ts'

export interface QuarantinedRecord {
  id: string
  problem: string
}

export interface StoredBoardVerdict {
  /** The records to serve: valid, migrated to our schema, repairs included. */
  records: JsonRecord[]
  /**
   * Records that differ from what is stored (migrated, moved to the page, or made again) and
   * must be written back by the server; after migrating, record our schema in `meta.schema` too.
   */
  repaired: JsonRecord[]
  /** Stored records that must not be served (keep them in storage, tell the facilitator). */
  quarantined: QuarantinedRecord[]
  /** The links of `records`, ready to judge the next changes. */
  links: RecordLinks
  /**
   * Why the stored schema was not used to migrate (null when it was, or there was none). A
   * participant could once write any `meta.schema` ("garbage", a version of 999) without
   * changing a record, so such a schema is ignored and the records are judged as they are.
   */
  schemaProblem: string | null
}

/**
 * Judges a board's stored records on load (issue 11, part 7): content written before the server
 * validated anything may hold records no browser can show, or links that hang every tab.
 * Each record is migrated from the board's stored schema and validated on its own; the ones that
 * fail are quarantined. Links are then repaired rather than dropped, so no valid content is
 * lost: a shape whose parent is missing, quarantined or part of a cycle, or that is nested too
 * deep, is moved to the page; a binding whose shape is gone is quarantined (it holds nothing on
 * its own); a missing document or page is made again. Cost O(records × MAX_PARENT_DEPTH).
 */
export function judgeStoredRecords(stored: Iterable<readonly [string, unknown]>, storedSchema: SerializedSchema | null): StoredBoardVerdict {
  const schemaProblem = storedSchema === null ? null : unusableSchema(storedSchema)
  const fromSchema = schemaProblem ? null : storedSchema
  const quarantined: QuarantinedRecord[] = []
  const valid = new Map<string, JsonRecord>()
  const repaired = new Map<string, JsonRecord>()
  for (const [id, value] of stored) {
    const problem = recordProblem(id, value, fromSchema, valid)
    if (problem) quarantined.push({ id, problem })
    else if (!jsonEqual(valid.get(id), value)) repaired.set(id, valid.get(id)!) // migrated
  }
  if (!valid.has(DOCUMENT_ID)) repaired.set(DOCUMENT_ID, { id: DOCUMENT_ID, typeName: 'document', gridSize: 10, name: '', meta: {} })
  if (!valid.has(PAGE_ID)) repaired.set(PAGE_ID, { id: PAGE_ID, typeName: 'page', name: '', index: 'a1', meta: {} })
  for (const record of repaired.values()) valid.set(record.id, record)

  for (const id of brokenShapes(valid)) {
    const record: JsonRecord = { ...valid.get(id)!, parentId: PAGE_ID }
    valid.set(id, record)
    repaired.set(id, record)
  }
  for (const record of valid.values()) {
    if (record.typeName !== 'binding') continue
    const dangling = [record.fromId, record.toId].find((end) => valid.get(end as string)?.typeName !== 'shape')
    if (dangling === undefined) continue
    valid.delete(record.id)
    quarantined.push({ id: record.id, problem: `the binding's end ${String(dangling).slice(0, 100)} is not a shape on the board` })
  }
  const records = [...valid.values()]
  return { records, repaired: [...repaired.values()], quarantined, links: new RecordLinks(records), schemaProblem }
}

function unusableSchema(schema: SerializedSchema): string | null {
  if (!isPlainObject(schema) || jsonProblem(schema, { maxDepth: 4, maxNodes: 5_000, maxChars: 200_000 })) return 'the stored schema is not a schema'
  try {
    const steps = snurraSchema().getMigrationsSince(schema)
    return steps.ok ? null : `the stored schema cannot be migrated from: ${steps.error}`
  } catch (error) {
    return `the stored schema cannot be migrated from: ${(error as Error)?.message ?? error}`
  }
}

function recordProblem(id: string, value: unknown, fromSchema: SerializedSchema | null, valid: Map<string, JsonRecord>): string | null {
  if (!isPlainObject(value) || value.id !== id) return 'not a record stored under its own id'
  // Judged before migrating too: a migration must only ever see plain, bounded data.
  const before = recordFormProblem(value)
  if (before) return before
  const migrated = migrateRecord(value as JsonRecord, fromSchema)
  if (!migrated.ok) return migrated.problem
  const verdict = validateRecord(migrated.record)
  if (!verdict.ok) return verdict.problem
  valid.set(id, verdict.record)
  return null
}

/**
 * The shapes to move to the page so that every shape's parents lead to it within
 * MAX_PARENT_DEPTH: the lowest shape whose parent is neither a shape nor the page, one shape of
 * each cycle (the smallest id, so the result does not depend on the order), and a shape every
 * MAX_PARENT_DEPTH levels of a chain that is too deep. Each shape is resolved once.
 */
function brokenShapes(records: Map<string, JsonRecord>): Set<string> {
  const out = new Set<string>()
  /** Resolved shapes: how many shapes are above each. */
  const level = new Map<string, number>()
  for (const record of records.values()) {
    if (record.typeName !== 'shape' || level.has(record.id)) continue
    let chain: string[]
    let base: number
    for (;;) {
      chain = [record.id]
      const onChain = new Set(chain)
      let cycle = false
      for (;;) {
        const at = chain[chain.length - 1]
        const parentId = out.has(at) ? PAGE_ID : (records.get(at)!.parentId as string)
        const parent = records.get(parentId)
        if (parent?.typeName === 'page') base = 0
        else if (level.has(parentId)) base = level.get(parentId)! + 1
        else if (parent?.typeName !== 'shape') {
          out.add(at)
          base = 0
        } else if (onChain.has(parentId)) {
          const members = chain.slice(chain.indexOf(parentId))
          out.add(members.reduce((min, id) => (id < min ? id : min)))
          cycle = true
        } else {
          chain.push(parentId)
          onChain.add(parentId)
          continue
        }
        break
      }
      if (!cycle) break // else walk again: the cycle is cut now
    }
    // From the top of the chain down, cutting it again wherever it gets too deep.
    for (let i = chain.length - 1, at = base!; i >= 0; i--, at++) {
      if (at >= MAX_PARENT_DEPTH) {
        out.add(chain[i])
        at = 0
      }
      level.set(chain[i], at)
    }
  }
  return out
}
