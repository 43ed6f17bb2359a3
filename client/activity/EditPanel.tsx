import { useId } from 'react'
import type { Editor } from 'tldraw'
import type { ActivityRow } from '../../core/board-view.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { ActivityForm } from './ActivityForm.tsx'
import type { BoardLabels } from './board-labels.ts'

/** Other activities' responsible units, for the suggestion list. */
export function responsibleSuggestions(rows: ActivityRow[], exceptId: string): string[] {
  const values = new Set(rows.filter((r) => r.id !== exceptId && r.responsible.trim()).map((r) => r.responsible.trim()))
  return [...values].sort((a, b) => a.localeCompare(b, 'sv'))
}

/** The selected card's fields, beside the canvas. */
export function EditPanel(props: { editor: Editor; row: ActivityRow; rows: ActivityRow[]; labels: BoardLabels; readonly: boolean }) {
  const t = useT()
  const headingId = useId()
  return (
    <section className="panel-section activity-edit" aria-labelledby={headingId} data-testid="edit-panel">
      <h2 id={headingId}>{props.readonly ? t('activity.viewHeading') : t('activity.editHeading')}</h2>
      {props.readonly && <p className="hint">{t('activity.readonlyHint')}</p>}
      <ActivityForm editor={props.editor} row={props.row} labels={props.labels} suggestions={responsibleSuggestions(props.rows, props.row.id)} readonly={props.readonly} />
    </section>
  )
}
