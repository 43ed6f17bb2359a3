import type { ReactNode } from 'react'
import { useT } from '../i18n/I18nProvider.tsx'
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx'

/** The frame of the pages outside the board: app name, language switch, one main landmark. */
export function PageShell({ variant, children }: { variant: 'start' | 'notice'; children: ReactNode }) {
  const t = useT()
  return (
    <div className={`${variant}-page`}>
      <header className="start-header">
        <p className="app-name">{t('app.name')}</p>
        <LanguageSwitch />
      </header>
      <main className={`${variant}-main`} id="main">
        {children}
      </main>
    </div>
  )
}
