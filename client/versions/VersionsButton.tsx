import { useCallback, useEffect, useState } from 'react'
import type { TemplateItem } from '../../core/template.ts'
import type { BoardRef } from '../export/ExportButton.tsx'
import { ModalDialog } from '../export/ModalDialog.tsx'
import { useT } from '../i18n/I18nProvider.tsx'
import { CompareVersions } from './CompareVersions.tsx'
import { SaveVersion } from './SaveVersion.tsx'
import { VersionList } from './VersionList.tsx'
import { VersionViewer } from './VersionViewer.tsx'
import { listVersions, type VersionInfo } from './versions-api.ts'
import './versions.css'

export type VersionsState = { state: 'loading' } | { state: 'failed'; text: string } | { state: 'ready'; list: VersionInfo[] }

/** The header's "Versioner": save (facilitator), list, view read-only, restore and compare. */
export function VersionsButton({ board }: { board: BoardRef }) {
  const t = useT()
  const { boardId, role, connection } = board
  const token = connection.token
  const [open, setOpen] = useState(false)
  const [versions, setVersions] = useState<VersionsState>({ state: 'loading' })
  const [viewing, setViewing] = useState<VersionInfo | null>(null)
  const sectors: TemplateItem[] = connection.meta.get()?.template.sectors ?? []

  const reload = useCallback(() => {
    listVersions(boardId, token).then(
      (list) => setVersions({ state: 'ready', list }),
      (err: unknown) => setVersions({ state: 'failed', text: t('versions.failed', { reason: (err as Error).message }) }),
    )
  }, [boardId, token, t])
  useEffect(() => {
    if (open) reload()
  }, [open, reload])

  const list = versions.state === 'ready' ? versions.list : []
  return (
    <>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)} data-testid="versions-open">
        {t('versions.open')}
      </button>
      <ModalDialog open={open} onClose={() => setOpen(false)} title={t('versions.heading')} testId="versions-dialog" wide>
        <p className="hint">{t('versions.intro')}</p>
        {role === 'facilitator' && <SaveVersion boardId={boardId} token={token} onSaved={reload} />}
        <VersionList boardId={boardId} token={token} versions={versions} canRestore={role === 'facilitator'} onView={setViewing} />
        {list.length > 0 && <CompareVersions boardId={boardId} token={token} versions={list} sectors={sectors} />}
      </ModalDialog>
      {viewing && <VersionViewer boardId={boardId} token={token} version={viewing} onClose={() => setViewing(null)} />}
    </>
  )
}
