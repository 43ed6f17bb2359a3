import { useState } from 'react'
import type { Editor } from 'tldraw'
import type { Role } from '../../core/roles.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { DeleteSection } from './DeleteSection.tsx'
import { ImportSection } from './ImportSection.tsx'
import { ModalDialog } from './ModalDialog.tsx'
import { PictureSection } from './PictureSection.tsx'
import { RegisterSection } from './RegisterSection.tsx'
import { ReportSection } from './ReportSection.tsx'

export interface BoardRef {
  boardId: string
  role: Role
  title: string
  connection: BoardConnection
}

/** The header's "Exportera": the report, pictures and the register for everyone; import and delete for the facilitator. */
export function ExportButton({ editor, board }: { editor: Editor | null; board: BoardRef }) {
  const { t, lang } = useI18n()
  const [open, setOpen] = useState(false)
  const { boardId, role, title, connection } = board
  const source = connection.meta.get()?.template.source
  return (
    <>
      <button type="button" className="button" aria-haspopup="dialog" onClick={() => setOpen(true)} disabled={!editor} data-testid="export-open">
        {t('export.open')}
      </button>
      <ModalDialog open={open && !!editor} onClose={() => setOpen(false)} title={t('export.heading')} testId="export-dialog">
        <ReportSection boardId={boardId} token={connection.token} />
        {editor && <PictureSection editor={editor} context={{ title, source, lang, t }} />}
        <RegisterSection boardId={boardId} token={connection.token} />
        {role === 'facilitator' && (
          <>
            <ImportSection boardId={boardId} token={connection.token} />
            <DeleteSection boardId={boardId} token={connection.token} title={title} connection={connection} />
          </>
        )}
      </ModalDialog>
    </>
  )
}
