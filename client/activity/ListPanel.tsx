import { useId, useRef, useState } from 'react'
import type { Editor } from 'tldraw'
import type { ActivityRow } from '../../core/board-view.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { addActivity } from './actions.ts'
import { ActivityTable } from './ActivityTable.tsx'
import type { BoardLabels } from './board-labels.ts'
import { EditPanel } from './EditPanel.tsx'
import { FilterBar, type FilterKey } from './FilterBar.tsx'
import { filterFrom, filterRows, sortRows, type Sort, type SortColumn } from './list-model.ts'

export interface ListPanelProps {
  editor: Editor
  rows: ActivityRow[]
  labels: BoardLabels
  selectedId: string | null
  readonly: boolean
  full: boolean
  onFullChange(full: boolean): void
}

const FILTERS: FilterKey[] = ['sector', 'task', 'path', 'status', 'timeframe']

/** The accessible list of every activity: filter, sort, select, add, edit and delete. */
export function ListPanel({ editor, rows, labels, selectedId, readonly, full, onFullChange }: ListPanelProps) {
  const t = useT()
  const headingId = useId()
  const addRef = useRef<HTMLButtonElement>(null)
  const [filters, setFilters] = useState<Record<string, string>>({})
  const [sort, setSort] = useState<Sort | null>(null)
  const [focusTitleOf, setFocusTitleOf] = useState<string | null>(null)
  const [message, setMessage] = useState('')

  const shown = sortRows(filterRows(rows, filterFrom(filters)), sort, labels)
  const selectedRow = selectedId ? rows.find((r) => r.id === selectedId) : undefined
  const selectedHidden = selectedRow && !shown.includes(selectedRow)

  const onSort = (column: SortColumn) =>
    setSort((s) => (s?.column === column ? (s.direction === 'ascending' ? { column, direction: 'descending' } : null) : { column, direction: 'ascending' }))

  const add = () => {
    const id = addActivity(editor)
    if (!id) return
    // A new card must be visible in the list to be edited there.
    setFilters({})
    setFocusTitleOf(id)
    setMessage(t('list.added'))
  }

  return (
    <section className="panel-section activity-list" aria-labelledby={headingId} data-testid="list-panel">
      <div className="panel-heading">
        <h2 id={headingId}>{t('list.heading')}</h2>
        <button type="button" className="button small" aria-pressed={full} onClick={() => onFullChange(!full)} data-testid="list-full">
          {t('list.fullPage')}
        </button>
      </div>
      {!readonly && (
        <button type="button" className="button primary" ref={addRef} onClick={add} data-testid="list-add">
          {t('list.add')}
        </button>
      )}
      <FilterBar keys={FILTERS} values={filters} labels={labels} onChange={(key, value) => setFilters((f) => ({ ...f, [key]: value }))} testId="list-filter" />
      <p role="status" className="status-line" data-testid="list-status">
        {message}
      </p>
      {selectedHidden && selectedRow && (
        <>
          <p className="hint">{t('list.selectedHidden')}</p>
          <EditPanel editor={editor} row={selectedRow} rows={rows} labels={labels} readonly={readonly} />
        </>
      )}
      <div className="table-scroll">
        <ActivityTable
          editor={editor}
          rows={shown}
          allRows={rows}
          labels={labels}
          full={full}
          sort={sort}
          onSort={onSort}
          selectedId={selectedId}
          focusTitleOf={focusTitleOf}
          readonly={readonly}
          onDeleted={(title) => {
            setMessage(t('list.deleted', { title }))
            addRef.current?.focus()
          }}
        />
      </div>
    </section>
  )
}
