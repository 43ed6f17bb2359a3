import { useId, useState } from 'react'
import type { ActivityRow } from '../../core/board-view.ts'
import { computeCoverage, type TargetCount } from '../../core/coverage.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardLabels } from './board-labels.ts'
import { CoverageMatrix } from './CoverageMatrix.tsx'
import { FilterBar, type FilterKey } from './FilterBar.tsx'
import { filterFrom } from './list-model.ts'
import './coverage.css'

const FILTERS: FilterKey[] = ['sector', 'status', 'timeframe']

/** Live coverage from core's computeCoverage: counts per task and path, and the matrices. */
export function CoveragePanel({ rows, labels, full, onFullChange }: { rows: ActivityRow[]; labels: BoardLabels; full: boolean; onFullChange(full: boolean): void }) {
  const t = useT()
  const headingId = useId()
  const [filters, setFilters] = useState<Record<string, string>>({})
  const { sector, status, timeframe } = filterFrom(filters)
  const coverage = computeCoverage(rows, labels.tasks, labels.paths, { sector, status, timeframe })
  const uncovered = new Set(coverage.uncoveredPaths)
  const single = new Set(coverage.singlePathActivities)
  const covered = coverage.paths.length - uncovered.size

  const counts = (caption: string, items: TargetCount[], short: (n: number) => string, testId: string, flagEmpty: boolean) => {
    // The bar is a visual aid only; the number beside it carries the information.
    const max = Math.max(1, ...items.map((i) => i.count))
    return (
    <table className="coverage-counts" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('coverage.number')}</th>
          <th scope="col">{t('coverage.name')}</th>
          <th scope="col">{t('coverage.count')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item, i) => (
          <tr key={item.id} data-testid="count-row" data-id={item.id} data-count={item.count} className={flagEmpty && item.count === 0 ? 'is-uncovered' : undefined}>
            <td>{short(i + 1)}</td>
            <th scope="row">
              {item.label}
              {flagEmpty && item.count === 0 && (
                <span className="flag">
                  <span aria-hidden="true">⚠ </span>
                  {t('coverage.uncovered')}
                </span>
              )}
            </th>
            <td className="count-cell">
              <span className="count-bar" aria-hidden="true" style={{ width: `${(item.count / max) * 100}%` }} />
              <span className="count-value">{item.count}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    )
  }

  const taskShort = (n: number) => t('coverage.taskShort', { n })
  const pathShort = (n: number) => t('coverage.pathShort', { n })
  return (
    <section className="panel-section coverage-panel" aria-labelledby={headingId} data-testid="coverage-panel">
      <div className="panel-heading">
        <h2 id={headingId}>{t('coverage.heading')}</h2>
        <button type="button" className="button small" aria-pressed={full} onClick={() => onFullChange(!full)} data-testid="coverage-full">
          {t('list.fullPage')}
        </button>
      </div>
      <FilterBar keys={FILTERS} values={filters} labels={labels} onChange={(key, value) => setFilters((f) => ({ ...f, [key]: value }))} testId="coverage-filter" />
      <p data-testid="coverage-summary">
        {t(coverage.activities.length === 1 ? 'coverage.summaryActivitiesOne' : 'coverage.summaryActivities', { count: coverage.activities.length })}{' '}
        {t('coverage.summaryCovered', { covered, paths: coverage.paths.length })}{' '}
        {t(single.size === 1 ? 'coverage.summarySingleOne' : 'coverage.summarySingle', { count: single.size })}
      </p>
      {counts(t('coverage.perTask'), coverage.tasks, taskShort, 'task-counts', false)}
      {coverage.paths.length === 0 ? <p className="hint">{t('activity.noPaths')}</p> : counts(t('coverage.perPath'), coverage.paths, pathShort, 'path-counts', true)}
      {coverage.activities.length === 0 ? (
        <p className="hint">{t('coverage.noActivities')}</p>
      ) : (
        <>
          {coverage.paths.length > 0 && (
            <CoverageMatrix caption={t('coverage.matrixPaths')} targets={coverage.paths} short={pathShort} activities={coverage.activities} pick={(a) => a.pathIds} singleIds={single} testId="matrix-paths" />
          )}
          <CoverageMatrix caption={t('coverage.matrixTasks')} targets={coverage.tasks} short={taskShort} activities={coverage.activities} pick={(a) => a.taskIds} testId="matrix-tasks" />
        </>
      )}
    </section>
  )
}
