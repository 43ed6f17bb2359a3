import { STATUSES, TIMEFRAMES } from '../../core/activity.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardLabels } from './board-labels.ts'
import { SelectField, type Option } from './fields.tsx'
import { STATUS_LABELS, TIMEFRAME_LABELS } from './labels.ts'
import { ANY } from './list-model.ts'

export type FilterKey = 'sector' | 'task' | 'path' | 'status' | 'timeframe'

/** Native selects, one per filter; ANY is "all", and '' (not set) is a value of its own. */
export function FilterBar(props: { keys: FilterKey[]; values: Record<string, string>; labels: BoardLabels; onChange(key: FilterKey, value: string): void; testId: string }) {
  const t = useT()
  const { labels } = props
  const options: Record<FilterKey, Option[]> = {
    sector: [{ value: ANY, label: t('list.allSectors') }, { value: '', label: t('activity.sectorNone') }, ...labels.sectors.map((s) => ({ value: s.id, label: s.label }))],
    task: [{ value: ANY, label: t('list.allTasks') }, ...labels.tasks.map((s) => ({ value: s.id, label: s.label }))],
    path: [{ value: ANY, label: t('list.allPaths') }, ...labels.paths.map((s) => ({ value: s.id, label: s.label }))],
    status: [{ value: ANY, label: t('list.allStatuses') }, ...STATUSES.map((s) => ({ value: s, label: t(STATUS_LABELS[s]) }))],
    timeframe: [{ value: ANY, label: t('list.allTimeframes') }, ...TIMEFRAMES.map((s) => ({ value: s, label: t(TIMEFRAME_LABELS[s]) }))],
  }
  const names: Record<FilterKey, string> = {
    sector: t('activity.sector'),
    task: t('list.filterTask'),
    path: t('list.filterPath'),
    status: t('activity.status'),
    timeframe: t('activity.timeframe'),
  }
  return (
    <fieldset className="filter-bar" data-testid={props.testId}>
      <legend>{t('list.filters')}</legend>
      {props.keys.map((key) => (
        <SelectField key={key} label={names[key]} value={props.values[key] ?? ANY} options={options[key]} onChange={(v) => props.onChange(key, v)} testId={`${props.testId}-${key}`} />
      ))}
    </fieldset>
  )
}
