import { useEffect, useRef } from 'react'
import type { Editor } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { bindBoardLabels } from './board-labels.ts'
import { CoveragePanel } from './CoveragePanel.tsx'
import { EditPanel } from './EditPanel.tsx'
import { useActivityRows, useBoardLabels, useIsReadonly, useSelectedCardId } from './hooks.ts'
import { ListPanel } from './ListPanel.tsx'
import type { ActivityView } from './useActivityView.ts'
import './activity.css'

/**
 * tldraw keeps its keyboard shortcuts live while it counts as focused, and it stays focused
 * when the user tabs into our panels: Delete on a checkbox would delete the card. So the
 * editor is blurred when focus lands outside it, and focused again when focus or a pointer
 * goes back inside (the card's in-place fields focus themselves and need Escape to work).
 */
function useFocusHandoff(editor: Editor): void {
  useEffect(() => {
    const container = editor.getContainer()
    const onFocusIn = (e: FocusEvent) => {
      if (!(e.target instanceof Node)) return
      if (container.contains(e.target)) editor.focus({ focusContainer: false })
      else editor.blur({ blurContainer: false })
    }
    const onPointerDown = () => editor.focus({ focusContainer: false })
    document.addEventListener('focusin', onFocusIn)
    container.addEventListener('pointerdown', onPointerDown, true)
    return () => {
      document.removeEventListener('focusin', onFocusIn)
      container.removeEventListener('pointerdown', onPointerDown, true)
    }
  }, [editor])
}

/** While the panel covers the board, what it covers is out of reach for keyboard and screen readers. */
function useInertSiblings(ref: React.RefObject<HTMLElement | null>, active: boolean): void {
  useEffect(() => {
    const self = ref.current
    if (!active || !self?.parentElement) return
    const others = [...self.parentElement.children].filter((el) => el !== self && !el.hasAttribute('inert'))
    for (const el of others) el.setAttribute('inert', '')
    return () => others.forEach((el) => el.removeAttribute('inert'))
  }, [ref, active])
}

/**
 * The activity side panel: the selected card's fields, and the list or the coverage panel
 * when the header opens one (optionally over the whole board, as a full page).
 */
export function ActivityLayer({ editor, connection, view, onViewChange }: { editor: Editor; connection: BoardConnection; view: ActivityView; onViewChange(view: ActivityView): void }) {
  const t = useT()
  const rows = useActivityRows(editor)
  const labels = useBoardLabels(editor)
  const selectedId = useSelectedCardId(editor)
  const readonly = useIsReadonly(editor)
  const ref = useRef<HTMLElement>(null)
  const full = view.full && view.panel !== null
  useFocusHandoff(editor)
  useInertSiblings(ref, full)
  useEffect(() => bindBoardLabels(editor.store, connection), [editor, connection])

  const selectedRow = selectedId ? rows.find((r) => r.id === selectedId) : undefined
  // The list edits its selected row in place, so the separate edit panel would be a duplicate.
  const showEdit = selectedRow && view.panel !== 'list'
  if (!showEdit && !view.panel) return null
  const setFull = (full: boolean) => onViewChange({ ...view, full })

  return (
    <aside ref={ref} className={full ? 'activity-panel activity-panel--full' : 'activity-panel'} aria-label={t('activity.panelLabel')} data-testid="activity-panel">
      {view.panel === 'list' && <ListPanel editor={editor} rows={rows} labels={labels} selectedId={selectedId} readonly={readonly} full={view.full} onFullChange={setFull} />}
      {view.panel === 'coverage' && <CoveragePanel rows={rows} labels={labels} full={view.full} onFullChange={setFull} />}
      {/* After the panel the user opened, so opening coverage shows coverage, not the fields. */}
      {showEdit && !full && <EditPanel editor={editor} row={selectedRow} rows={rows} labels={labels} readonly={readonly} />}
    </aside>
  )
}
