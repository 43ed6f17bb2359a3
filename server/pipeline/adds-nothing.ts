import * as Y from 'yjs'
import type { DecodedUpdate } from '../protocol.ts'

/**
 * Whether an update holds no struct and no deletion beyond what the document already has. A
 * sync step 2 usually carries nothing the server lacks (Yjs sends the whole delete set with every
 * sync): no need to judge it or give it a log row.
 *
 * Cost: the delete set is walked once per range; the walk stops at the first live struct, so a
 * range over the whole document costs no more than the document (and overlapping ranges are
 * judged by the placement pass, which merges them, when this returns false).
 */
export function addsNothing(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  if (!structs.every((s) => s.id.clock + s.length <= Y.getState(doc.store, s.id.client))) return false
  let visited = 0
  let budget = 0
  for (const structs of doc.store.clients.values()) budget += structs.length
  for (const [client, ranges] of ds.clients) {
    const stored = doc.store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (!stored || clock + len > Y.getState(doc.store, client)) return false
      for (let i = Y.findIndexSS(stored, clock); i < stored.length && stored[i].id.clock < clock + len; i++) {
        if (!stored[i].deleted) return false
        // A hostile delete set may repeat one huge range: past the document's size, judge it in full instead.
        if (++visited > budget) return false
      }
    }
  }
  return true
}
