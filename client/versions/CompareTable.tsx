import { useEffect, useId, useRef } from 'react'
import type { TemplateItem } from '../../core/template.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { fieldLabel, valueText } from './change-labels.ts'
import type { Comparison, FieldValue } from './versions-api.ts'

/** What changed between two versions: added and removed activities, and a table of changed fields. */
export function CompareTable({ result, sectors }: { result: Comparison; sectors: TemplateItem[] }) {
  const t = useT()
  const ids = { added: useId(), removed: useId() }
  const { added, removed, changed } = result
  // The result opens below the form, often below the fold: bring it into view (its summary is a
  // status message, so screen readers hear it without a focus move).
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => box.current?.scrollIntoView({ block: 'nearest' }), [result])
  const value = (field: string, v: FieldValue) => {
    const words = valueText(field, v, t, sectors).filter((w) => w !== '')
    if (words.length === 0) return <span className="muted">{t('versions.emptyValue')}</span>
    return words.length === 1 ? words[0] : <ul className="cell-list">{words.map((w, i) => <li key={i}>{w}</li>)}</ul>
  }
  return (
    <div className="compare-result" ref={box} data-testid="compare-result">
      <p role="status" data-testid="compare-summary">
        {t('versions.compareSummary', { from: result.from.name ?? t('versions.current'), to: result.to.name ?? t('versions.current'), added: added.length, removed: removed.length, changed: changed.length })}
      </p>
      {added.length + removed.length + changed.length === 0 && <p>{t('versions.noDifferences')}</p>}
      {added.length > 0 && (
        <>
          <h4 id={ids.added}>{t('versions.added')}</h4>
          <ul aria-labelledby={ids.added} data-testid="compare-added">
            {added.map((a) => (
              <li key={a.id}>{a.title || t('card.untitled')}</li>
            ))}
          </ul>
        </>
      )}
      {removed.length > 0 && (
        <>
          <h4 id={ids.removed}>{t('versions.removed')}</h4>
          <ul aria-labelledby={ids.removed} data-testid="compare-removed">
            {removed.map((a) => (
              <li key={a.id}>{a.title || t('card.untitled')}</li>
            ))}
          </ul>
        </>
      )}
      {changed.length > 0 && (
        <table className="compare-table" data-testid="compare-changed">
          <caption>{t('versions.changed')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('versions.colActivity')}</th>
              <th scope="col">{t('versions.colField')}</th>
              <th scope="col">{t('versions.colBefore')}</th>
              <th scope="col">{t('versions.colAfter')}</th>
            </tr>
          </thead>
          {/* One row group per activity, so its name (rowspan) heads every changed field's row. */}
          {changed.map((a) => (
            <tbody key={a.id}>
              {a.changes.map((c, i) => (
                <tr key={c.field} data-activity={a.id} data-field={c.field}>
                  {i === 0 && (
                    <th scope="rowgroup" rowSpan={a.changes.length}>
                      {a.title || t('card.untitled')}
                    </th>
                  )}
                  <td>{fieldLabel(c.field, t)}</td>
                  <td>{value(c.field, c.before)}</td>
                  <td>{value(c.field, c.after)}</td>
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      )}
    </div>
  )
}
