import { useEffect, useId, useRef } from 'react'
import { useValue } from 'tldraw'
import type { RejectReason } from '../../core/messages.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { MessageKey } from '../i18n/messages.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { clearRefusalReports, refusalReports } from '../sync/refusal-report.ts'

const REASONS: Record<RejectReason, MessageKey> = {
  locked: 'refusal.locked',
  'read-only': 'refusal.readOnly',
  'facilitator-only': 'refusal.facilitatorOnly',
  'server-only': 'refusal.serverOnly',
  'unknown-target': 'refusal.unknownTarget',
  invalid: 'refusal.invalid',
  'too-large': 'refusal.tooLarge',
  'board-full': 'refusal.boardFull',
  damaged: 'refusal.damaged',
  'drafts-full': 'refusal.draftsFull',
}

/**
 * What a refused edit cost. While the connection rebases its copy onto the server's state
 * (sync/recovery.ts), a status line says so; afterwards a dialog says, per reason, how many
 * changes were not kept and which cards, until the person closes it. The report survives the
 * switch to the new connection and a reload (sync/refusal-report.ts).
 */
export function RefusalNotice({ connection }: { connection: BoardConnection }) {
  const t = useT()
  const ids = { title: useId(), body: useId() }
  const recovering = useValue('recovering', () => connection.rejected.get() !== null, [connection])
  const reports = useValue('refusal reports', () => refusalReports(connection.boardId), [connection])
  const dialog = useRef<HTMLDialogElement>(null)
  const open = reports.length > 0

  useEffect(() => {
    // A modal <dialog>: the rest of the page is inert, focus starts on its button, Escape closes it.
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal()
  }, [open])

  const titles = reports.flatMap((r) => r.titles)
  return (
    <>
      {recovering && (
        <p className="banner banner--lock" role="status" data-testid="refusal-recovering">
          {t('refusal.recovering')}
        </p>
      )}
      {open && (
        <dialog
          ref={dialog}
          className="modal"
          role="alertdialog"
          aria-labelledby={ids.title}
          aria-describedby={ids.body}
          data-testid="rejected-dialog"
          onClose={() => clearRefusalReports(connection.boardId)}
        >
          <h2 id={ids.title}>{t('refusal.title')}</h2>
          <div id={ids.body}>
            {reports.map((report) => (
              <p key={report.reason}>
                {t(REASONS[report.reason], { changes: report.count === 1 ? t('refusal.changesOne') : t('refusal.changes', { count: report.count }) })}
              </p>
            ))}
            {titles.length > 0 && (
              <>
                <p>{t('refusal.titles')}</p>
                <ul data-testid="refused-titles">
                  {titles.map((title, i) => (
                    <li key={i}>{title}</li>
                  ))}
                </ul>
              </>
            )}
            <p>{t('refusal.kept')}</p>
          </div>
          <button type="button" className="button primary" autoFocus onClick={() => dialog.current?.close()}>
            {t('refusal.close')}
          </button>
        </dialog>
      )}
    </>
  )
}
