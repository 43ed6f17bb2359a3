import { idsIn, type Status, type Timeframe } from './activity.ts'
import type { ActivityRow } from './board-view.ts'

/**
 * Which activity hits which main task and action path, and the counts the board shows. Computed
 * here once for the canvas, the coverage panel and the exports.
 */
export interface CoverageFilter {
  sector?: string
  status?: Status
  timeframe?: Timeframe
}

export interface Target {
  id: string
  label: string
}

export interface TargetCount extends Target {
  count: number
}

export interface ActivityCoverage {
  id: string
  title: string
  taskIds: string[]
  pathIds: string[]
}

export interface Coverage {
  tasks: TargetCount[]
  paths: TargetCount[]
  activities: ActivityCoverage[]
  /** Paths that no (filtered) activity hits. */
  uncoveredPaths: string[]
  /** Activities that hit exactly one path: the programme asks for several. */
  singlePathActivities: string[]
  /** The largest path count, for scaling a heat colour. */
  maxPathCount: number
}

export function matchesFilter(activity: ActivityRow, filter: CoverageFilter): boolean {
  if (filter.sector !== undefined && activity.sector !== filter.sector) return false
  if (filter.status !== undefined && activity.status !== filter.status) return false
  if (filter.timeframe !== undefined && activity.timeframe !== filter.timeframe) return false
  return true
}

export function computeCoverage(activities: ActivityRow[], tasks: Target[], paths: Target[], filter: CoverageFilter = {}): Coverage {
  const taskOrder = tasks.map((t) => t.id)
  const pathOrder = paths.map((p) => p.id)
  const taskCounts = new Map(taskOrder.map((id) => [id, 0]))
  const pathCounts = new Map(pathOrder.map((id) => [id, 0]))
  const rows: ActivityCoverage[] = []
  for (const activity of activities) {
    if (!matchesFilter(activity, filter)) continue
    // References to deleted tasks or paths are ignored rather than counted.
    const taskIds = idsIn(activity.tasks, taskOrder)
    const pathIds = idsIn(activity.paths, pathOrder)
    for (const id of taskIds) taskCounts.set(id, taskCounts.get(id)! + 1)
    for (const id of pathIds) pathCounts.set(id, pathCounts.get(id)! + 1)
    rows.push({ id: activity.id, title: activity.title, taskIds, pathIds })
  }
  const pathTotals = paths.map((p) => ({ id: p.id, label: p.label, count: pathCounts.get(p.id)! }))
  return {
    tasks: tasks.map((t) => ({ id: t.id, label: t.label, count: taskCounts.get(t.id)! })),
    paths: pathTotals,
    activities: rows,
    uncoveredPaths: pathTotals.filter((p) => p.count === 0).map((p) => p.id),
    singlePathActivities: rows.filter((r) => r.pathIds.length === 1).map((r) => r.id),
    maxPathCount: pathTotals.reduce((max, p) => Math.max(max, p.count), 0),
  }
}
