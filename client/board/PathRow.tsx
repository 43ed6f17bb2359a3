import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { ActionPath } from '../../core/board-meta.ts'
import type { TemplateItem } from '../../core/template.ts'
import { useT } from '../i18n/I18nProvider.tsx'

export type PathAction = 'up' | 'down' | 'delete'

interface Props {
  path: ActionPath
  position: number
  total: number
  tasks: TemplateItem[]
  hits: number | null
  disabled: boolean
  /** Set while this row asks whether to delete a path that activities hit: how many. */
  confirming: number | null
  onRename(label: string): boolean
  onNest(taskId: string | null): void
  onMove(delta: number): void
  onDelete(): void
  onConfirmDelete(): void
  onCancelDelete(): void
}

/** One action path in the facilitator's editor: its name, its main task, its place and deletion. */
export function PathRow({ path, position, total, tasks, hits, disabled, confirming, onRename, onNest, onMove, onDelete, onConfirmDelete, onCancelDelete }: Props) {
  const t = useT()
  const ids = { name: useId(), nest: useId(), confirm: useId() }
  const [draft, setDraft] = useState(path.label)
  const [editing, setEditing] = useState(false)
  const cancel = useRef<HTMLButtonElement>(null)

  // Someone else's rename shows up unless this field is being edited.
  useEffect(() => {
    if (!editing) setDraft(path.label)
  }, [path.label, editing])
  useEffect(() => {
    if (confirming !== null) cancel.current?.focus()
  }, [confirming])

  const commit = () => {
    setEditing(false)
    if (draft.trim() === path.label) return setDraft(path.label)
    if (!onRename(draft)) setDraft(path.label)
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') e.currentTarget.blur()
    if (e.key === 'Escape') {
      setDraft(path.label)
      setEditing(false)
    }
  }

  return (
    <li className="path-row" data-path-id={path.id} data-testid="path-row">
      <div className="path-row__name">
        <label htmlFor={ids.name} className="path-row__number">
          {position}.<span className="visually-hidden"> {t('paths.nameLabel')}</span>
        </label>
        <input
          id={ids.name}
          value={draft}
          maxLength={200}
          disabled={disabled}
          onFocus={() => setEditing(true)}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={onKey}
          data-testid="path-name"
        />
      </div>
      {tasks.length > 0 && (
        <div className="path-row__nest">
          <label htmlFor={ids.nest}>{t('paths.nestLabel')}</label>
          <select id={ids.nest} value={path.taskId ?? ''} disabled={disabled} onChange={(e) => onNest(e.target.value || null)} data-testid="path-nest">
            <option value="">{t('paths.nestNone')}</option>
            {tasks.map((task) => (
              <option key={task.id} value={task.id}>
                {task.label}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="path-row__actions">
        {hits !== null && <span className={hits ? 'path-row__hits' : 'path-row__hits path-row__hits--none'}>{t(hits === 1 ? 'canvas.countOne' : 'canvas.countMany', { count: hits })}</span>}
        <button type="button" className="icon-button" data-action="up" disabled={disabled || position === 1} onClick={() => onMove(-1)} aria-label={t('paths.moveUp', { path: path.label })}>
          <span aria-hidden="true">↑</span>
        </button>
        <button type="button" className="icon-button" data-action="down" disabled={disabled || position === total} onClick={() => onMove(1)} aria-label={t('paths.moveDown', { path: path.label })}>
          <span aria-hidden="true">↓</span>
        </button>
        <button type="button" className="icon-button icon-button--danger" data-action="delete" disabled={disabled || confirming !== null} onClick={onDelete} aria-label={t('paths.delete', { path: path.label })} data-testid="path-delete">
          {t('paths.deleteShort')}
        </button>
      </div>
      {confirming !== null && (
        <div className="path-row__confirm" role="group" aria-labelledby={ids.confirm}>
          <p id={ids.confirm}>{t(confirming === 1 ? 'paths.deleteConfirmOne' : 'paths.deleteConfirm', { path: path.label, count: confirming })}</p>
          <p className="actions">
            <button type="button" className="button danger" onClick={onConfirmDelete} data-testid="path-delete-confirm">
              {t('paths.deleteYes')}
            </button>
            <button type="button" className="button" ref={cancel} onClick={onCancelDelete}>
              {t('paths.deleteNo')}
            </button>
          </p>
        </div>
      )}
    </li>
  )
}
