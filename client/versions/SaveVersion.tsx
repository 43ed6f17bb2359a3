import { useId, useState, type FormEvent } from 'react'
import { isoDate } from '../export/file-name.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { limitMessage } from '../limit-messages.ts'
import { saveVersion } from './versions-api.ts'

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'saved'; name: string } | { kind: 'error'; text: string }

/** Facilitator only: saves the board as it is now under a name ("Workshop 2026-11-23"). */
export function SaveVersion({ boardId, token, onSaved }: { boardId: string; token: string; onSaved(): void }) {
  const t = useT()
  const ids = { heading: useId(), name: useId() }
  const [name, setName] = useState(() => t('versions.defaultName', { date: isoDate(new Date()) }))
  const [status, setStatus] = useState<Status>({ kind: 'idle' })

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (status.kind === 'busy') return
    const trimmed = name.trim()
    if (!trimmed) return setStatus({ kind: 'error', text: t('versions.nameRequired') })
    setStatus({ kind: 'busy' })
    try {
      const saved = await saveVersion(boardId, token, trimmed)
      setStatus({ kind: 'saved', name: saved.name || trimmed })
      onSaved()
    } catch (err) {
      setStatus({ kind: 'error', text: limitMessage(t, err) ?? t('versions.failed', { reason: (err as Error).message }) })
    }
  }

  return (
    <section className="export-section" aria-labelledby={ids.heading}>
      <h3 id={ids.heading}>{t('versions.saveHeading')}</h3>
      <form onSubmit={submit} className="inline-form" data-testid="version-save-form">
        <p className="field">
          <label htmlFor={ids.name}>{t('versions.name')}</label>
          <input id={ids.name} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="version-name" />
        </p>
        <button type="submit" className="button primary" data-testid="version-save">
          {t('versions.save')}
        </button>
      </form>
      <p role="status" aria-live="polite" className={status.kind === 'error' ? 'status-line error-text' : 'status-line'} data-testid="version-save-status" data-state={status.kind}>
        {status.kind === 'busy' ? t('versions.saving') : status.kind === 'saved' ? t('versions.saved', { name: status.name }) : status.kind === 'error' ? status.text : ''}
      </p>
    </section>
  )
}
