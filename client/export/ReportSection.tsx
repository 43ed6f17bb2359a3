import { useId } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { exportUrl } from './data-api.ts'

/**
 * The report document — the board picture, register, coverage and vote — as the server makes
 * it: a tagged PDF/A for the archive and an accessible HTML page to publish. The same document a
 * script or the command line gets; the browser makes no PDF of its own.
 */
export function ReportSection({ boardId, token, versionId }: { boardId: string; token: string; versionId?: string }) {
  const { t, lang } = useI18n()
  const headingId = useId()
  return (
    <section className="export-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('export.reportHeading')}</h3>
      <p className="hint">{t('export.reportIntro')}</p>
      <ul className="export-links">
        <li>
          <a className="button" href={exportUrl(boardId, token, 'pdf', { lang, versionId })} download data-testid="export-pdf">
            {t('export.reportPdf')}
          </a>
        </li>
        <li>
          <a className="button" href={exportUrl(boardId, token, 'html', { lang, versionId })} download data-testid="export-html">
            {t('export.reportHtml')}
          </a>
        </li>
      </ul>
    </section>
  )
}
