import { useValue } from 'tldraw'
import type { Role } from '../../core/roles.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardStore } from '../sync/board-store.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { QuarantineNotice } from './QuarantineNotice.tsx'

/** Messages about the board as a whole, announced to screen readers as they appear. */
export function BoardBanners({ connection, board, role }: { connection: BoardConnection; board: BoardStore; role: Role }) {
  const t = useT()
  const compat = useValue('schema', () => board.schemaCompat.get(), [board])
  const closed = useValue('closed', () => connection.closed.get(), [connection])
  const tooBig = useValue('tooBig', () => connection.tooBig.get(), [connection])
  const damaged = useValue('damaged', () => connection.channel.damaged.get(), [connection])

  const closedText =
    closed?.kind === 'unauthorized'
      ? t('status.closedUnauthorized')
      : closed?.kind === 'not-found'
        ? t('status.closedNotFound')
        : closed?.kind === 'deleted'
          ? t('status.closedDeleted')
        : closed?.kind === 'malformed'
          ? t('status.closedMalformed')
          : closed
            ? t('status.closedOther', { code: closed.code })
            : null

  return (
    <div className="board-banners" aria-live="polite">
      {compat === 'newer' && (
        <p className="banner banner--warning" role="alert" data-testid="schema-newer">
          {t('board.newerSchema')}{' '}
          <button type="button" className="button" onClick={() => location.reload()}>
            {t('board.reload')}
          </button>
        </p>
      )}
      {closedText && (
        <p className="banner banner--error" role="alert" data-testid="connection-closed">
          {closedText}
        </p>
      )}
      {tooBig && (
        <p className="banner banner--warning" role="alert">
          {t('status.tooBig')}
        </p>
      )}
      <QuarantineNotice connection={connection} facilitator={role === 'facilitator'} />
      {damaged && (
        <p className="banner banner--warning" data-testid="damaged-banner">
          {t('status.boardDamaged')}
        </p>
      )}
      {role === 'viewer' && (
        <p className="banner banner--info" data-testid="viewer-notice">
          {t('board.readonlyViewer')}
        </p>
      )}
    </div>
  )
}
