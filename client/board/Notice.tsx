import { useT } from '../i18n/I18nProvider.tsx'
import { PageShell } from '../components/PageShell.tsx'
import { useDocumentTitle } from '../i18n/useDocumentTitle.ts'

/** A full-page message: loading, or an error the user can act on. */
export function Notice({ message, busy = false, onRetry }: { message: string; busy?: boolean; onRetry?: () => void }) {
  const t = useT()
  useDocumentTitle(null)
  return (
    <PageShell variant="notice">
      <div className="card-panel" role={busy ? 'status' : 'alert'} aria-live={busy ? 'polite' : 'assertive'} aria-busy={busy || undefined}>
        {busy && <span className="spinner" aria-hidden="true" />}
        <p className="notice-text" data-testid={busy ? 'loading' : 'notice'}>
          {message}
        </p>
        {!busy && (
          <p className="actions">
            {onRetry && (
              <button type="button" className="button primary" onClick={onRetry}>
                {t('board.retry')}
              </button>
            )}
            <a className="button" href="/">
              {t('board.toStart')}
            </a>
          </p>
        )}
      </div>
    </PageShell>
  )
}
