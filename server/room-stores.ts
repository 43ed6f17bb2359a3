import * as Y from 'yjs'
import type { RoomStore } from './room.ts'
import type { Storage } from './storage/storage.ts'

/** The board's own document: an append-only log of updates plus a compacted snapshot. */
export function boardStore(storage: Storage, boardId: string): RoomStore {
  return {
    load: () => storage.loadBoard(boardId),
    appendMany: (updates) => storage.appendUpdates(boardId, updates),
    compact: (snapshot, uptoSeq) => storage.compact(boardId, snapshot, uptoSeq),
  }
}

export const PRIVATE_PREFIX = 'private:'

/**
 * A person's private drafts (cards made in private mode): one small document per person, kept
 * whole in the board's server-private state and rewritten on every update, since it holds
 * only that person's unrevealed cards.
 *
 * Another instance may hold the same drafts (a second tab, a reveal run elsewhere), so every
 * write merges into what is stored now, under a lock across instances, instead of overwriting
 * it with what this instance happens to hold.
 */
export function privateStore(storage: Storage, boardId: string, personId: string): RoomStore {
  const key = PRIVATE_PREFIX + personId
  let seq = 0
  const read = async () => {
    const stored = await storage.getState(boardId, key)
    return typeof stored === 'string' ? new Uint8Array(Buffer.from(stored, 'base64')) : null
  }
  const mergeIn = (change: Uint8Array) =>
    storage.exclusive(`${boardId}/private/${personId}`, async () => {
      const state = await read()
      await storage.setState(boardId, key, Buffer.from(state ? Y.mergeUpdates([state, change]) : change).toString('base64'))
    })
  return {
    async load() {
      return { snapshot: await read(), updates: [], lastSeq: 0 }
    },
    async appendMany(updates) {
      await mergeIn(updates.length === 1 ? updates[0] : Y.mergeUpdates(updates))
      return updates.map(() => ++seq)
    },
    async compact(snapshot) {
      await mergeIn(snapshot)
    },
  }
}
