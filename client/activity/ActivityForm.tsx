import { useEffect, useId, useRef } from 'react'
import type { Editor, TLShapeId } from 'tldraw'
import { COLLABORATIONS, LIMITS, STATUSES, TIMEFRAMES, type Activity, type Collaboration, type Status, type Timeframe } from '../../core/activity.ts'
import type { ActivityRow } from '../../core/board-view.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { updateActivity, withId } from './actions.ts'
import type { BoardLabels } from './board-labels.ts'
import { SelectField, TextField } from './fields.tsx'
import { IdChecklist } from './IdChecklist.tsx'
import { COLLABORATION_LABELS, STATUS_LABELS, TIMEFRAME_LABELS } from './labels.ts'
import { YearField } from './YearField.tsx'

export interface ActivityFormProps {
  editor: Editor
  row: ActivityRow
  labels: BoardLabels
  /** Other cards' responsible units, offered as suggestions. */
  suggestions: string[]
  readonly: boolean
  focusTitle?: boolean
}

/** Every field of one activity. Each change is one editor update, synced like a canvas edit. */
export function ActivityForm({ editor, row, labels, suggestions, readonly, focusTitle }: ActivityFormProps) {
  const t = useT()
  const listId = useId()
  const titleRef = useRef<HTMLInputElement>(null)
  const id = row.id as TLShapeId
  const set = (props: Partial<Activity>) => updateActivity(editor, id, props)

  useEffect(() => {
    if (focusTitle) titleRef.current?.focus()
  }, [focusTitle, id])

  const sectorOptions = [{ value: '', label: t('activity.sectorNone') }, ...labels.sectors.map((s) => ({ value: s.id, label: s.label }))]
  // A sector id the template no longer has stays visible rather than silently showing "none".
  if (row.sector && !labels.sectors.some((s) => s.id === row.sector)) sectorOptions.push({ value: row.sector, label: row.sector })

  return (
    <fieldset className="activity-form" disabled={readonly} data-testid="activity-form" data-activity-id={row.id}>
      <legend className="visually-hidden">{t('activity.formLegend', { title: row.title || t('card.untitled') })}</legend>
      <TextField label={t('activity.title')} value={row.title} maxLength={LIMITS.title} onChange={(title) => set({ title })} inputRef={titleRef} testId="activity-title" />
      <TextField label={t('activity.description')} value={row.description} maxLength={LIMITS.text} onChange={(description) => set({ description })} multiline />
      <SelectField label={t('activity.sector')} value={row.sector} options={sectorOptions} onChange={(sector) => set({ sector })} testId="activity-sector" />
      <TextField
        label={t('activity.responsible')}
        value={row.responsible}
        maxLength={LIMITS.title}
        list={listId}
        onChange={(responsible) => set({ responsible })}
        extra={
          <datalist id={listId}>
            {suggestions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        }
      />
      <TextField label={t('activity.partners')} value={row.partners} maxLength={LIMITS.text} onChange={(partners) => set({ partners })} />
      <SelectField
        label={t('activity.collaboration')}
        value={row.collaboration}
        options={COLLABORATIONS.map((c) => ({ value: c, label: t(COLLABORATION_LABELS[c]) }))}
        onChange={(v) => set({ collaboration: v as Collaboration })}
      />
      <SelectField
        label={t('activity.timeframe')}
        value={row.timeframe}
        options={TIMEFRAMES.map((v) => ({ value: v, label: t(TIMEFRAME_LABELS[v]) }))}
        onChange={(v) => set({ timeframe: v as Timeframe })}
      />
      <YearField value={row.year} onChange={(year) => set({ year })} />
      <SelectField
        label={t('activity.status')}
        value={row.status}
        options={STATUSES.map((v) => ({ value: v, label: t(STATUS_LABELS[v]) }))}
        onChange={(v) => set({ status: v as Status })}
        testId="activity-status"
      />
      <div className="check">
        <input type="checkbox" id={`${listId}-child`} checked={row.childRights} onChange={(e) => set({ childRights: e.target.checked })} />
        <label htmlFor={`${listId}-child`}>{t('activity.childRights')}</label>
      </div>
      <IdChecklist
        legend={t('activity.tasks')}
        empty={t('activity.noTasks')}
        items={labels.tasks}
        value={row.tasks}
        onChange={(taskId, on) => set({ tasks: withId(row.tasks, taskId, on) })}
        testId="activity-tasks"
      />
      <IdChecklist
        legend={t('activity.paths')}
        empty={t('activity.noPaths')}
        items={labels.paths}
        value={row.paths}
        onChange={(pathId, on) => set({ paths: withId(row.paths, pathId, on) })}
        testId="activity-paths"
      />
    </fieldset>
  )
}
