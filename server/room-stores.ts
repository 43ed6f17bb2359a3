import * as Y from 'yjs'
import type { RoomStore } from './room.ts'
import type { Storage } from './storage/storage.ts'

/** The board's own document: an append-only log of updates plus a compacted snapshot. */
export function boardStore(storage: Storage, boardId: string): RoomStore {
  return {
    load: () => storage.loadBoard(boardId),
    append: (update) => storage.appendUpdate(boardId, update),
    compact: (snapshot, uptoSeq) => storage.compact(boardId, snapshot, uptoSeq),
  }
}

export const PRIVATE_PREFIX = 'private:'

/**
 * A person's private drafts (cards made in private mode): one small document per person, kept
 * whole in the board's server-private state and rewritten on every update, since it holds
 * only that person's unrevealed cards.
 */
export function privateStore(storage: Storage, boardId: string, personId: string): RoomStore {
  const key = PRIVATE_PREFIX + personId
  let state: Uint8Array | null = null
  let seq = 0
  const save = (next: Uint8Array) => storage.setState(boardId, key, Buffer.from(next).toString('base64'))
  return {
    async load() {
      const stored = await storage.getState(boardId, key)
      state = typeof stored === 'string' ? new Uint8Array(Buffer.from(stored, 'base64')) : null
      return { snapshot: state, updates: [], lastSeq: 0 }
    },
    async append(update) {
      const next = state ? Y.mergeUpdates([state, update]) : update
      await save(next)
      state = next
      return ++seq
    },
    async compact(snapshot) {
      await save(snapshot)
      state = snapshot
    },
  }
}
