import * as Y from 'yjs'
import type { Health } from '../health.ts'
import type { Logger } from '../log.ts'
import type { Connection, Proposal, Refusal, RoomExtension } from '../room-types.ts'
import type { Room } from '../room.ts'
import { checkStoredBoard } from '../storage/integrity.ts'
import type { StoredBoard } from '../storage/storage.ts'

export interface BoardHealthDeps {
  boardId: string
  log: Logger
  health: Health
  /** MAX_BOARD_BYTES: the largest a board's document may grow. */
  maxBoardBytes: number
}

/**
 * A board's stored data and size. On load its log and snapshot are checked
 * (server/storage/integrity.ts): a damaged board is logged, reported by /healthz, and served
 * read-only — every update refused as `damaged`, everyone told on joining — rather than shown
 * with cards silently missing. While it is sound, an update that would take the document past
 * MAX_BOARD_BYTES is refused as `board-full`.
 *
 * The size is an estimate kept from the updates let through, measured exactly (a full encode)
 * only when the estimate passes the cap, so a board near the cap costs one encode per attempt
 * and every other board none.
 */
export class BoardHealth implements RoomExtension {
  readonly name = 'board-health'
  private damaged = false
  private estimate = 0

  constructor(
    private readonly room: Room,
    private readonly deps: BoardHealthDeps,
  ) {}

  onLoaded(stored: StoredBoard): void {
    const verdict = checkStoredBoard(stored)
    if (!verdict.ok) {
      this.damaged = true
      this.deps.log.error('board damaged', { board: this.deps.boardId, problems: verdict.problems })
      this.deps.health.boardFault(this.deps.boardId, verdict.problems)
    }
    this.estimate = Y.encodeStateAsUpdate(this.room.doc).length
  }

  judge({ update, changes }: Proposal): Refusal | null {
    if (this.damaged) return { reason: 'damaged', records: [...changes.records.keys()] }
    if (this.estimate + update.length > this.deps.maxBoardBytes) {
      this.estimate = Y.encodeStateAsUpdate(this.room.doc).length
      if (this.estimate + update.length > this.deps.maxBoardBytes) {
        return { reason: 'board-full', records: [...changes.records.keys()] }
      }
    }
    this.estimate += update.length
    return null
  }

  onJoined(conn: Connection): void {
    if (this.damaged) this.room.sendSnurra(conn, { t: 'damaged' })
  }
}
