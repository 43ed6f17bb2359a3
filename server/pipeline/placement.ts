import * as Y from 'yjs'
import type { DecodedUpdate } from '../protocol.ts'

/**
 * Where each item of an incoming update lands in the board document, found before the update
 * is applied, in time linear in the update's size.
 *
 * The board document is two levels deep and no deeper: root maps (`records`, `meta`, `paths`,
 * `facilitation`) whose entries are values or one nested type (a record's array of pairs, an
 * action path's map), whose items are values. So an item is either an entry of a root ("root")
 * or an item inside the type one root entry holds ("inside"); anything deeper is refused.
 *
 * Yjs omits an item's parent when it has a neighbour; the receiving peer then takes the
 * neighbour's parent (Item.getMissing). We do the same, memoised, so a chain of 4,000 items each
 * naming only the next one costs 4,000 steps, not 4,000². Lookups by id are binary searches in
 * the update (indexed by client and clock) and in the document's struct store.
 */
export type Place =
  | { kind: 'root'; root: string; key: string | null }
  | { kind: 'inside'; root: string; entry: string | null; owner: Y.Item; key: string | null }
  /** Lands in a deleted or garbage-collected type, or is deleted by this update: changes nothing. */
  | { kind: 'dead' }
  /** Refers to changes neither the document nor this update holds: Yjs would hold it back. */
  | { kind: 'pending' }
  | { kind: 'bad'; why: string }

export interface Placement {
  /** Each incoming item's place, in the update's order. */
  items: Array<{ item: Y.Item; place: Place }>
  /** Document items (not yet deleted) that the update's delete set removes. */
  deleted: Y.Item[]
  /** Whether a deletion (of a document item or an incoming one) covers the clock. */
  isDeleted(client: number, clock: number): boolean
  /** The update depends on changes the document does not have (see `Place` 'pending'). */
  pending: boolean
  /** Delete ranges that cut a live document item in two: Yjs's cost grows fast with these. */
  splits: number
}

type Found = Y.Item | Y.GC | 'pending' | null

