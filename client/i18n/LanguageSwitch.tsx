import { useId } from 'react'
import { useI18n } from './I18nProvider.tsx'
import { isLanguage, LANGUAGES } from './messages.ts'

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n()
  const id = useId()
  return (
    <div className="language-switch">
      <label htmlFor={id}>{t('lang.label')}</label>
      <select id={id} value={lang} onChange={(e) => isLanguage(e.target.value) && setLang(e.target.value)} data-testid="language-switch">
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {t(`lang.${code}`)}
          </option>
        ))}
      </select>
    </div>
  )
}
