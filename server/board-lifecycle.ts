import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import type { Activity } from '../core/activity.ts'
import { metaOf } from '../core/board-meta.ts'
import { placeNewCards } from '../core/card-placement.ts'
import { newBoardId } from '../core/ids.ts'
import { readAllRecords, recordsOf, writeRecord } from '../core/record-store.ts'
import type { Boards } from './boards.ts'
import { CLOSE } from './close-codes.ts'
import type { Logger } from './log.ts'
import type { Rooms } from './rooms.ts'
import type { BoardInfo, Storage } from './storage/storage.ts'

/** Boards made, copied, added to in bulk and erased — the work behind imports and versions. */

/** Names of every loaded room of a board: the board's own and its people's private drafts. */
export function boardRoomNames(rooms: Rooms, boardId: string): string[] {
  return [...rooms.names()].filter((name) => name === boardId || name.startsWith(boardId + '/'))
}

export const newVersionId = () => randomBytes(9).toString('base64url')

/** A new board holding `state` (a restored backup or version), with the versions given. */
export async function createBoardFromState(
  storage: Storage,
  board: { title: string; templateId: string; createdAt?: number },
  state: Uint8Array,
  versions: { id: string; name: string; createdAt: number; state: Uint8Array }[] = [],
  retitle = false,
): Promise<BoardInfo> {
  const info: BoardInfo = { id: newBoardId(), title: board.title, templateId: board.templateId, createdAt: board.createdAt ?? Date.now() }
  let initial = state
  if (retitle) {
    // A copy under a new name: the title users see lives in the document's meta too.
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    metaOf(doc).set('title', board.title)
    initial = Y.encodeStateAsUpdate(doc)
    doc.destroy()
  }
  await storage.createBoard(info, initial)
  try {
    for (const v of versions) await storage.saveVersion(info.id, { id: v.id, name: v.name, createdAt: v.createdAt }, v.state)
  } catch (err) {
    // All or nothing: a restore that fails half-way leaves no board with half its versions.
    await storage.deleteBoard(info.id).catch(() => {})
    throw err
  }
  return info
}

/**
 * Adds activities as new cards through the board's room, so they are stored before anyone sees
 * them and every connected client gets them live. Returns false if storage refused the write.
 */
export async function addActivities(boards: Boards, rooms: Rooms, boardId: string, activities: Activity[]): Promise<boolean> {
  const room = await boards.openBoard(boardId)
  let stored = false
  try {
    await room.run(async () => {
      stored = await room.serverWrite(() => {
        const records = recordsOf(room.doc)
        for (const record of placeNewCards(readAllRecords(room.doc), activities, () => randomBytes(12).toString('base64url'))) writeRecord(records, record)
      })
    })
  } finally {
    rooms.release(boardId, room)
  }
  return stored
}

/**
 * Erases a board: deletes everything storage holds of it, then closes its sockets and drops its
 * rooms from memory without storing them again. Storage goes first so that nobody can load the
 * board anew in between: from that moment its links find it gone (410, close code 4410), and
 * an append still in flight fails instead of bringing rows back.
 */
export async function eraseBoard(storage: Storage, rooms: Rooms, log: Logger, boardId: string): Promise<void> {
  await storage.deleteBoard(boardId)
  const names = boardRoomNames(rooms, boardId)
  for (const name of names) rooms.get(name)?.closeAll(CLOSE.gone, 'board deleted')
  await Promise.all(names.map((name) => rooms.discard(name)))
  log.info('board deleted', { board: boardId })
}
