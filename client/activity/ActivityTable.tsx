import { Fragment } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import type { ActivityRow } from '../../core/board-view.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { selectCard } from './actions.ts'
import type { BoardLabels } from './board-labels.ts'
import { listColumns, sectorName } from './columns.tsx'
import type { Sort, SortColumn } from './list-model.ts'
import { RowEditor } from './RowEditor.tsx'

export interface ActivityTableProps {
  editor: Editor
  rows: ActivityRow[]
  allRows: ActivityRow[]
  labels: BoardLabels
  full: boolean
  sort: Sort | null
  onSort(column: SortColumn): void
  selectedId: string | null
  focusTitleOf: string | null
  readonly: boolean
  onDeleted(title: string): void
}

/**
 * All activities as a table. The title is the row header and a button: it selects the card
 * on the canvas, and the selected row opens its editor right below it, so a keyboard user
 * goes row → fields without leaving the table.
 */
export function ActivityTable(props: ActivityTableProps) {
  const t = useT()
  const { rows, labels, full, sort } = props
  const columns = listColumns(t, labels).filter((c) => full || !c.fullOnly)
  const span = columns.length + 1

  const header = (label: string, column: SortColumn | undefined, id: string) => {
    const active = sort && column && sort.column === column ? sort.direction : undefined
    return (
      <th scope="col" key={id} className={`col-${id}`} aria-sort={active ?? (column ? 'none' : undefined)}>
        {column ? (
          <button type="button" className="sort-button" onClick={() => props.onSort(column)} data-testid={`sort-${column}`}>
            {label}
            <span aria-hidden="true" className="sort-mark">
              {active === 'ascending' ? '▲' : active === 'descending' ? '▼' : '↕'}
            </span>
          </button>
        ) : (
          label
        )}
      </th>
    )
  }

  return (
    <table className={full ? 'activity-table activity-table--full' : 'activity-table'} data-testid="activity-table">
      <caption>{t('list.caption', { shown: rows.length, total: props.allRows.length })}</caption>
      <thead>
        <tr>
          {header(t('activity.title'), 'title', 'title')}
          {columns.map((c) => header(t(c.heading), c.sort, c.id))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={span} className="empty-cell">
              {props.allRows.length === 0 ? t('list.empty') : t('list.noMatch')}
            </td>
          </tr>
        )}
        {rows.map((row) => {
          const selected = row.id === props.selectedId
          return (
            <Fragment key={row.id}>
            <tr className={selected ? 'is-selected' : undefined} aria-current={selected ? 'true' : undefined} data-testid="list-row" data-activity-id={row.id}>
              <th scope="row">
                <button type="button" className="row-select" aria-expanded={selected} onClick={() => selectCard(props.editor, row.id as TLShapeId)} data-testid="list-row-select">
                  {selected && <span aria-hidden="true">▸ </span>}
                  {row.title || t('card.untitled')}
                </button>
                {/* The side panel has no sector column: the sector goes under the title. */}
                {!full && row.sector && <span className="row-sub">{sectorName(labels, row.sector)}</span>}
              </th>
              {columns.map((c) => (
                <td key={c.id}>{c.cell(row, full)}</td>
              ))}
            </tr>
            {selected && (
              <tr className="row-editor">
                <td colSpan={span}>
                  <RowEditor
                    editor={props.editor}
                    row={row}
                    rows={props.allRows}
                    labels={labels}
                    readonly={props.readonly}
                    focusTitle={props.focusTitleOf === row.id}
                    onDeleted={props.onDeleted}
                  />
                </td>
              </tr>
            )}
            </Fragment>
          )
        })}
      </tbody>
    </table>
  )
}
