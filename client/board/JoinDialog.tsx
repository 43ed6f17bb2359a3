import { useEffect, useId, useState, type FormEvent } from 'react'
import { useValue } from 'tldraw'
import type { Session } from '../api.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { PageShell } from '../components/PageShell.tsx'
import { useDocumentTitle } from '../i18n/useDocumentTitle.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { hasJoined, loadProfile, rememberJoined, saveProfile, type Profile } from './identity.ts'

/**
 * Asks for a display name and sector before entering; both are remembered on this device. A tab
 * that already joined this board (a reload, or the reset after a refused edit) goes straight in.
 */
export function JoinDialog({ connection, session, onJoin }: { connection: BoardConnection; session: Session; onJoin(profile: Profile): void }) {
  const t = useT()
  const ids = { heading: useId(), name: useId(), sector: useId(), error: useId() }
  const [initial] = useState(loadProfile)
  const [name, setName] = useState(initial.name)
  const [sector, setSector] = useState(initial.sector)
  const [error, setError] = useState(false)
  const meta = useValue('meta', () => connection.meta.get(), [connection])
  const sectors = meta?.template.sectors ?? null
  useDocumentTitle(meta?.title || session.title)
  const chosenSector = sectors && !sectors.some((s) => s.id === sector) ? '' : sector

  useEffect(() => {
    if (initial.name && hasJoined(session.boardId)) onJoin(initial)
  }, [initial, session.boardId, onJoin])

  function submit(e: FormEvent) {
    e.preventDefault()
    const trimmed = name.trim().slice(0, 80)
    if (!trimmed) {
      setError(true)
      document.getElementById(ids.name)?.focus()
      return
    }
    const profile = { name: trimmed, sector: chosenSector }
    saveProfile(profile)
    rememberJoined(session.boardId)
    onJoin(profile)
  }

  return (
    <PageShell variant="notice">
      <section className="card-panel" aria-labelledby={ids.heading}>
        <h1 id={ids.heading}>{t('join.heading', { title: meta?.title || session.title })}</h1>
        <p>{t('join.intro')}</p>
        <form onSubmit={submit} noValidate data-testid="join-form">
          <div className="field">
            <label htmlFor={ids.name}>{t('join.name')}</label>
            <input
              id={ids.name}
              name="name"
              type="text"
              autoComplete="name"
              maxLength={80}
              required
              autoFocus
              value={name}
              onChange={(e) => {
                setName(e.target.value)
                setError(false)
              }}
              aria-invalid={error || undefined}
              aria-describedby={error ? ids.error : undefined}
              data-testid="join-name"
            />
            {error && (
              <p id={ids.error} className="error-line" role="alert">
                {t('join.nameRequired')}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={ids.sector}>{t('join.sector')}</label>
            <select id={ids.sector} name="sector" value={chosenSector} onChange={(e) => setSector(e.target.value)} data-testid="join-sector" aria-busy={!sectors || undefined}>
              <option value="">{sectors ? t('join.sectorNone') : t('join.sectorsLoading')}</option>
              {sectors?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button primary" data-testid="join-submit">
            {t('join.submit')}
          </button>
        </form>
        <p className="hint">{t('role.label', { role: t(`role.${session.role}`) })}</p>
      </section>
    </PageShell>
  )
}
