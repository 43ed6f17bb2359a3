/**
 * Where a browser keeps its copies of a board (y-indexeddb databases), and how to forget them.
 * A deleted board must not live on in the browsers that had it open: that is part of honouring
 * an erasure request.
 */
export const boardDbName = (boardId: string) => `snurra-${boardId}`
export const draftsDbName = (boardId: string) => `snurra-${boardId}-private`

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
