import { useT } from '../i18n/I18nProvider.tsx'
import type { ActivityView, PanelKind } from './useActivityView.ts'

/** Header buttons that open and close the list and the coverage panel. */
export function ActivityToggles({ view, onChange }: { view: ActivityView; onChange(view: ActivityView): void }) {
  const t = useT()
  const toggle = (panel: PanelKind) => onChange(view.panel === panel ? { panel: null, full: false } : { panel, full: view.full })
  return (
    <>
      <button type="button" className="button" aria-pressed={view.panel === 'list'} onClick={() => toggle('list')} data-testid="toggle-list">
        {t('list.toggle')}
      </button>
      <button type="button" className="button" aria-pressed={view.panel === 'coverage'} onClick={() => toggle('coverage')} data-testid="toggle-coverage">
        {t('coverage.toggle')}
      </button>
    </>
  )
}
