import * as Y from 'yjs'
import type { StoredBoard } from './storage/storage.ts'

/**
 * Applies a stored board (snapshot, then the log) to a document. An update Yjs can decode but
 * not fully apply was applied live just as far as it goes, so here too: one bad update must
 * never make a whole board unloadable. Returns how many updates applied only in part.
 */
export function applyStored(doc: Y.Doc, stored: StoredBoard, origin: unknown = 'storage'): { partial: string[] } {
  const partial: string[] = []
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, origin)
  for (const update of stored.updates) {
    try {
      Y.applyUpdate(doc, update, origin)
    } catch (err) {
      partial.push((err as Error).message)
    }
  }
  return { partial }
}

/** The current state of a board as storage has it: every acknowledged update is in it. */
export async function storedState(storage: { loadBoard(id: string): Promise<StoredBoard> }, boardId: string): Promise<Uint8Array> {
  const doc = new Y.Doc()
  try {
    applyStored(doc, await storage.loadBoard(boardId))
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}

/** A document from a state (a version, a backup), for reading. The caller destroys it. */
export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}
