import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react'
import type { CreatedBoard } from '../api.ts'
import { useI18n, useT } from '../i18n/I18nProvider.tsx'
import { limitMessage } from '../limit-messages.ts'
import { CreatedLinks } from '../start/CreatedLinks.tsx'
import { importBackup, importCsv, ImportRejected, type LineError } from './data-api.ts'

type CsvStatus = { kind: 'idle' } | { kind: 'busy' } | { kind: 'added'; count: number } | { kind: 'rejected'; errors: LineError[]; message: string } | { kind: 'error'; text: string }

/** Facilitator only: add activities from a CSV file, or restore a JSON backup as a new board. */
export function ImportSection({ boardId, token }: { boardId: string; token: string }) {
  const t = useT()
  const headingId = useId()
  return (
    <section className="export-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('import.heading')}</h3>
      <CsvImport boardId={boardId} token={token} />
      <BackupRestore boardId={boardId} token={token} />
    </section>
  )
}

function CsvImport({ boardId, token }: { boardId: string; token: string }) {
  const { t, lang } = useI18n()
  const ids = { errors: useId() }
  const file = useRef<HTMLInputElement>(null)
  const errorsHeading = useRef<HTMLHeadingElement>(null)
  const [status, setStatus] = useState<CsvStatus>({ kind: 'idle' })
  // The list is what the user must work through: take them to it once it is on the page (after
  // the render, not a frame later: under load the frame can come first).
  useEffect(() => {
    if (status.kind === 'rejected') errorsHeading.current?.focus()
  }, [status])

  async function submit(e: FormEvent) {
    e.preventDefault()
    const chosen = file.current?.files?.[0]
    if (!chosen) return setStatus({ kind: 'error', text: t('import.noFile') })
    setStatus({ kind: 'busy' })
    try {
      const count = await importCsv(boardId, token, await chosen.text(), lang)
      setStatus({ kind: 'added', count })
    } catch (err) {
      if (err instanceof ImportRejected) {
        setStatus({ kind: 'rejected', errors: err.errors, message: err.message })
      } else setStatus({ kind: 'error', text: limitMessage(t, err) ?? t('import.failed', { reason: (err as Error).message }) })
    }
  }

  const message =
    status.kind === 'busy'
      ? t('import.working')
      : status.kind === 'added'
        ? status.count === 1
          ? t('import.addedOne')
          : t('import.added', { count: status.count })
        : status.kind === 'rejected'
          ? t('import.rejected')
          : status.kind === 'error'
            ? status.text
            : ''

  return (
    <form onSubmit={submit} className="import-form" data-testid="csv-import">
      <FileField label={t('import.csvLabel')} hint={t('import.csvHint')} accept=".csv,text/csv" inputRef={file} testId="csv-file" />
      <p className="actions">
        <button type="submit" className="button" data-testid="csv-submit">
          {t('import.csvSubmit')}
        </button>
      </p>
      <p role="status" aria-live="polite" className={status.kind === 'rejected' || status.kind === 'error' ? 'status-line error-text' : 'status-line'} data-testid="csv-status" data-state={status.kind}>
        {message}
      </p>
      {status.kind === 'rejected' && (
        <div className="import-errors" data-testid="csv-errors">
          <h4 id={ids.errors} ref={errorsHeading} tabIndex={-1}>
            {t('import.errorsHeading', { count: status.errors.length || 1 })}
          </h4>
          <ul aria-labelledby={ids.errors}>
            {status.errors.length === 0 ? (
              <li>{status.message}</li>
            ) : (
              status.errors.map((err, i) => (
                <li key={i} data-line={err.line}>
                  {t('import.lineError', { line: err.line, message: err.message })}
                </li>
              ))
            )}
          </ul>
        </div>
      )}
    </form>
  )
}

function BackupRestore({ boardId, token }: { boardId: string; token: string }) {
  const t = useT()
  const file = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<CreatedBoard | null>(null)

  async function submit(e: FormEvent) {
    e.preventDefault()
    const chosen = file.current?.files?.[0]
    if (!chosen) return setError(t('import.noFile'))
    setBusy(true)
    setError(null)
    try {
      setCreated(await importBackup(boardId, token, await chosen.text()))
    } catch (err) {
      // The server's reason is technical (and English): say what it means first.
      setError(err instanceof ImportRejected ? t('import.backupInvalid', { detail: err.message }) : (limitMessage(t, err) ?? t('import.failed', { reason: (err as Error).message })))
    } finally {
      setBusy(false)
    }
  }

  if (created) {
    return (
      <div className="restored" data-testid="backup-restored">
        <p>{t('import.restored')}</p>
        <CreatedLinks board={created} onAnother={() => setCreated(null)} />
      </div>
    )
  }
  return (
    <form onSubmit={submit} className="import-form" data-testid="backup-import">
      <FileField label={t('import.backupLabel')} hint={t('import.backupHint')} accept=".json,application/json" inputRef={file} testId="backup-file" />
      <p className="actions">
        <button type="submit" className="button" aria-disabled={busy || undefined} data-testid="backup-submit">
          {t('import.backupSubmit')}
        </button>
      </p>
      <p role="status" aria-live="polite" className={error ? 'status-line error-text' : 'status-line'}>
        {busy ? t('import.working') : error}
      </p>
    </form>
  )
}

/** A labelled file input with its hint, as both imports ask for a file. */
function FileField({ label, hint, accept, inputRef, testId }: { label: string; hint: string; accept: string; inputRef: RefObject<HTMLInputElement | null>; testId: string }) {
  const ids = { file: useId(), hint: useId() }
  return (
    <p className="field">
      <label htmlFor={ids.file}>{label}</label>
      <span className="hint" id={ids.hint}>
        {hint}
      </span>
      <input id={ids.file} ref={inputRef} type="file" accept={accept} aria-describedby={ids.hint} data-testid={testId} />
    </p>
  )
}
