import { useEditor, useValue } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import { CONNECT_TOOL } from './ConnectTool.ts'

/** While the connect tool is on, says how it works and how to leave it. */
export function ConnectHint() {
  const editor = useEditor()
  const t = useT()
  const active = useValue('connect tool active', () => editor.getCurrentToolId() === CONNECT_TOOL, [editor])
  if (!active) return null
  return (
    <p className="connect-hint" data-testid="connect-hint">
      {t('canvas.connectHint')}
    </p>
  )
}
