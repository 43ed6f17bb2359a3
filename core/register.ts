import { COLLABORATIONS, STATUSES, TIMEFRAMES, type Activity, type IdSet } from './activity.ts'
import type { ActivityRow, BoardView } from './board-view.ts'
import { computeCoverage, type Target } from './coverage.ts'

/**
 * The activity register and coverage matrix as rows of cells: what the CSV and XLSX exports
 * write and the CSV import reads back. Words come from the i18n files through `Labels`, so core
 * stays free of any one language.
 */
export const FIELD_COLUMNS = [
  'id',
  'title',
  'description',
  'sector',
  'responsible',
  'partners',
  'collaboration',
  'timeframe',
  'year',
  'status',
  'childRights',
] as const satisfies readonly (keyof Activity | 'id')[]
export type FieldColumn = (typeof FIELD_COLUMNS)[number]

/** Computed columns: written by the export, ignored by the import. */
export const COMPUTED_COLUMNS = ['pathsHit', 'votes'] as const
export type ComputedColumn = (typeof COMPUTED_COLUMNS)[number]

export type RegisterKey =
  | `register.column.${FieldColumn | ComputedColumn}`
  | 'register.column.task'
  | 'register.column.path'
  | 'register.matrix.activity'
  | 'register.matrix.total'
  | 'register.yes'
  | `activity.status.${(typeof STATUSES)[number]}`
  | `activity.timeframe.${Exclude<(typeof TIMEFRAMES)[number], ''>}`
  | `activity.collaboration.${Exclude<(typeof COLLABORATIONS)[number], ''>}`

export type Labels = (key: RegisterKey, vars?: Record<string, string>) => string

export type Cell = string | number
export interface Table {
  header: string[]
  rows: Cell[][]
}

export const targetsOf = (view: BoardView): { tasks: Target[]; paths: Target[] } => ({
  tasks: distinctLabels(view.meta.template.tasks),
  paths: distinctLabels(view.paths),
})

/**
 * Targets named so that no two share a name — "Läxhjälp", "Läxhjälp (2)" — because a column is
 * found again by its name when a register is imported.
 */
function distinctLabels(items: readonly Target[]): Target[] {
  const seen = new Map<string, number>()
  return items.map(({ id, label }) => {
    const key = label.trim().toLocaleLowerCase('sv')
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    return { id, label: n === 1 ? label : `${label} (${n})` }
  })
}

/**
 * An activity as a stored board may hold it: a board written before a validator existed, or
 * restored from an edited backup, can carry any JSON in a field. Every field is brought back to
 * its type here, so no export answers 500 and no cell is ever anything but text or a number
 * (an object could otherwise become a formula or hyperlink cell in a spreadsheet library).
 */
export function coerceActivity(raw: ActivityRow): ActivityRow {
  const a = raw as unknown as Record<string, unknown>
  const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '')
  const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback)
  const ids = (v: unknown): IdSet => {
    const out: IdSet = Object.create(null)
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k, flag] of Object.entries(v)) if (flag === true) out[k] = true
    return out
  }
  return {
    id: text(a.id),
    title: text(a.title),
    description: text(a.description),
    sector: text(a.sector),
    responsible: text(a.responsible),
    partners: text(a.partners),
    collaboration: oneOf(a.collaboration, COLLABORATIONS, ''),
    timeframe: oneOf(a.timeframe, TIMEFRAMES, ''),
    year: typeof a.year === 'number' && Number.isInteger(a.year) ? a.year : null,
    status: oneOf(a.status, STATUSES, 'idea'),
    childRights: a.childRights === true,
    tasks: ids(a.tasks),
    paths: ids(a.paths),
  }
}

/** The board with every activity coerced (see coerceActivity): what every export starts from. */
export const safeView = (view: BoardView): BoardView => ({ ...view, activities: view.activities.map(coerceActivity) })

/** A card's votes; results are stored by the server, but an old board may hold anything there. */
export function voteCount(votes: Readonly<Record<string, unknown>>, id: string): number {
  const n = Object.hasOwn(votes, id) ? votes[id] : 0
  return typeof n === 'number' && Number.isFinite(n) ? n : 0
}

/** The register's order: by title as a Swedish reader sorts, then by id so it is stable. */
export function registerOrder(activities: readonly ActivityRow[]): ActivityRow[] {
  return [...activities].sort((a, b) => a.title.localeCompare(b.title, 'sv') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

export function registerHeader(view: BoardView, t: Labels): string[] {
  const { tasks, paths } = targetsOf(view)
  return [
    ...FIELD_COLUMNS.map((c) => t(`register.column.${c}`)),
    ...tasks.map((task) => t('register.column.task', { name: task.label })),
    ...paths.map((path) => t('register.column.path', { name: path.label })),
    ...COMPUTED_COLUMNS.map((c) => t(`register.column.${c}`)),
  ]
}

/** One row per activity: its fields, 1 under each task and path it hits, paths hit, votes. */
export function registerTable(unsafe: BoardView, votes: Readonly<Record<string, number>>, t: Labels): Table {
  const view = safeView(unsafe)
  const { tasks, paths } = targetsOf(view)
  const sectors = new Map(view.meta.template.sectors.map((s) => [s.id, s.label]))
  const coverage = new Map(computeCoverage(view.activities, tasks, paths).activities.map((a) => [a.id, a]))
  const rows = registerOrder(view.activities).map((a): Cell[] => {
    const hits = coverage.get(a.id)!
    const hitTasks = new Set(hits.taskIds)
    const hitPaths = new Set(hits.pathIds)
    return [
      a.id,
      a.title,
      a.description,
      sectors.get(a.sector) ?? a.sector,
      a.responsible,
      a.partners,
      a.collaboration ? t(`activity.collaboration.${a.collaboration}`) : '',
      a.timeframe ? t(`activity.timeframe.${a.timeframe}`) : '',
      a.year ?? '',
      t(`activity.status.${a.status}`),
      a.childRights ? t('register.yes') : '',
      ...tasks.map((task) => (hitTasks.has(task.id) ? 1 : '')),
      ...paths.map((path) => (hitPaths.has(path.id) ? 1 : '')),
      hits.pathIds.length,
      voteCount(votes, a.id),
    ]
  })
  return { header: registerHeader(view, t), rows }
}

/**
 * Activities × main tasks and action paths, 1 where an activity hits one, with the number of
 * paths each activity hits and a last row of totals per task and per path.
 */
export function coverageMatrix(unsafe: BoardView, t: Labels): Table {
  const view = safeView(unsafe)
  const { tasks, paths } = targetsOf(view)
  const coverage = computeCoverage(view.activities, tasks, paths)
  const byId = new Map(coverage.activities.map((a) => [a.id, a]))
  const rows = registerOrder(view.activities).map((a): Cell[] => {
    const hits = byId.get(a.id)!
    return [
      a.title,
      ...tasks.map((task) => (hits.taskIds.includes(task.id) ? 1 : '')),
      ...paths.map((path) => (hits.pathIds.includes(path.id) ? 1 : '')),
      hits.pathIds.length,
    ]
  })
  rows.push([
    t('register.matrix.total'),
    ...coverage.tasks.map((c) => c.count),
    ...coverage.paths.map((c) => c.count),
    coverage.activities.reduce((sum, a) => sum + a.pathIds.length, 0),
  ])
  return {
    header: [
      t('register.matrix.activity'),
      ...tasks.map((task) => t('register.column.task', { name: task.label })),
      ...paths.map((path) => t('register.column.path', { name: path.label })),
      t('register.column.pathsHit'),
    ],
    rows,
  }
}
