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

/** The key prefix of a person's private drafts in the board's state (server/drafts-store.ts). */
export const PRIVATE_PREFIX = 'private:'
