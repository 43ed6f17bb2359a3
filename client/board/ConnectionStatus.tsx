import { useValue } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'

export function ConnectionStatus({ connection }: { connection: BoardConnection }) {
  const t = useT()
  const state = useValue('connection state', () => connection.state.get(), [connection])
  // Closed for good (the banner says why): no promise that edits will be sent later.
  const closed = useValue('closed', () => connection.closed.get() !== null, [connection])
  return (
    <p className={`connection-status connection-status--${state}`} data-testid="connection-status" data-state={closed ? 'closed' : state} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span className="visually-hidden">{t('status.prefix')} </span>
      <span>{t(closed ? 'status.closed' : `status.${state}`)}</span>
      {state === 'offline' && !closed && <span className="visually-hidden"> {t('status.offlineHelp')}</span>}
    </p>
  )
}
