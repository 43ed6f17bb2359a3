import type { IndexKey } from '@tldraw/utils'
import type { JsonRecord } from './record-store.ts'

export const PAGE_ID = 'page:page'

/**
 * A template-layer shape record (circle segment, matrix cell): locked, marked `meta.template`
 * so write rules and exports can tell it from a card, and placed at `index` below every card.
 */
export function templateShapeRecord(id: string, type: string, at: { x: number; y: number }, props: Record<string, unknown>, index: IndexKey): JsonRecord {
  return { id, typeName: 'shape', type, parentId: PAGE_ID, index, x: at.x, y: at.y, rotation: 0, isLocked: true, opacity: 1, meta: { template: true }, props }
}
