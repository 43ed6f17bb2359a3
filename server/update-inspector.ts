import * as Y from 'yjs'
import { RECORDS_KEY } from '../core/record-store.ts'
import type { DecodedUpdate } from './protocol.ts'

/**
 * Which parts of the board document an incoming update touches, found before it is applied:
 * the root types and, for the `records` root, the record ids. The server uses it to refuse a
 * participant's write to what only the facilitator (or only the server) may change.
 *
 * Yjs omits an item's parent when it has a left or right neighbour, so the parent is found by
 * following `origin`/`rightOrigin` to a neighbour, in this update or in the document, until
 * an item names its parent.
 */
export interface UpdateTargets {
  /** `root` or `root:key` for entries of a root map (e.g. `meta:schema`, `records:shape:abc`). */
  keys: Set<string>
  /** Some item's place could not be found (its neighbours are unknown or garbage-collected). */
  unresolved: boolean
  /**
   * The update depends on changes the document does not have yet: an item refers to a later
   * clock, an item leaves a gap after its client's last change, or a deletion covers clocks not
   * yet written. Yjs would hold that part back and apply it, unjudged, whenever someone's change
   * fills the gap — e.g. delete the server's next facilitation write, or place an item next to
   * it. Never to be let through, whoever sends it.
   */
  pending: boolean
  /**
   * Records to which the update adds a `meta.template` property: the mark of the template layer,
   * which only the facilitator's setup may give (a participant could otherwise make any record
   * untouchable for the other participants).
   */
  templateMarks: Set<string>
}

interface Location {
  root: string
  key: string | null
}

const MAX_HOPS = 10_000

/** A record's properties are `[key, value]` pairs (core/record-store.ts): does one set `meta.template`? */
function setsTemplateMark(item: Y.Item): boolean {
  const content = item.content
  if (!(content instanceof Y.ContentAny || content instanceof Y.ContentJSON)) return false
  return (content.arr as unknown[]).some(
    (pair) =>
      Array.isArray(pair) &&
      (pair[0] === 'meta.template' || (pair[0] === 'meta' && typeof pair[1] === 'object' && pair[1] !== null && 'template' in pair[1])),
  )
}

export function inspectUpdate(doc: Y.Doc, update: Uint8Array, decoded = Y.decodeUpdate(update)): UpdateTargets {
  const { structs, ds } = decoded
  const incoming = new Map<number, Y.Item[]>()
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue
    let list = incoming.get(s.id.client)
    if (!list) incoming.set(s.id.client, (list = []))
    list.push(s)
  }
  const out: UpdateTargets = { keys: new Set(), unresolved: false, pending: false, templateMarks: new Set() }
  const known = (client: number) => (doc.store.clients.has(client) ? Y.getState(doc.store, client) : 0)
  // Clock ranges this update brings, per client (a Skip is a gap, not content).
  const brought = new Map<number, Array<[number, number]>>()
  for (const s of structs) {
    if (s instanceof Y.Skip) continue
    let list = brought.get(s.id.client)
    if (!list) brought.set(s.id.client, (list = []))
    list.push([s.id.clock, s.id.clock + s.length])
  }
  for (const list of brought.values()) list.sort((a, b) => a[0] - b[0])
  /** Whether the document and this update together hold every clock of `client` in [from, to). */
  const available = (client: number, from: number, to: number): boolean => {
    let at = Math.max(from, known(client))
    for (const [start, end] of brought.get(client) ?? []) {
      if (at >= to) break
      if (start > at) return false
      at = Math.max(at, end)
    }
    return at >= to
  }
  const note = (loc: Location | null) => {
    if (!loc) out.unresolved = true
    else out.keys.add(loc.key === null ? loc.root : `${loc.root}:${loc.key}`)
  }

  const find = (id: Y.ID): Y.Item | null => {
    const list = incoming.get(id.client)
    if (list) {
      for (const item of list) if (id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return item
    }
    const stored = doc.store.clients.get(id.client)
    if (!stored || id.clock >= Y.getState(doc.store, id.client)) {
      if (!available(id.client, id.clock, id.clock + 1)) out.pending = true
      return null
    }
    const struct = stored[Y.findIndexSS(stored, id.clock)]
    return struct instanceof Y.Item ? struct : null
  }

  const locate = (start: Y.Item): Location | null => {
    let item: Y.Item | null = start
    for (let hops = 0; item && hops < MAX_HOPS; hops++) {
      const parent = item.parent as unknown
      if (typeof parent === 'string') return { root: parent, key: item.parentSub }
      if (parent instanceof Y.AbstractType) {
        const owner = parent._item
        if (!owner) return { root: Y.findRootTypeKey(parent), key: item.parentSub }
        item = owner
        continue
      }
      if (parent instanceof Y.ID) {
        item = find(parent)
        continue
      }
      // No parent info: a neighbour has the same parent (and, in a map, the same key).
      const neighbour: Y.ID | null = item.origin ?? item.rightOrigin
      item = neighbour ? find(neighbour) : null
    }
    return null
  }

  for (const list of incoming.values()) {
    for (const item of list) {
      const loc = locate(item)
      note(loc)
      if (loc?.root === RECORDS_KEY && loc.key !== null && setsTemplateMark(item)) out.templateMarks.add(loc.key)
    }
  }
  // Every clock from the document's state up to the last one brought: no gap for Yjs to hold back.
  for (const [client, list] of brought) if (!available(client, 0, Math.max(...list.map(([, end]) => end)))) out.pending = true
  for (const [client, deletes] of ds.clients) {
    for (const { clock, len } of deletes) {
      if (!available(client, clock, clock + len)) out.pending = true
      const stored = doc.store.clients.get(client)
      if (!stored || clock >= Y.getState(doc.store, client)) continue // deletes nothing we have
      for (let i = Y.findIndexSS(stored, clock); i < stored.length && stored[i].id.clock < clock + len; i++) {
        const struct = stored[i]
        if (struct instanceof Y.Item && !struct.deleted) note(locate(struct))
      }
    }
  }
  return out
}

/** Whether an update holds no struct and no deletion beyond what the document already has. */
export function addsNothing(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  if (!structs.every((s) => s.id.clock + s.length <= Y.getState(doc.store, s.id.client))) return false
  // Yjs sends the whole delete set with every sync: it adds nothing if all of it is deleted here.
  for (const [client, ranges] of ds.clients) {
    const stored = doc.store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (!stored || clock + len > Y.getState(doc.store, client)) return false
      for (let i = Y.findIndexSS(stored, clock); i < stored.length && stored[i].id.clock < clock + len; i++) {
        if (!stored[i].deleted) return false
      }
    }
  }
  return true
}
