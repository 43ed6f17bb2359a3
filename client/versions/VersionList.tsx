import { useId, useState } from 'react'
import type { CreatedBoard } from '../api.ts'
import { exportUrl } from '../export/data-api.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { limitMessage } from '../limit-messages.ts'
import { CreatedLinks } from '../start/CreatedLinks.tsx'
import { formatSaved } from './format.ts'
import { restoreVersion, type VersionInfo } from './versions-api.ts'
import type { VersionsState } from './VersionsButton.tsx'

/** The saved versions as a table, each with view, its register and (facilitator) restore. */
export function VersionList({ boardId, token, versions, canRestore, onView }: { boardId: string; token: string; versions: VersionsState; canRestore: boolean; onView(v: VersionInfo): void }) {
  const { t, lang } = useI18n()
  const headingId = useId()
  const [restored, setRestored] = useState<{ name: string; board: CreatedBoard } | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function restore(version: VersionInfo) {
    setError(null)
    try {
      setRestored({ name: version.name, board: await restoreVersion(boardId, token, version.id) })
    } catch (err) {
      setError(limitMessage(t, err) ?? t('versions.failed', { reason: (err as Error).message }))
    }
  }

  return (
    <section className="export-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('versions.listHeading')}</h3>
      {versions.state === 'loading' && <p role="status">{t('versions.loading')}</p>}
      {versions.state === 'failed' && (
        <p role="alert" className="error-text">
          {versions.text}
        </p>
      )}
      {versions.state === 'ready' && versions.list.length === 0 && <p data-testid="versions-empty">{t('versions.none')}</p>}
      {versions.state === 'ready' && versions.list.length > 0 && (
        <table className="versions-table" data-testid="versions-table" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('versions.colName')}</th>
              <th scope="col">{t('versions.colCreated')}</th>
              <th scope="col">{t('versions.colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.list.map((v) => (
              <tr key={v.id} data-testid="version-row" data-version-id={v.id}>
                <th scope="row">{v.name}</th>
                <td>{formatSaved(v.createdAt, lang)}</td>
                <td className="row-actions">
                  <button type="button" className="button small" aria-label={t('versions.viewLabel', { name: v.name })} onClick={() => onView(v)} data-testid="version-view">
                    {t('versions.view')}
                  </button>
                  <a className="button small" href={exportUrl(boardId, token, 'xlsx', { lang, versionId: v.id })} download aria-label={t('versions.registerLabel', { name: v.name })}>
                    {t('versions.register')}
                  </a>
                  {canRestore && (
                    <button type="button" className="button small" aria-label={t('versions.restoreLabel', { name: v.name })} onClick={() => void restore(v)} data-testid="version-restore">
                      {t('versions.restore')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {restored && (
        <div className="restored" data-testid="version-restored">
          <p role="status">{t('versions.restored', { name: restored.name })}</p>
          <CreatedLinks board={restored.board} onAnother={() => setRestored(null)} />
        </div>
      )}
    </section>
  )
}
