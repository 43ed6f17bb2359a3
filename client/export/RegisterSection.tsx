import { useId, useState } from 'react'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { exportUrl } from './data-api.ts'

/**
 * The activity register (CSV, XLSX) and the JSON backup, made by the server: plain download
 * links with this user's own token and the interface language for the headers.
 */
export function RegisterSection({ boardId, token }: { boardId: string; token: string }) {
  const { t, lang } = useI18n()
  const headingId = useId()
  // Swedish Excel reads ';' as the separator (',' is the decimal comma there).
  const [semicolon, setSemicolon] = useState(lang === 'sv')
  return (
    <section className="export-section" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('export.registerHeading')}</h3>
      <p className="hint">{t('export.registerIntro')}</p>
      <p className="field field--check">
        <label>
          <input type="checkbox" checked={semicolon} onChange={(e) => setSemicolon(e.target.checked)} data-testid="csv-semicolon" />
          {t('export.csvSemicolon')}
        </label>
      </p>
      <ul className="export-links">
        <li>
          <a className="button" href={exportUrl(boardId, token, 'csv', { lang, semicolon })} download data-testid="export-csv">
            {t('export.csv')}
          </a>
        </li>
        <li>
          <a className="button" href={exportUrl(boardId, token, 'xlsx', { lang })} download data-testid="export-xlsx">
            {t('export.xlsx')}
          </a>
        </li>
        <li>
          <a className="button" href={exportUrl(boardId, token, 'json', { lang })} download data-testid="export-json">
            {t('export.json')}
          </a>
        </li>
      </ul>
    </section>
  )
}
