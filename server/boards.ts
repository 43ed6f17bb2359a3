import * as Y from 'yjs'
import { isTemplateShape } from '../core/board-doc.ts'
import { readRecord, recordsOf, type JsonRecord } from '../core/record-store.ts'
import { Facilitation } from './facilitation.ts'
import type { Logger } from './log.ts'
import { judgeWrite } from './policy.ts'
import { Room } from './room.ts'
import { boardStore, privateStore } from './room-stores.ts'
import type { Rooms } from './rooms.ts'
import type { Storage } from './storage/storage.ts'
import { inspectUpdate } from './update-inspector.ts'

export interface BoardsOptions {
  rooms: Rooms
  storage: Storage
  log: Logger
  compactEvery: number
}

export const privateRoomName = (boardId: string, personId: string) => `${boardId}/private/${personId}`

/**
 * Opens the rooms of a board: the board itself (with its write rules and facilitation) and
 * each person's private drafts.
 */
export class Boards {
  constructor(private readonly opts: BoardsOptions) {}

  openBoard(boardId: string): Promise<Room> {
    const { storage, log, compactEvery } = this.opts
    return this.opts.rooms.acquire(boardId, (onEmpty) => {
      let facilitation: Facilitation | null = null
      const room: Room = new Room(boardId, {
        store: boardStore(storage, boardId),
        log,
        compactEvery,
        onEmpty,
        guard: (conn, update, decoded) => {
          const targets = inspectUpdate(room.doc, update, decoded)
          const verdict = judgeWrite(conn.role, facilitation!.state, targets, (id) => isTemplateRecordIn(room.doc, id))
          return verdict.ok ? null : verdict.reason
        },
        onSnurraMessage: (conn, payload) => facilitation!.handle(conn, payload),
        onJoined: (conn) => facilitation!.joined(conn),
      })
      facilitation = new Facilitation(room, {
        boardId,
        storage,
        log,
        openPrivate: (personId) => this.openPrivate(boardId, personId),
        releasePrivate: (personId, drafts) => this.opts.rooms.release(privateRoomName(boardId, personId), drafts),
      })
      return room
    })
  }

  openPrivate(boardId: string, personId: string): Promise<Room> {
    const { storage, log, compactEvery } = this.opts
    const name = privateRoomName(boardId, personId)
    return this.opts.rooms.acquire(name, (onEmpty) => new Room(name, { store: privateStore(storage, boardId, personId), log, compactEvery, onEmpty }))
  }
}

function isTemplateRecordIn(doc: Y.Doc, id: string): boolean {
  const entries = recordsOf(doc).get(id)
  return entries instanceof Y.Array && isTemplateShape(readRecord(entries) as JsonRecord)
}
