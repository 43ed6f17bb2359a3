import type { ReactNode } from 'react'
import type { Editor } from 'tldraw'
import type { Role } from '../../core/roles.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { LanguageSwitch } from '../i18n/LanguageSwitch.tsx'
import { createCardAt } from '../shapes/create-card.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { ConnectionStatus } from './ConnectionStatus.tsx'

/** The bar above the canvas. `editor` is null while the board cannot be edited; `children` are more tools. */
export function BoardHeader({ title, role, connection, editor, children }: { title: string; role: Role; connection: BoardConnection; editor: Editor | null; children?: ReactNode }) {
  const t = useT()
  return (
    <header className="board-header">
      <p className="app-name">{t('app.name')}</p>
      <h1 className="board-title" data-testid="board-title">
        {title}
      </h1>
      <p className="role-badge" data-testid="role" data-role={role}>
        {t('role.label', { role: t(`role.${role}`) })}
      </p>
      <ConnectionStatus connection={connection} />
      <div className="board-header__tools" role="toolbar" aria-label={t('board.toolbarLabel')}>
        {editor && (
          <button type="button" className="button primary" data-testid="add-card" onClick={() => createCardAt(editor, editor.getViewportPageBounds().center)}>
            {t('board.addCard')}
          </button>
        )}
        {children}
      </div>
      <LanguageSwitch />
    </header>
  )
}
