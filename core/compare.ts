import { idsIn, type Activity } from './activity.ts'
import type { ActivityRow, BoardView } from './board-view.ts'
import { registerOrder, targetsOf } from './register.ts'

/**
 * What changed between two states of a board (two named versions, or a version and now): the
 * yearly follow-up asks which activities were added, which were dropped, and which moved on
 * (status) or changed what they hit (tasks, paths).
 */
export type ComparedField = keyof Activity
export type FieldValue = string | number | boolean | null | string[]

export interface FieldChange {
  field: ComparedField
  before: FieldValue
  after: FieldValue
}

export interface ActivityRef {
  id: string
  title: string
}

export interface BoardComparison {
  added: ActivityRef[]
  removed: ActivityRef[]
  changed: (ActivityRef & { changes: FieldChange[] })[]
}

const FIELDS: readonly ComparedField[] = ['title', 'description', 'sector', 'responsible', 'partners', 'collaboration', 'timeframe', 'year', 'status', 'childRights', 'tasks', 'paths']

export function compareBoards(before: BoardView, after: BoardView): BoardComparison {
  const old = new Map(before.activities.map((a) => [a.id, a]))
  const now = new Map(after.activities.map((a) => [a.id, a]))
  const ref = (a: ActivityRow): ActivityRef => ({ id: a.id, title: a.title })
  const result: BoardComparison = { added: [], removed: [], changed: [] }
  for (const a of registerOrder(after.activities)) if (!old.has(a.id)) result.added.push(ref(a))
  for (const a of registerOrder(before.activities)) if (!now.has(a.id)) result.removed.push(ref(a))
  for (const a of registerOrder(after.activities)) {
    const b = old.get(a.id)
    if (!b) continue
    const changes: FieldChange[] = []
    for (const field of FIELDS) {
      const was = valueOf(b, field, before)
      const is = valueOf(a, field, after)
      if (JSON.stringify(was) !== JSON.stringify(is)) changes.push({ field, before: was, after: is })
    }
    if (changes.length) result.changed.push({ ...ref(a), changes })
  }
  return result
}

/** A field as a reader compares it: tasks and paths as their names, in board order. */
function valueOf(activity: ActivityRow, field: ComparedField, view: BoardView): FieldValue {
  if (field === 'tasks' || field === 'paths') {
    const targets = targetsOf(view)[field]
    const labels = new Map(targets.map((t) => [t.id, t.label]))
    return idsIn(activity[field], targets.map((t) => t.id)).map((id) => labels.get(id)!)
  }
  return activity[field]
}
