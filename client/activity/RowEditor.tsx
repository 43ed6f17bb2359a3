import { useEffect, useRef, useState } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import type { ActivityRow } from '../../core/board-view.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { deleteActivity } from './actions.ts'
import { ActivityForm } from './ActivityForm.tsx'
import type { BoardLabels } from './board-labels.ts'
import { responsibleSuggestions } from './EditPanel.tsx'

/** The selected row's fields, and deleting it (asked twice: a deleted card is gone for everyone). */
export function RowEditor(props: { editor: Editor; row: ActivityRow; rows: ActivityRow[]; labels: BoardLabels; readonly: boolean; focusTitle: boolean; onDeleted(title: string): void }) {
  const t = useT()
  const [confirming, setConfirming] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const title = props.row.title || t('card.untitled')

  useEffect(() => {
    if (confirming) confirmRef.current?.focus()
  }, [confirming])

  return (
    <div className="row-editor__body" data-testid="row-editor">
      <ActivityForm editor={props.editor} row={props.row} labels={props.labels} suggestions={responsibleSuggestions(props.rows, props.row.id)} readonly={props.readonly} focusTitle={props.focusTitle} />
      {!props.readonly && (
        <div className="row-editor__delete">
          {confirming ? (
            <>
              <p>{t('list.deleteConfirm', { title })}</p>
              <button
                type="button"
                className="button danger"
                ref={confirmRef}
                onClick={() => {
                  deleteActivity(props.editor, props.row.id as TLShapeId)
                  props.onDeleted(title)
                }}
                data-testid="delete-confirm"
              >
                {t('list.deleteYes')}
              </button>
              <button type="button" className="button" onClick={() => setConfirming(false)}>
                {t('list.deleteNo')}
              </button>
            </>
          ) : (
            <button type="button" className="button" onClick={() => setConfirming(true)} data-testid="delete-activity">
              {t('list.delete')}
            </button>
          )}
        </div>
      )}
    </div>
  )
}
