import type { ReactNode } from 'react'
import { idsIn } from '../../core/activity.ts'
import type { ActivityRow } from '../../core/board-view.ts'
import type { Translate } from '../i18n/I18nProvider.tsx'
import type { MessageKey } from '../i18n/messages.ts'
import type { BoardLabels } from './board-labels.ts'
import { STATUS_LABELS, TIMEFRAME_LABELS } from './labels.ts'
import type { SortColumn } from './list-model.ts'

export interface Column {
  id: string
  heading: MessageKey
  sort?: SortColumn
  /** Shown only in the full-page table; the side panel is too narrow for every field. */
  fullOnly?: boolean
  cell(row: ActivityRow, full: boolean): ReactNode
}

const namesOf = (set: Record<string, true>, items: { id: string; label: string }[]) =>
  items.filter((item) => set[item.id] === true).map((item) => item.label)

/** A sector's name, or the id itself when the template no longer has it. */
export function sectorName(labels: BoardLabels, id: string): string {
  return id ? (labels.sectors.find((s) => s.id === id)?.label ?? id) : ''
}

/**
 * The table's data columns after the title (the row header). Partners and own/with others
 * are edited in the row editor; as columns they made the full table wider than a laptop.
 */
export function listColumns(t: Translate, labels: BoardLabels): Column[] {
  const pathOrder = labels.paths.map((p) => p.id)
  const list = (names: string[]) => (names.length ? <ul className="cell-list">{names.map((n) => <li key={n}>{n}</li>)}</ul> : null)
  return [
    { id: 'sector', heading: 'activity.sector', sort: 'sector', fullOnly: true, cell: (r) => sectorName(labels, r.sector) },
    { id: 'responsible', heading: 'activity.responsible', sort: 'responsible', fullOnly: true, cell: (r) => r.responsible },
    { id: 'timeframe', heading: 'activity.timeframe', sort: 'timeframe', fullOnly: true, cell: (r) => (r.timeframe ? t(TIMEFRAME_LABELS[r.timeframe]) : '') },
    { id: 'year', heading: 'activity.year', sort: 'year', fullOnly: true, cell: (r) => r.year ?? '' },
    { id: 'status', heading: 'activity.status', sort: 'status', cell: (r) => t(STATUS_LABELS[r.status]) },
    { id: 'childRights', heading: 'list.childRightsShort', fullOnly: true, cell: (r) => (r.childRights ? t('list.yes') : t('list.no')) },
    { id: 'tasks', heading: 'activity.tasks', fullOnly: true, cell: (r) => list(namesOf(r.tasks, labels.tasks)) },
    {
      id: 'paths',
      heading: 'activity.paths',
      sort: 'paths',
      cell: (r, full) => (
        <>
          <span className="nowrap">{t('list.pathsCell', { count: idsIn(r.paths, pathOrder).length, total: pathOrder.length })}</span>
          {full && list(namesOf(r.paths, labels.paths))}
        </>
      ),
    },
  ]
}
