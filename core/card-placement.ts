import { getIndicesAbove, type IndexKey } from '@tldraw/utils'
import type { Activity } from './activity.ts'
import type { JsonRecord } from './record-store.ts'
import { CARD_SIZE, CARD_TYPE } from './shapes.ts'
import { PAGE_ID } from './template-record.ts'

/**
 * New card records for activities that arrive in bulk (a CSV import): laid out in a grid to the
 * right of everything on the page, so they never cover the template or anyone's cards, and
 * drawn above every existing shape.
 */
const GAP = 30
const COLUMNS = 6

export function placeNewCards(existing: readonly JsonRecord[], activities: readonly Activity[], newId: () => string): JsonRecord[] {
  const shapes = existing.filter((r) => r.typeName === 'shape' && typeof r.x === 'number' && typeof r.y === 'number')
  let right = 0
  let top = Infinity
  let highest: string | null = null
  for (const s of shapes) {
    const props = (s.props ?? {}) as { w?: unknown }
    right = Math.max(right, (s.x as number) + (typeof props.w === 'number' ? props.w : 0))
    top = Math.min(top, s.y as number)
    if (typeof s.index === 'string' && (highest === null || s.index > highest)) highest = s.index
  }
  const left = right + GAP * 4
  const first = Number.isFinite(top) ? top : 0
  const indices = getIndicesAbove(highest as IndexKey | null, activities.length)
  return activities.map((activity, i) => ({
    id: `shape:${newId()}`,
    typeName: 'shape',
    type: CARD_TYPE,
    parentId: PAGE_ID,
    index: indices[i],
    x: left + (i % COLUMNS) * (CARD_SIZE.w + GAP),
    y: first + Math.floor(i / COLUMNS) * (CARD_SIZE.h + GAP),
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { w: CARD_SIZE.w, h: CARD_SIZE.h, ...activity },
  }))
}
