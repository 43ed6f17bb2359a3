import { useId, useState, type FormEvent } from 'react'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { deleteBoard } from './data-api.ts'
import { ModalDialog } from './ModalDialog.tsx'

/** Where the start page picks up that a board was just deleted (see DeletedNotice). */
export const DELETED_PARAM = 'deleted'
// This browser's copy in IndexedDB goes too; a blocked deletion must not keep the user here.
const CLEAR_WAIT_MS = 3000

/** Facilitator only: erase the board for good (a GDPR erasure request), after typing its title. */
export function DeleteSection({ boardId, token, title, connection }: { boardId: string; token: string; title: string; connection: BoardConnection }) {
  const t = useT()
  const headingId = useId()
  const [confirming, setConfirming] = useState(false)
  return (
    <section className="export-section export-section--danger" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('delete.heading')}</h3>
      <p className="hint">{t('delete.intro')}</p>
      <p className="actions">
        <button type="button" className="button danger" onClick={() => setConfirming(true)} data-testid="delete-open">
          {t('delete.open')}
        </button>
      </p>
      <ModalDialog open={confirming} onClose={() => setConfirming(false)} title={t('delete.confirmHeading', { title })} testId="delete-dialog" role="alertdialog">
        <ConfirmDelete boardId={boardId} token={token} title={title} connection={connection} onCancel={() => setConfirming(false)} />
      </ModalDialog>
    </section>
  )
}

function ConfirmDelete({ boardId, token, title, connection, onCancel }: { boardId: string; token: string; title: string; connection: BoardConnection; onCancel(): void }) {
  const t = useT()
  const ids = { input: useId(), consequences: useId(), error: useId() }
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (busy) return
    if (typed.trim() !== title.trim()) return setError(t('delete.mismatch'))
    setBusy(true)
    setError(null)
    try {
      await deleteBoard(boardId, token)
    } catch (err) {
      setBusy(false)
      return setError(t('delete.failed', { reason: (err as Error).message }))
    }
    await Promise.race([connection.forgetLocalCopies(), new Promise((resolve) => setTimeout(resolve, CLEAR_WAIT_MS))])
    location.assign(`/?${DELETED_PARAM}=1`)
  }

  return (
    <form onSubmit={submit} data-testid="delete-form">
      <p id={ids.consequences} className="danger-text">
        {t('delete.consequences')}
      </p>
      <p className="hint">{t('delete.backupHint')}</p>
      <p className="field">
        <label htmlFor={ids.input}>{t('delete.typeTitle', { title })}</label>
        <input
          id={ids.input}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error === t('delete.mismatch') || undefined}
          aria-describedby={`${ids.consequences}${error ? ` ${ids.error}` : ''}`}
          data-testid="delete-title"
        />
      </p>
      <p role="alert" id={ids.error} className="error-text" data-testid="delete-error">
        {busy ? t('delete.working') : error}
      </p>
      <p className="actions">
        <button type="submit" className="button danger" data-testid="delete-confirm">
          {t('delete.confirm')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('delete.cancel')}
        </button>
      </p>
    </form>
  )
}
