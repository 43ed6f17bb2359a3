import type { ActivityRow } from './board-view.ts'
import { computeCoverage, type Target } from './coverage.ts'
import { localIsoDate } from './file-name.ts'
import { heatFor } from './heat.ts'
import type { TemplateItem } from './template.ts'

/** The legend's words, from the i18n files (core stays free of any one language). */
export type LegendKey =
  | 'export.legendTasks'
  | 'export.legendPaths'
  | 'export.legendActivities'
  | 'export.legendActivitiesOne'
  | 'export.legendSelection'
  | 'export.legendUncovered'
  | 'export.legendDate'
  | 'export.legendSource'
  | 'coverage.taskShort'
  | 'coverage.pathShort'
export type LegendT = (key: LegendKey, vars?: Record<string, string | number>) => string

export interface LegendRow {
  kind: 'task' | 'path'
  id: string
  /** H1, V2 …: the same short names as the coverage panel. */
  short: string
  label: string
  count: number
  swatch: string
  /** No activity hits it: drawn dashed, as the ring hatches it, never told by colour alone. */
  uncovered: boolean
}

export interface LegendSection {
  heading: string
  rows: LegendRow[]
}

/** Everything the picture's header and legend say, as plain data (the SVG is built from it). */
export interface LegendModel {
  title: string
  dateLine: string
  source: string | null
  sections: LegendSection[]
  notes: string[]
}

export interface LegendInput {
  title: string
  date: Date
  /** The template's source line, so nobody takes the programme's words for Snurra's own. */
  source?: string
  tasks: TemplateItem[]
  paths: Target[]
  /** Every activity on the board: the counts are the board's, as the ring shows them. */
  activities: ActivityRow[]
  /** How many activities the picture shows, when it is a selection. */
  selectedActivities?: number
}

/** The legend's content, counted by core's computeCoverage like the ring and the coverage panel. */
export function legendModel(input: LegendInput, t: LegendT): LegendModel {
  const coverage = computeCoverage(input.activities, input.tasks, input.paths)
  const colorOf = new Map(input.tasks.map((task) => [task.id, task.color]))
  const sections: LegendSection[] = []
  if (coverage.tasks.length > 0) {
    sections.push({
      heading: t('export.legendTasks'),
      rows: coverage.tasks.map((task, i) => ({
        kind: 'task',
        id: task.id,
        short: t('coverage.taskShort', { n: i + 1 }),
        label: task.label,
        count: task.count,
        swatch: colorOf.get(task.id) ?? '#4a4f57',
        uncovered: false,
      })),
    })
  }
  if (coverage.paths.length > 0) {
    sections.push({
      heading: t('export.legendPaths'),
      rows: coverage.paths.map((path, i) => ({
        kind: 'path',
        id: path.id,
        short: t('coverage.pathShort', { n: i + 1 }),
        label: path.label,
        count: path.count,
        swatch: heatFor(path.count).fill,
        uncovered: path.count === 0,
      })),
    })
  }
  const total = coverage.activities.length
  const notes = [total === 1 ? t('export.legendActivitiesOne') : t('export.legendActivities', { count: total })]
  if (input.selectedActivities !== undefined) notes.push(t('export.legendSelection', { shown: input.selectedActivities, total }))
  if (coverage.uncoveredPaths.length > 0) notes.push(t('export.legendUncovered'))
  return {
    title: input.title,
    dateLine: t('export.legendDate', { date: localIsoDate(input.date) }),
    source: input.source ? t('export.legendSource', { source: input.source }) : null,
    sections,
    notes,
  }
}
