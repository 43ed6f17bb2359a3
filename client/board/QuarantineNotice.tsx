import { useState } from 'react'
import { useValue } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'

/**
 * Tells the facilitator that the server kept damaged stored records out of the board when it
 * loaded it. A status line, not an alert: nothing is wrong with what they see now, so it must
 * not take focus or interrupt. Dismissed for this count; a reload (a new hello) shows it again,
 * since the records stay in storage until someone who runs the server deals with them.
 * The server sends the count to the facilitator only; the role check keeps it that way here too.
 */
export function QuarantineNotice({ connection, facilitator }: { connection: BoardConnection; facilitator: boolean }) {
  const t = useT()
  const count = useValue('quarantined', () => connection.channel.quarantined.get(), [connection])
  const [dismissed, setDismissed] = useState(0)
  if (!facilitator || count === 0 || dismissed === count) return null
  return (
    <div className="banner banner--warning banner--dismissable" role="status" data-testid="quarantine-notice">
      <p>{count === 1 ? t('board.quarantinedOne') : t('board.quarantined', { count })}</p>
      <button type="button" className="button" aria-label={t('board.quarantinedDismiss')} onClick={() => setDismissed(count)}>
        {t('refusal.close')}
      </button>
    </div>
  )
}