export function placeUpdate(doc: Y.Doc, decoded: DecodedUpdate): Placement {
  const { structs, ds } = decoded
  const store = doc.store
  const known = (client: number) => (store.clients.has(client) ? Y.getState(store, client) : 0)

  // The update's structs by client, sorted by clock, for binary search.
  const byClient = new Map<number, Array<Y.Item | Y.GC>>()
  for (const s of structs) {
    if (s instanceof Y.Skip) continue
    const item = s as Y.Item | Y.GC
    let list = byClient.get(item.id.client)
    if (!list) byClient.set(item.id.client, (list = []))
    list.push(item)
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)

  // The delete set by client, sorted and merged (a hostile one may repeat or overlap ranges), so
  // walking it visits each document struct at most once.
  const deletes = new Map<number, Array<{ clock: number; len: number }>>()
  for (const [client, ranges] of ds.clients) deletes.set(client, mergeRanges(ranges))
  const isDeleted = (client: number, clock: number): boolean => {
    const ranges = deletes.get(client)
    if (!ranges) return false
    let lo = 0
    let hi = ranges.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const r = ranges[mid]
      if (clock < r.clock) hi = mid - 1
      else if (clock >= r.clock + r.len) lo = mid + 1
      else return true
    }
    return false
  }

  let pending = false
  // Whether the document and the update together hold `client`'s clocks [from, to).
  const available = (client: number, from: number, to: number): boolean => {
    let at = Math.max(from, known(client))
    const list = byClient.get(client)
    if (at >= to) return true
    if (!list) return false
    for (let i = firstEndingAfter(list, at); i < list.length && at < to; i++) {
      if (list[i].id.clock > at) return false
      at = Math.max(at, list[i].id.clock + list[i].length)
    }
    return at >= to
  }

  const findIncoming = (id: Y.ID): Y.Item | Y.GC | null => {
    const list = byClient.get(id.client)
    if (!list) return null
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid]
      if (id.clock < s.id.clock) hi = mid - 1
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1
      else return s
    }
    return null
  }
  const find = (id: Y.ID): Found => {
    if (id.clock < known(id.client)) {
      const stored = store.clients.get(id.client)!
      return stored[Y.findIndexSS(stored, id.clock)] as Y.Item | Y.GC
    }
    const incoming = findIncoming(id)
    if (incoming) return incoming
    pending = true
    return 'pending'
  }
  const incomingItem = (s: Y.Item | Y.GC): s is Y.Item => s instanceof Y.Item && s.id.clock >= known(s.id.client)

  /**
   * The place of a document item (its parent is a real type). A deleted item still has its
   * place: an item inserted next to it lands beside it, in the same type.
   */
  const placeInDoc = (item: Y.Item, depth: number): Place => {
    const parent = item.parent
    if (!(parent instanceof Y.AbstractType)) return { kind: 'dead' }
    const owner = parent._item
    if (!owner) return { kind: 'root', root: Y.findRootTypeKey(parent), key: item.parentSub }
    return inside(owner, item.parentSub, depth)
  }

  /** The place of an item whose parent type is held by `owner`. */
  const inside = (owner: Y.Item, key: string | null, depth: number): Place => {
    if (depth >= 1) return { kind: 'bad', why: 'nested deeper than the board document allows' }
    if (!(owner.content instanceof Y.ContentType)) return { kind: 'bad', why: 'parent is not a shared type' }
    const ownerPlace = incomingItem(owner) ? placeIncoming(owner, depth + 1) : placeInDoc(owner, depth + 1)
    if (ownerPlace.kind !== 'root') return ownerPlace.kind === 'inside' ? { kind: 'bad', why: 'nested deeper than the board document allows' } : ownerPlace
    // Into a deleted type (or one this update deletes): Yjs keeps nothing of it.
    if (incomingItem(owner) ? isDeleted(owner.id.client, owner.id.clock) : (owner as Y.Item).deleted) return { kind: 'dead' }
    return { kind: 'inside', root: ownerPlace.root, entry: ownerPlace.key, owner, key }
  }

  const memo = new Map<Y.Item, Place>()
  /** An incoming item's place; neighbour chains are walked once, iteratively. */
  const placeIncoming = (start: Y.Item, depth: number): Place => {
    const chain: Y.Item[] = []
    const seen = new Set<Y.Item>()
    let item = start
    let place: Place
    for (;;) {
      const known = memo.get(item)
      if (known) {
        place = known
        break
      }
      if (seen.has(item)) {
        place = { kind: 'bad', why: 'items name each other as neighbours' }
        break
      }
      seen.add(item)
      chain.push(item)
      const parent = item.parent as unknown
      if (typeof parent === 'string') {
        place = { kind: 'root', root: parent, key: item.parentSub }
        break
      }
      if (parent instanceof Y.ID) {
        const owner = find(parent)
        if (owner === 'pending') place = { kind: 'pending' }
        else if (!(owner instanceof Y.Item)) place = { kind: 'dead' }
        else place = inside(owner, item.parentSub, depth)
        break
      }
      // No parent info: Yjs takes it from the left neighbour (origin), else the right one, and
      // drops the item if either neighbour was garbage-collected.
      const left = item.origin ? find(item.origin) : null
      const right = item.rightOrigin ? find(item.rightOrigin) : null
      if (left === 'pending' || right === 'pending') {
        place = { kind: 'pending' }
        break
      }
      if (left instanceof Y.GC || right instanceof Y.GC) {
        place = { kind: 'dead' }
        break
      }
      const neighbour = left ?? right
      if (!neighbour) {
        place = { kind: 'bad', why: 'item names neither a parent nor a neighbour' }
        break
      }
      if (!incomingItem(neighbour)) {
        place = placeInDoc(neighbour, depth)
        break
      }
      item = neighbour
    }
    for (const link of chain) memo.set(link, place)
    return place
  }

  const items: Placement['items'] = []
  for (const list of byClient.values()) {
    for (const s of list) {
      if (!(s instanceof Y.Item) || s.id.clock + s.length <= known(s.id.client)) continue // already here
      items.push({ item: s, place: placeIncoming(s, 0) })
    }
  }
  // Every clock from the document's state up to the last one brought: no gap for Yjs to hold back.
  for (const [client, list] of byClient) {
    const last = list[list.length - 1]
    if (!available(client, 0, last.id.clock + last.length)) pending = true
  }

  const deleted: Y.Item[] = []
  let splits = 0
  for (const [client, ranges] of deletes) {
    const stored = store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (!available(client, clock, clock + len)) pending = true
      if (!stored || clock >= known(client)) continue
      for (let i = Y.findIndexSS(stored, clock); i < stored.length && stored[i].id.clock < clock + len; i++) {
        const struct = stored[i]
        if (!(struct instanceof Y.Item) || struct.deleted) continue
        deleted.push(struct)
        if (struct.id.clock < clock) splits++
        if (struct.id.clock + struct.length > clock + len) splits++
      }
    }
  }
  return { items, deleted, isDeleted, pending, splits }
}

/** Index of the first struct of a clock-sorted list that ends after `clock`. */
function firstEndingAfter(list: Array<Y.Item | Y.GC>, clock: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid].id.clock + list[mid].length <= clock) lo = mid + 1
    else hi = mid
  }
  return lo
}

function mergeRanges(ranges: Array<{ clock: number; len: number }>): Array<{ clock: number; len: number }> {
  const sorted = [...ranges].sort((a, b) => a.clock - b.clock)
  const out: Array<{ clock: number; len: number }> = []
  for (const { clock, len } of sorted) {
    const last = out[out.length - 1]
    if (last && clock <= last.clock + last.len) last.len = Math.max(last.len, clock + len - last.clock)
    else out.push({ clock, len })
  }
  return out
}
