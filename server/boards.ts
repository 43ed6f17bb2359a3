import * as Y from 'yjs'
import { isTemplateShape } from '../core/board-doc.ts'
import { readRecord, recordsOf, type JsonRecord } from '../core/record-store.ts'
import { Facilitation } from './facilitation.ts'
import type { Logger } from './log.ts'
import { draftsStore } from './drafts-store.ts'
import { judgeWrite } from './policy.ts'
import { Room } from './room.ts'
import { boardStore } from './room-stores.ts'
import type { Rooms } from './rooms.ts'
import type { FanoutHub, RoomFanout } from './scaleout/room-fanout.ts'
import type { Storage } from './storage/storage.ts'
import { inspectUpdate } from './update-inspector.ts'

export interface BoardsOptions {
  rooms: Rooms
  storage: Storage
  log: Logger
  compactEvery: number
  /** The largest a person's private drafts may grow (MAX_DRAFTS_BYTES). */
  maxDraftsBytes: number
  /** Set when other instances may serve the same boards (DATABASE_URL, REDIS_URL). */
  scaleout?: FanoutHub
}

export const privateRoomName = (boardId: string, personId: string) => `${boardId}/private/${personId}`

/**
 * Opens the rooms of a board: the board itself (with its write rules and facilitation) and
 * each person's private drafts.
 */
export class Boards {
  constructor(private readonly opts: BoardsOptions) {}

  openBoard(boardId: string): Promise<Room> {
    const { storage, log, compactEvery, scaleout } = this.opts
    return this.opts.rooms.acquire(boardId, (onEmpty) => {
      let facilitation: Facilitation | null = null
      let fanout: RoomFanout | undefined
      const room: Room = new Room(boardId, {
        store: boardStore(storage, boardId),
        log,
        compactEvery,
        onEmpty,
        fanout:
          scaleout &&
          ((r) =>
            (fanout = scaleout.attach(r, {
              sequenced: true,
              loadSince: (seq) => storage.loadSince(boardId, seq),
              onBallot: (personId) => void r.run(() => facilitation!.resendBallot(personId)),
            }))),
        guard: (conn, update, decoded) => {
          const targets = inspectUpdate(room.doc, update, decoded)
          const verdict = judgeWrite(conn.role, facilitation!.state, targets, (id) => isTemplateRecordIn(room.doc, id))
          return verdict.ok ? null : verdict.reason
        },
        // Intents check, then act (vote limits, ballots): one board's are handled one at a time
        // across all instances, each on a document that has every change stored before it.
        onSnurraMessage: (conn, payload) =>
          storage.exclusive(boardId, async () => {
            await fanout?.catchUp()
            await facilitation!.handle(conn, payload)
          }),
        onJoined: (conn) => facilitation!.joined(conn),
      })
      facilitation = new Facilitation(room, {
        boardId,
        storage,
        log,
        openPrivate: (personId) => this.openPrivate(boardId, personId),
        releasePrivate: (personId, drafts) => this.opts.rooms.release(privateRoomName(boardId, personId), drafts),
        ballotChanged: (personId) => fanout?.ballotChanged(personId),
      })
      return room
    })
  }

  openPrivate(boardId: string, personId: string): Promise<Room> {
    const { storage, log, compactEvery, scaleout } = this.opts
    const name = privateRoomName(boardId, personId)
    return this.opts.rooms.acquire(name, (onEmpty) => {
      const store = draftsStore(storage, boardId, personId, this.opts.maxDraftsBytes)
      // A person's drafts have no numbered log: another instance's changes are caught up whole.
      const fanout = scaleout && ((r: Room) => scaleout.attach(r, { sequenced: false, loadSince: () => store.load() }))
      const room: Room = new Room(name, { store, log, compactEvery, onEmpty, fanout, guard: (_conn, update) => (store.fits(update) ? null : 'drafts-full') })
      return room
    })
  }
}

function isTemplateRecordIn(doc: Y.Doc, id: string): boolean {
  const entries = recordsOf(doc).get(id)
  return entries instanceof Y.Array && isTemplateShape(readRecord(entries) as JsonRecord)
}
