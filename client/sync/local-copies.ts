/**
 * Where a browser keeps its copies of a board (y-indexeddb databases), and how to forget them.
 * A deleted board must not live on in the browsers that had it open: that is part of honouring
 * an erasure request.
 */
export const boardDbName = (boardId: string) => `snurra-${boardId}`
export const draftsDbName = (boardId: string) => `snurra-${boardId}-private`

// y-indexeddb's layout: the document is the sum of the updates in this store.
const UPDATES_STORE = 'updates'

/**
 * Makes `state` the whole of a y-indexeddb copy, in one IndexedDB transaction: what was stored
 * before (a refused update among it) is never loaded again. Unlike deleting the database, this
 * is not blocked by another tab that has it open. Call after the persistence writing to it is
 * destroyed.
 */
export async function replaceLocalCopy(name: string, state: Uint8Array): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name)
    req.onupgradeneeded = () => {
      req.result.createObjectStore(UPDATES_STORE, { autoIncrement: true })
      req.result.createObjectStore('custom')
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  try {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction([UPDATES_STORE], 'readwrite')
      const updates = tx.objectStore(UPDATES_STORE)
      updates.clear()
      updates.add(state)
      tx.oncomplete = () => resolve()
      tx.onerror = tx.onabort = () => reject(tx.error)
    })
  } finally {
    db.close()
  }
}

/** Deletes both databases of a board that is not open in this tab (e.g. found gone on load). */
export async function forgetBoardLocally(boardId: string): Promise<void> {
  await Promise.all([boardDbName(boardId), draftsDbName(boardId)].map(deleteDatabase))
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name)
    // Blocked means another tab still has it open; it forgets its copy when its socket closes.
    req.onsuccess = req.onerror = req.onblocked = () => resolve()
  })
}
