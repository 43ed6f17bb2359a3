import { Box, createShapeId, type Editor, type TLShapeId } from 'tldraw'
import type { IdSet } from '../../core/activity.ts'
import { CARD_SIZE, CARD_TYPE, type CardShapeProps } from '../../core/shapes.ts'

/** Writes some of a card's fields through the editor, so the store binding syncs them. */
export function updateActivity(editor: Editor, id: TLShapeId, props: Partial<CardShapeProps>): void {
  editor.updateShape({ id, type: CARD_TYPE, props })
}

/**
 * The set with `id` added or removed. Removing leaves the key out rather than writing false:
 * the record store then deletes just that key, so ticks by others on the same card survive.
 */
export function withId(set: IdSet, id: string, on: boolean): IdSet {
  const next: IdSet = {}
  for (const key of Object.keys(set)) if (key !== id && set[key] === true) next[key] = true
  if (on) next[id] = true
  return next
}

/** Selects a card and brings it into view at 100 % (or its current zoom when closer). */
export function selectCard(editor: Editor, id: TLShapeId): void {
  const bounds = editor.getShapePageBounds(id)
  editor.select(id)
  if (!bounds) return
  const zoom = Math.max(1, editor.getZoomLevel())
  editor.zoomToBounds(bounds, { targetZoom: zoom, animation: { duration: editor.options.animationMediumMs } })
}

const GAP = 24

/**
 * A spot for a new card, near the middle of the view, that overlaps no other shape: neither a
 * card nor the template circle (dropping it into a segment would give it a task nobody chose).
 * Searches outwards ring by ring on a grid of card-sized cells.
 */
export function freeSpot(editor: Editor): { x: number; y: number } {
  const { w, h } = CARD_SIZE
  const center = editor.getViewportPageBounds().center
  const taken = [...editor.getCurrentPageShapeIds()].map((id) => editor.getShapePageBounds(id)).filter((b): b is Box => !!b)
  const origin = { x: Math.round(center.x - w / 2), y: Math.round(center.y - h / 2) }
  const fits = (x: number, y: number) => {
    const box = new Box(x - GAP / 2, y - GAP / 2, w + GAP, h + GAP)
    return !taken.some((b) => b.collides(box))
  }
  for (let ring = 0; ring < 60; ring++) {
    for (let i = -ring; i <= ring; i++) {
      for (const [dx, dy] of [[i, -ring], [i, ring], [-ring, i], [ring, i]]) {
        const x = origin.x + dx * (w + GAP)
        const y = origin.y + dy * (h + GAP)
        if (fits(x, y)) return { x, y }
      }
    }
  }
  return origin
}

/** Adds an empty activity at a free spot and selects it (without opening in-place editing). */
export function addActivity(editor: Editor): TLShapeId | null {
  if (editor.getIsReadonly()) return null
  const id = createShapeId()
  const { x, y } = freeSpot(editor)
  editor.markHistoryStoppingPoint('add activity')
  editor.createShape({ id, type: CARD_TYPE, x, y, props: { w: CARD_SIZE.w, h: CARD_SIZE.h } })
  if (!editor.getShape(id)) return null
  selectCard(editor, id)
  return id
}

export function deleteActivity(editor: Editor, id: TLShapeId): void {
  if (editor.getIsReadonly()) return
  editor.markHistoryStoppingPoint('delete activity')
  editor.deleteShape(id)
}
