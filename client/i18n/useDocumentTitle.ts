import { useEffect } from 'react'
import { useT } from './I18nProvider.tsx'

/** Names the browser tab after the page (WCAG 2.4.2), in the current language. */
export function useDocumentTitle(title: string | null): void {
  const t = useT()
  const app = t('app.name')
  useEffect(() => {
    document.title = title ? `${title} – ${app}` : app
  }, [title, app])
}
