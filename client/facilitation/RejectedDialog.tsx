import { useEffect, useId, useRef, useState } from 'react'
import { useValue } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { MessageKey } from '../i18n/messages.ts'
import type { BoardConnection } from '../sync/connection.ts'
import type { RejectReason } from '../sync/snurra-channel.ts'

const RESET_AFTER_S = 8

const REASONS: Record<RejectReason, MessageKey> = {
  locked: 'facilitation.rejected.locked',
  'read-only': 'facilitation.rejected.readOnly',
  'facilitator-only': 'facilitation.rejected.facilitatorOnly',
  'server-only': 'facilitation.rejected.other',
  'unknown-target': 'facilitation.rejected.other',
  invalid: 'facilitation.rejected.other',
  'too-large': 'facilitation.rejected.other',
  'drafts-full': 'facilitation.rejected.draftsFull',
}

/**
 * The server refused one of our edits, so this browser's copy of the board (or of the private
 * drafts) no longer matches the server's. Say so plainly, then throw that copy away and load it
 * afresh (right away on the button, or after a few seconds).
 */
export function RejectedDialog({ connection }: { connection: BoardConnection }) {
  const t = useT()
  const ids = { title: useId(), body: useId() }
  const reason = useValue('rejected', () => connection.rejected.get()?.reason ?? null, [connection])
  const [left, setLeft] = useState(RESET_AFTER_S)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!reason) return
    button.current?.focus()
    const timer = setInterval(() => setLeft((n) => n - 1), 1000)
    return () => clearInterval(timer)
  }, [reason])
  useEffect(() => {
    if (reason && left <= 0) void connection.resetLocalCopy()
  }, [reason, left, connection])

  if (!reason) return null
  return (
    <div className="modal-backdrop">
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby={ids.title} aria-describedby={ids.body} data-testid="rejected-dialog">
        <h2 id={ids.title}>{t('facilitation.rejected.title')}</h2>
        <p id={ids.body}>
          {t(REASONS[reason])} {t('facilitation.rejected.reset', { seconds: Math.max(0, left) })}
        </p>
        <button ref={button} type="button" className="button primary" onClick={() => void connection.resetLocalCopy()}>
          {t('facilitation.rejected.now')}
        </button>
      </div>
    </div>
  )
}
