import * as Y from 'yjs'
import { ProtocolError } from './protocol.ts'
import { PRIVATE_PREFIX } from './room-stores.ts'
import type { RoomStore } from './room-types.ts'
import type { Storage } from './storage/storage.ts'

/** Where a person's private drafts are kept, and the cap on their size. */
export interface DraftsStore extends RoomStore {
  /**
   * Whether the drafts with `update` stored would stay within the cap, measured on exactly
   * the bytes appending it would store. Call right before appending it.
   */
  fits(update: Uint8Array): boolean
}

/**
 * A person's private drafts (cards made in private mode): one small document per person, kept
 * whole in the board's server-private state and rewritten on every change, since it holds only
 * that person's unrevealed cards.
 *
 * What is stored is the state of a Yjs document holding the drafts, not a merge of the updates
 * that made them: a Y.Doc drops the content of deleted items, Y.mergeUpdates keeps it, so 2,000
 * moves of one draft card stored 50 KB for a 600-byte document and every write grew larger.
 * The document is kept between writes (`shadow`), so a write applies one update and encodes,
 * instead of decoding everything stored first.
 *
 * Another instance may hold the same drafts (a second tab, a reveal run elsewhere), so every
 * write merges into what is stored now, under a lock across instances, instead of overwriting
 * it with what this instance happens to hold.
 */
export function draftsStore(storage: Storage, boardId: string, personId: string, maxBytes: number): DraftsStore {
  const key = PRIVATE_PREFIX + personId
  const lock = `${boardId}/private/${personId}`
  let seq = 0
  /** The stored text (base64), as last read or written here. */
  let stored: string | null = null
  let shadow = new Y.Doc()
  /** The stored text `shadow` holds exactly, or undefined when it holds a change not stored. */
  let shadowHolds: string | null | undefined = null
  /** Bumped on every change to `shadow`, to tell whether it still holds what was encoded. */
  let generation = 0
  /** What `fits` measured for the update it let through, for `append` to store as is. */
  let prepared: { update: Uint8Array; from: string | null; result: Uint8Array; generation: number } | null = null

  const read = async () => {
    const text = await storage.getState(boardId, key)
    return typeof text === 'string' ? text : null
  }
  const shadowOf = (text: string | null) => {
    if (shadowHolds === text) return
    shadow.destroy()
    shadow = new Y.Doc()
    if (text !== null) Y.applyUpdate(shadow, Buffer.from(text, 'base64'))
    shadowHolds = text
    generation++
  }
  const withChange = (update: Uint8Array): Uint8Array => {
    // Marked first: an update Yjs throws on halfway leaves part of it in the document.
    shadowHolds = undefined
    generation++
    Y.applyUpdate(shadow, update)
    return Y.encodeStateAsUpdate(shadow)
  }

  return {
    async load() {
      stored = await read()
      shadowOf(stored)
      return { snapshot: stored === null ? null : new Uint8Array(Buffer.from(stored, 'base64')), updates: [], lastSeq: 0 }
    },
    fits(update) {
      shadowOf(stored)
      prepared = null
      let result: Uint8Array
      try {
        result = withChange(update)
      } catch (err) {
        throw new ProtocolError(`draft update does not apply: ${(err as Error).message}`)
      }
      prepared = result.length <= maxBytes ? { update, from: stored, result, generation } : null
      return prepared !== null
    },
    async appendMany(updates) {
      // A batch is stored as one change (the room judged each, in order, against its document).
      const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
      await storage.exclusive(lock, async () => {
        const current = await read()
        const ready = prepared?.update === update && prepared.from === current ? prepared : null
        prepared = null
        let result: Uint8Array
        let encodedAt: number
        if (ready) {
          ;({ result, generation: encodedAt } = ready)
        } else {
          // Another instance wrote since, or the room stores a change of its own (a reveal).
          shadowOf(current)
          result = withChange(update)
          encodedAt = generation
        }
        const text = Buffer.from(result).toString('base64')
        await storage.setState(boardId, key, text)
        stored = text
        if (generation === encodedAt) shadowHolds = text
      })
      return updates.map(() => ++seq)
    },
    // Every change is stored whole before the room applies it (or, for the room's own changes,
    // before anyone sees it): the stored drafts already hold everything the room's copy does.
    async compact() {},
  }
}
