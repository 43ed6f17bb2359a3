import type { ActivityCoverage, Target } from '../../core/coverage.ts'
import { useT } from '../i18n/I18nProvider.tsx'

/**
 * Activities × targets (paths or tasks) with ✓ marks. Column headers are short numbers that
 * match the counts table; screen readers hear the full name and "yes"/"no" in every cell.
 */
export function CoverageMatrix(props: { caption: string; targets: Target[]; short(n: number): string; activities: ActivityCoverage[]; pick(a: ActivityCoverage): string[]; singleIds?: Set<string>; testId: string }) {
  const t = useT()
  return (
    // Focusable so a keyboard can scroll a matrix wider than the panel (nothing in it takes focus).
    <div className="table-scroll" tabIndex={0} role="region" aria-label={props.caption}>
      <table className="coverage-matrix" data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('coverage.activity')}</th>
            {props.targets.map((target, i) => (
              <th scope="col" key={target.id} title={target.label}>
                <span aria-hidden="true">{props.short(i + 1)}</span>
                <span className="visually-hidden">{target.label}</span>
              </th>
            ))}
            <th scope="col">{t('coverage.sum')}</th>
          </tr>
        </thead>
        <tbody>
          {props.activities.map((a) => {
            const hits = new Set(props.pick(a))
            const single = props.singleIds?.has(a.id)
            return (
              <tr key={a.id} data-testid="matrix-row" data-single={single || undefined}>
                <th scope="row">
                  {a.title || t('card.untitled')}
                  {single && (
                    <span className="flag">
                      <span aria-hidden="true">⚠ </span>
                      {t('coverage.singlePath')}
                    </span>
                  )}
                </th>
                {props.targets.map((target) => (
                  <td key={target.id} className={hits.has(target.id) ? 'hit' : undefined}>
                    <span aria-hidden="true">{hits.has(target.id) ? '✓' : ''}</span>
                    <span className="visually-hidden">{hits.has(target.id) ? t('coverage.hit') : t('coverage.noHit')}</span>
                  </td>
                ))}
                <td>{hits.size}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
