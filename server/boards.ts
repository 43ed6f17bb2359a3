import { readFacilitation } from '../core/facilitation.ts'
import type { RejectReason } from '../core/messages.ts'
import { draftsStore } from './drafts-store.ts'
import { boardWriteRules, draftWriteRules } from './extensions/write-rules.ts'
import { Validation, type QuarantineStore } from './extensions/validation.ts'
import { BoardHealth } from './extensions/board-health.ts'
import type { Health } from './health.ts'
import type { QuarantineEntry } from './extensions/quarantine.ts'
import { Facilitation } from './facilitation.ts'
import type { Logger } from './log.ts'
import { Room, type RoomExtension } from './room.ts'
import { boardStore } from './room-stores.ts'
import type { Rooms } from './rooms.ts'
import type { FanoutHub, RoomFanout } from './scaleout/room-fanout.ts'
import type { Storage } from './storage/storage.ts'

export interface BoardsOptions {
  rooms: Rooms
  storage: Storage
  log: Logger
  compactEvery: number
  /** The largest a person's private drafts may grow (MAX_DRAFTS_BYTES). */
  maxDraftsBytes: number
  /** Set when other instances may serve the same boards (DATABASE_URL, REDIS_URL). */
  scaleout?: FanoutHub
  /** Counts refused updates and quarantined records (metrics). */
  onRefused?(reason: RejectReason): void
  onQuarantined?(count: number): void
  /** Damage found in stored boards is reported here (/healthz). */
  health: Health
  /** MAX_BOARD_BYTES. */
  maxBoardBytes: number
}

export const privateRoomName = (boardId: string, personId: string) => `${boardId}/private/${personId}`

const QUARANTINE_KEY = 'quarantine'

/**
 * Opens the rooms of a board: the board itself and each person's private drafts, each a Room
 * with the extensions that give it its rules. A board's, in order: its health and size, the role rules, validation,
 * facilitation, and the fan-out to other instances. A person's drafts: the drafts rules,
 * validation, the size limit, the fan-out.
 */
export class Boards {
  constructor(private readonly opts: BoardsOptions) {}

  openBoard(boardId: string): Promise<Room> {
    const { storage, log, compactEvery, scaleout, onRefused } = this.opts
    return this.opts.rooms.acquire(boardId, (onEmpty) => {
      return new Room(boardId, {
        store: boardStore(storage, boardId),
        log,
        compactEvery,
        onEmpty,
        onRefused,
        extensions: (room) => {
          let fanout: RoomFanout | undefined
          const facilitation = new Facilitation(room, {
            boardId,
            storage,
            log,
            openPrivate: (personId) => this.openPrivate(boardId, personId),
            releasePrivate: (personId, drafts) => this.opts.rooms.release(privateRoomName(boardId, personId), drafts),
            ballotChanged: (personId) => fanout?.ballotChanged(personId),
          })
          fanout = scaleout?.attach(room, {
            sequenced: true,
            loadSince: (seq) => storage.loadSince(boardId, seq),
            onBallot: (personId) => void room.run(() => facilitation.resendBallot(personId)),
          })
          const intents: RoomExtension = {
            name: 'facilitation',
            onJoined: (conn) => facilitation.joined(conn),
            // Intents check, then act (vote limits, ballots): one board's are handled one at a time
            // across all instances, each on a document that has every change stored before it.
            onMessage: (conn, payload) =>
              storage.exclusive(boardId, async () => {
                await fanout?.catchUp()
                await facilitation.handle(conn, payload)
              }),
          }
          const validation = new Validation(room, { log, quarantine: quarantineStore(storage, boardId), onQuarantined: this.opts.onQuarantined })
          const rules = boardWriteRules(() => readFacilitation(room.doc).locked)
          const health = new BoardHealth(room, { boardId, log, health: this.opts.health, maxBoardBytes: this.opts.maxBoardBytes })
          return [health, rules, validation, intents, ...(fanout ? [fanout] : [])]
        },
      })
    })
  }

  openPrivate(boardId: string, personId: string): Promise<Room> {
    const { storage, log, compactEvery, scaleout, onRefused } = this.opts
    const name = privateRoomName(boardId, personId)
    return this.opts.rooms.acquire(name, (onEmpty) => {
      const store = draftsStore(storage, boardId, personId, this.opts.maxDraftsBytes)
      return new Room(name, {
        store,
        log,
        compactEvery,
        onEmpty,
        onRefused,
        extensions: (room) => {
          // Measured on exactly what would be stored; judged last, after the rules and validation.
          const limit: RoomExtension = { name: 'drafts-limit', judge: ({ update }) => (store.fits(update) ? null : { reason: 'drafts-full' }) }
          // A person's drafts have no numbered log: another instance's changes are caught up whole.
          const fanout = scaleout?.attach(room, { sequenced: false, loadSince: () => store.load() })
          return [draftWriteRules(), new Validation(room, { log, links: false }), limit, ...(fanout ? [fanout] : [])]
        },
      })
    })
  }
}

/** A board's quarantine: entries kept in its server-private state, never sent to clients. */
function quarantineStore(storage: Storage, boardId: string): QuarantineStore {
  const read = async () => {
    const stored = await storage.getState(boardId, QUARANTINE_KEY)
    return Array.isArray(stored) ? (stored as QuarantineEntry[]) : []
  }
  return {
    async save(entries) {
      const all = [...(await read()), ...entries]
      await storage.setState(boardId, QUARANTINE_KEY, all)
      return all.length
    },
    count: async () => (await read()).length,
  }
}
