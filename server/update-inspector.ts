import * as Y from 'yjs'

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
}

interface Location {
  root: string
  key: string | null
}

const MAX_HOPS = 10_000

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateTargets {
  const { structs, ds } = Y.decodeUpdate(update)
  const incoming = new Map<number, Y.Item[]>()
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue
    let list = incoming.get(s.id.client)
    if (!list) incoming.set(s.id.client, (list = []))
    list.push(s)
  }
  const out: UpdateTargets = { keys: new Set(), unresolved: false }
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
    if (!stored || id.clock >= Y.getState(doc.store, id.client)) return null
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

  for (const list of incoming.values()) for (const item of list) note(locate(item))
  for (const [client, deletes] of ds.clients) {
    for (const { clock, len } of deletes) {
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
