import { useEffect, useId, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { Tldraw, type Editor, type TLComponents } from 'tldraw'
import { assetUrls } from '../board/asset-urls.ts'
import { createTldrawUser } from '../board/tldraw-user.ts'
import { fitTemplateWhileUntouched } from '../board/zoom.ts'
import { Connections } from '../canvas/Connections.tsx'
import { HeatLegend } from '../canvas/HeatLegend.tsx'
import { tldrawLicenseKey } from '../config.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { snurraShapeUtils } from '../shapes/index.ts'
import { fetchVersion, type VersionInfo } from './versions-api.ts'
import { formatSaved } from './format.ts'
import { versionStore, type VersionStore } from './version-doc.ts'

// The ring's connection lines and heat legend, without the editing tools of the live board.
const components: TLComponents = { OnTheCanvas: Connections, InFrontOfTheCanvas: HeatLegend }

type Loaded = { state: 'loading' } | { state: 'failed'; text: string } | { state: 'ready'; version: Extract<VersionStore, { ok: true }> }

/**
 * A saved version, read-only, over the whole window: its own tldraw editor on a store decoded
 * from the version's backup. A modal <dialog>, so the live board underneath is inert; the
 * banner says which version this is and the button (or Escape) goes back.
 */
export function VersionViewer({ boardId, token, version, onClose }: { boardId: string; token: string; version: VersionInfo; onClose(): void }) {
  const { t, lang } = useI18n()
  const headingId = useId()
  const ref = useRef<HTMLDialogElement>(null)
  const back = useRef<HTMLButtonElement>(null)
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  const [user] = useState(() => createTldrawUser({ id: 'snurra-version-viewer', name: '', color: '#1d5f8a' }, lang))

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.showModal()
    back.current?.focus()
    return () => {
      dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])

  useEffect(() => {
    let live = true
    fetchVersion(boardId, token, version.id).then(
      (backup) => {
        if (!live) return
        const result = versionStore(backup)
        if (result.ok) setLoaded({ state: 'ready', version: result })
        else setLoaded({ state: 'failed', text: result.reason === 'newer' ? t('versions.viewerNewer') : t('versions.viewerFailed', { reason: 'invalid document' }) })
      },
      (err: unknown) => live && setLoaded({ state: 'failed', text: t('versions.viewerFailed', { reason: (err as Error).message }) }),
    )
    return () => {
      live = false
    }
  }, [boardId, token, version.id, t])

  const onMount = (editor: Editor) => {
    editor.updateInstanceState({ isReadonly: true })
    return fitTemplateWhileUntouched(editor)
  }

  return createPortal(
    <dialog
      ref={ref}
      className="version-viewer"
      aria-labelledby={headingId}
      data-testid="version-viewer"
      onCancel={(e) => {
        e.preventDefault()
        // Escape inside the canvas belongs to tldraw (it clears the selection).
        if (!(document.activeElement instanceof Element && document.activeElement.closest('.tl-container'))) onClose()
      }}
    >
      <div className="version-viewer__banner banner banner--info">
        <h2 id={headingId} data-testid="version-banner">
          {t('versions.viewerBanner', { name: version.name, date: formatSaved(version.createdAt, lang) })}
        </h2>
        <button ref={back} type="button" className="button primary" onClick={onClose} data-testid="version-back">
          {t('versions.viewerBack')}
        </button>
      </div>
      <div className="version-viewer__canvas">
        {loaded.state === 'loading' && <p role="status">{t('versions.viewerLoading')}</p>}
        {loaded.state === 'failed' && (
          <p role="alert" className="error-text">
            {loaded.text}
          </p>
        )}
        {loaded.state === 'ready' && (
          <Tldraw
            store={loaded.version.store}
            shapeUtils={snurraShapeUtils}
            components={components}
            assetUrls={assetUrls}
            licenseKey={tldrawLicenseKey()}
            user={user.current}
            onMount={onMount}
          />
        )}
      </div>
    </dialog>,
    document.body,
  )
}
