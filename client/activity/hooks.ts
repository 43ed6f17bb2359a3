import { useMemo } from 'react'
import { computed, useValue, type Editor, type TLShape, type TLShapeId } from 'tldraw'
import { activityFromRecord, type ActivityRow } from '../../core/board-view.ts'
import type { JsonRecord } from '../../core/record-store.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { labelsAtom, type BoardLabels } from './board-labels.ts'

/**
 * The activities on the current page, as rows. A row is rebuilt only when its card's props
 * change, and the array only when some row did, so dragging a card does not re-render the
 * list or the coverage panel.
 */
function activityRowsSignal(editor: Editor) {
  let cache = new Map<string, { props: unknown; row: ActivityRow }>()
  let previous: ActivityRow[] = []
  return computed('activity rows', () => {
    const next = new Map<string, { props: unknown; row: ActivityRow }>()
    const rows: ActivityRow[] = []
    for (const shape of editor.getCurrentPageShapesSorted()) {
      if (shape.type !== CARD_TYPE) continue
      const hit = cache.get(shape.id)
      const entry = hit && hit.props === shape.props ? hit : { props: shape.props, row: activityFromRecord(shape as unknown as JsonRecord) }
      next.set(shape.id, entry)
      rows.push(entry.row)
    }
    cache = next
    if (rows.length === previous.length && rows.every((row, i) => row === previous[i])) return previous
    previous = rows
    return rows
  })
}

export function useActivityRows(editor: Editor): ActivityRow[] {
  const signal = useMemo(() => activityRowsSignal(editor), [editor])
  return useValue(signal)
}

export function useBoardLabels(editor: Editor): BoardLabels {
  return useValue(labelsAtom(editor.store))
}

/** The id of the selected card when exactly one shape, a card, is selected. */
export function useSelectedCardId(editor: Editor): TLShapeId | null {
  return useValue(
    'selected card',
    () => {
      const ids = editor.getSelectedShapeIds()
      if (ids.length !== 1) return null
      const shape: TLShape | undefined = editor.getShape(ids[0])
      return shape?.type === CARD_TYPE ? shape.id : null
    },
    [editor],
  )
}

export function useIsReadonly(editor: Editor): boolean {
  return useValue('readonly', () => editor.getIsReadonly(), [editor])
}
