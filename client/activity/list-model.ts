import { STATUSES, TIMEFRAMES, idsIn, type Status, type Timeframe } from '../../core/activity.ts'
import type { ActivityRow } from '../../core/board-view.ts'
import { matchesFilter, type CoverageFilter } from '../../core/coverage.ts'
import type { BoardLabels } from './board-labels.ts'

/** The list's filters: coverage's (sector, status, timeframe) plus one task and one path. */
export interface ListFilter extends CoverageFilter {
  task?: string
  path?: string
}

export const ANY = '*'

/** A filter from select values, where ANY means "no filter" ('' is a real value: not set). */
export function filterFrom(values: Record<string, string>): ListFilter {
  const pick = (key: string) => (values[key] === undefined || values[key] === ANY ? undefined : values[key])
  return {
    sector: pick('sector'),
    status: pick('status') as Status | undefined,
    timeframe: pick('timeframe') as Timeframe | undefined,
    task: pick('task'),
    path: pick('path'),
  }
}

export function filterRows(rows: ActivityRow[], filter: ListFilter): ActivityRow[] {
  return rows.filter(
    (row) => matchesFilter(row, filter) && (filter.task === undefined || row.tasks[filter.task] === true) && (filter.path === undefined || row.paths[filter.path] === true),
  )
}

export const SORT_COLUMNS = ['title', 'sector', 'responsible', 'status', 'timeframe', 'year', 'paths'] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]
export interface Sort {
  column: SortColumn
  direction: 'ascending' | 'descending'
}

const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true })

/** Sorted copy; ties keep board order. Empty values go last in both directions. */
export function sortRows(rows: ActivityRow[], sort: Sort | null, labels: BoardLabels): ActivityRow[] {
  if (!sort) return rows
  const pathOrder = labels.paths.map((p) => p.id)
  const sectorLabel = (id: string) => labels.sectors.find((s) => s.id === id)?.label ?? id
  const key = (row: ActivityRow): string | number | null => {
    switch (sort.column) {
      case 'title':
        return row.title || null
      case 'sector':
        return row.sector ? sectorLabel(row.sector) : null
      case 'responsible':
        return row.responsible || null
      case 'status':
        return STATUSES.indexOf(row.status)
      case 'timeframe':
        return row.timeframe ? TIMEFRAMES.indexOf(row.timeframe) : null
      case 'year':
        return row.year
      case 'paths':
        return idsIn(row.paths, pathOrder).length
    }
  }
  const sign = sort.direction === 'ascending' ? 1 : -1
  return rows
    .map((row, index) => ({ row, index, key: key(row) }))
    .sort((a, b) => {
      if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1
      const c = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : collator.compare(String(a.key), String(b.key))
      return c !== 0 ? sign * c : a.index - b.index
    })
    .map((entry) => entry.row)
}
