import type { JsonRecord } from '../record-store.ts'
import type { RecordLinks } from './links.ts'
import { validateRecord } from './record.ts'

/** At most this many problems are reported for one update. */
const MAX_PROBLEMS = 20

/**
 * Judges the records one update would create, change or delete (`null` or `undefined` for a
 * deletion), each on its own and then their links against the board: what the write pipeline
 * asks before it applies an update. Each problem starts with the record's id. When there are
 * none, `records` holds the validated changes for `links.commit` once the update is applied.
 */
export function judgeRecordChanges(links: RecordLinks, changes: Iterable<readonly [string, unknown]>): { records: Map<string, JsonRecord | null>; problems: string[] } {
  const records = new Map<string, JsonRecord | null>()
  const problems: string[] = []
  for (const [id, value] of changes) {
    if (problems.length >= MAX_PROBLEMS) break
    if (value === null || value === undefined) {
      records.set(id, null)
      continue
    }
    const verdict = validateRecord(value)
    if (!verdict.ok) problems.push(`${id.slice(0, 100)}: ${verdict.problem}`)
    else records.set(id, verdict.record)
  }
  if (problems.length === 0) problems.push(...links.problems(records))
  return { records, problems }
}
