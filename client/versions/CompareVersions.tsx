import { useId, useState, type FormEvent } from 'react'
import type { TemplateItem } from '../../core/template.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { CompareTable } from './CompareTable.tsx'
import { compareVersions, CURRENT, type Comparison, type VersionInfo } from './versions-api.ts'

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; result: Comparison } | { kind: 'error'; text: string }

/** Pick two versions (or a version and the board as it is now) and see what changed. */
export function CompareVersions({ boardId, token, versions, sectors }: { boardId: string; token: string; versions: VersionInfo[]; sectors: TemplateItem[] }) {
  const t = useT()
  const ids = { heading: useId(), from: useId(), to: useId() }
  // The usual question: what has happened since the latest saved version?
  const [from, setFrom] = useState(versions[versions.length - 1]?.id ?? '')
  const [to, setTo] = useState(CURRENT)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const fromId = versions.some((v) => v.id === from) ? from : (versions[versions.length - 1]?.id ?? '')

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (status.kind === 'busy' || !fromId) return
    setStatus({ kind: 'busy' })
    try {
      setStatus({ kind: 'done', result: await compareVersions(boardId, token, fromId, to) })
    } catch (err) {
      setStatus({ kind: 'error', text: t('versions.failed', { reason: (err as Error).message }) })
    }
  }

  return (
    <section className="export-section" aria-labelledby={ids.heading}>
      <h3 id={ids.heading}>{t('versions.compareHeading')}</h3>
      <form onSubmit={submit} className="inline-form" data-testid="compare-form">
        <p className="field">
          <label htmlFor={ids.from}>{t('versions.from')}</label>
          <select id={ids.from} value={fromId} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from">
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </p>
        <p className="field">
          <label htmlFor={ids.to}>{t('versions.to')}</label>
          <select id={ids.to} value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to">
            <option value={CURRENT}>{t('versions.current')}</option>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        </p>
        <button type="submit" className="button primary" data-testid="compare-submit">
          {t('versions.compare')}
        </button>
      </form>
      {status.kind === 'busy' && <p role="status">{t('versions.comparing')}</p>}
      {status.kind === 'error' && (
        <p role="alert" className="error-text">
          {status.text}
        </p>
      )}
      {status.kind === 'done' && <CompareTable result={status.result} sectors={sectors} />}
    </section>
  )
}
