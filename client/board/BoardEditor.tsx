import { useCallback, useEffect, useState } from 'react'
import { Tldraw, useValue, type Editor } from 'tldraw'
import 'tldraw/tldraw.css'
import { canEdit } from '../../core/roles.ts'
import { ActivityLayer } from '../activity/ActivityLayer.tsx'
import { ActivityToggles } from '../activity/ActivityToggles.tsx'
import { useActivityView } from '../activity/useActivityView.ts'
import type { Session } from '../api.ts'
import { canvasComponents, canvasOptions, canvasOverrides, canvasTools, startCanvas } from '../canvas/index.ts'
import { ExportButton, type BoardRef } from '../export/ExportButton.tsx'
import { tldrawLicenseKey } from '../config.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { useDocumentTitle } from '../i18n/useDocumentTitle.ts'
import { FacilitationBar, FacilitationPanels, facilitationTools } from '../facilitation/index.ts'
import { snurraShapeUtils } from '../shapes/index.ts'
import { SnurraSelectTool } from '../shapes/SnurraSelectTool.ts'
import { BoardStore } from '../sync/board-store.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { readPeer } from '../sync/awareness-state.ts'
import { startPresence } from '../sync/presence.ts'
import { assetUrls } from './asset-urls.ts'
import { BoardBanners } from './BoardBanners.tsx'
import { BoardHeader } from './BoardHeader.tsx'
import { colorFor, tabUserId, type Profile } from './identity.ts'
import { PathsPanel } from './PathsPanel.tsx'
import { PeoplePanel } from './PeoplePanel.tsx'
import { guardTemplateLayer } from './template-guard.ts'
import { createTldrawUser } from './tldraw-user.ts'
import { VersionsButton } from '../versions/VersionsButton.tsx'
import { fitTemplateWhileUntouched } from './zoom.ts'

const tools = [SnurraSelectTool, ...canvasTools, ...facilitationTools]

/** The open board: tldraw bound to the synced document, with Snurra's header and side panel. */
export function BoardEditor({ connection, session, profile }: { connection: BoardConnection; session: Session; profile: Profile }) {
  const { lang, t } = useI18n()
  const [setup] = useState(() => {
    const id = tabUserId()
    const taken = new Set([...connection.provider.awareness.getStates().values()].map((s) => readPeer(s)?.user.color ?? ''))
    const me = { id, name: profile.name, color: colorFor(id, taken), sector: profile.sector, role: session.role }
    const user = createTldrawUser(me, lang)
    const board = new BoardStore(connection, canEdit(session.role), user.store)
    board.load()
    return { me, user, board }
  })
  const [editor, setEditor] = useState<Editor | null>(null)
  const [activityView, setActivityView] = useActivityView()
  const meta = useValue('meta', () => connection.meta.get(), [connection])
  const readonly = useValue('readonly', () => setup.board.readonly.get(), [setup])
  useDocumentTitle(meta?.title || session.title)

  useEffect(() => () => setup.board.dispose(), [setup])
  useEffect(() => {
    editor?.user.updateUserPreferences({ locale: lang })
  }, [editor, lang])

  const onMount = useCallback(
    (ed: Editor) => {
      const unbind = setup.board.bind()
      const stopGuard = guardTemplateLayer(ed)
      const stopPresence = startPresence(ed, connection.provider.awareness, setup.me)
      const stopFit = fitTemplateWhileUntouched(ed)
      const stopCanvas = startCanvas(ed)
      setEditor(ed)
      return () => {
        stopCanvas()
        stopFit()
        stopPresence()
        stopGuard()
        unbind()
        setEditor(null)
      }
    },
    [setup, connection],
  )

  const isFacilitator = session.role === 'facilitator'
  const boardRef: BoardRef = { boardId: session.boardId, role: session.role, title: meta?.title || session.title, connection }
  const showPaths = isFacilitator && meta?.template.layout === 'circle'

  return (
    <div className="board-page">
      <BoardHeader title={meta?.title || session.title} role={session.role} connection={connection} editor={readonly ? null : editor}>
        <ActivityToggles view={activityView} onChange={setActivityView} />
        <ExportButton editor={editor} board={boardRef} />
        <VersionsButton board={boardRef} />
      </BoardHeader>
      <BoardBanners connection={connection} board={setup.board} role={session.role} />
      <FacilitationBar connection={connection} board={setup.board} editor={editor} />
      <div className="board-body">
        <main className="board-canvas" id="main" aria-label={meta?.title || session.title}>
          <Tldraw
            store={setup.board.store}
            shapeUtils={snurraShapeUtils}
            tools={tools}
            components={canvasComponents}
            options={canvasOptions}
            overrides={canvasOverrides}
            assetUrls={assetUrls}
            licenseKey={tldrawLicenseKey()}
            user={setup.user.current}
            onMount={onMount}
          />
        </main>
        {editor && <ActivityLayer editor={editor} connection={connection} view={activityView} onViewChange={setActivityView} />}
        <aside className="board-panel" aria-label={t('board.panelLabel')}>
          {showPaths && <PathsPanel doc={connection.doc} disabled={readonly} editor={editor} />}
          <FacilitationPanels connection={connection} board={setup.board} editor={editor} boardId={session.boardId} />
          <PeoplePanel awareness={connection.provider.awareness} sectors={meta?.template.sectors ?? []} editor={editor} />
        </aside>
      </div>
    </div>
  )
}
