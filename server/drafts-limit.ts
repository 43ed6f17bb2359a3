import * as Y from 'yjs'

/**
 * A cap on one person's private drafts. They are stored whole and rewritten on every change
 * (room-stores.ts), so without one a single participant could make every write larger than the
 * last and slow the server down for everyone.
 *
 * The size is an estimate kept from the updates let through, measured exactly only when the
 * estimate passes the cap: a reveal empties the drafts, so the estimate may be far too high,
 * but an exact measure costs a full encode and is repeated only after the drafts changed.
 */
export function draftsSizeGuard(doc: Y.Doc, maxBytes: number): (update: Uint8Array) => boolean {
  let changes = 0
  doc.on('update', () => changes++)
  let estimate: number | null = null
  let measuredAt = -1
  return function fits(update) {
    if (estimate === null || (estimate + update.length > maxBytes && measuredAt !== changes)) {
      estimate = Y.encodeStateAsUpdate(doc).length
      measuredAt = changes
    }
    if (estimate + update.length > maxBytes) return false
    estimate += update.length
    return true
  }
}
