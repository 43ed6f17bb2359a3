import type * as Y from 'yjs'
import { defaultActivity, type Activity } from './activity.ts'
import { readMeta, readPaths, type ActionPath, type BoardMeta } from './board-meta.ts'
import { readAllRecords, type JsonRecord } from './record-store.ts'
import { CARD_TYPE } from './shapes.ts'

export interface ActivityRow extends Activity {
  id: string
}

/** The board as plain data: what coverage, the list view and the exports all start from. */
export interface BoardView {
  meta: BoardMeta
  paths: ActionPath[]
  activities: ActivityRow[]
}

export function isCardRecord(record: JsonRecord): boolean {
  return record.typeName === 'shape' && record.type === CARD_TYPE
}

/** A card record's activity, with defaults for any field an older card lacks. */
export function activityFromRecord(record: JsonRecord): ActivityRow {
  const props = (record.props ?? {}) as Partial<Activity>
  const base = defaultActivity()
  const row: ActivityRow = { id: record.id, ...base }
  for (const key of Object.keys(base) as (keyof Activity)[]) {
    if (props[key] !== undefined) (row as unknown as Record<string, unknown>)[key] = props[key]
  }
  return row
}

export function readBoardView(doc: Y.Doc): BoardView | null {
  const meta = readMeta(doc)
  if (!meta) return null
  const activities = readAllRecords(doc).filter(isCardRecord).map(activityFromRecord)
  activities.sort((a, b) => (a.id < b.id ? -1 : 1))
  return { meta, paths: readPaths(doc), activities }
}
