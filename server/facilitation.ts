import * as Y from 'yjs'
import { isCardRecord } from '../core/board-view.ts'
import { ballotsByName, readFacilitation, tally, writeFacilitation, type Ballot, type FacilitationState } from '../core/facilitation.ts'
import { applyIntent, decodeIntent, IntentDecodeError } from '../core/intents.ts'
import { deleteRecord, readAllRecords, readRecord, recordsOf, writeRecord, type JsonRecord } from '../core/record-store.ts'
import type { Logger } from './log.ts'
import type { Connection, Room } from './room.ts'
import { PRIVATE_PREFIX } from './room-stores.ts'
import type { Storage } from './storage/storage.ts'

interface Ballots {
  round: number
  byPerson: Record<string, Ballot>
  /** The display name each person last voted under (keys are server-derived person ids). */
  names?: Record<string, string>
}

const BALLOTS_KEY = 'ballots'

export interface FacilitationDeps {
  boardId: string
  storage: Storage
  log: Logger
  /** Loads (or finds) a person's private-draft room, for revealing it. */
  openPrivate(personId: string): Promise<Room>
  releasePrivate(personId: string, room: Room): void
  /** Tells other instances that this person's ballot changed: their tabs of that person need it too. */
  ballotChanged?(personId: string): void
}

/**
 * The server side of facilitation for one board: takes intents, judges them with core's rules
 * and the sender's role and identity, and writes the outcome into the document. Ballots stay
 * here (server-private) so that a hidden vote is hidden from every client, not just its UI.
 */
export class Facilitation {
  private ballots: Ballots | null = null

  constructor(
    private readonly room: Room,
    private readonly deps: FacilitationDeps,
  ) {}

  get state(): FacilitationState {
    return readFacilitation(this.room.doc)
  }

  async joined(conn: Connection): Promise<void> {
    // Only Snurra's own client sends a device key; a stock y-websocket client would log our
    // message as unknown on every connect.
    if (!conn.personId) return
    const ballots = await this.loadBallots()
    this.room.sendSnurra(conn, {
      t: 'hello',
      now: Date.now(),
      personId: conn.personId,
      round: ballots.round,
      ballot: (conn.personId && ballots.byPerson[conn.personId]) || {},
    })
  }

  async handle(conn: Connection, payload: Record<string, unknown>): Promise<void> {
    const id = typeof payload.id === 'number' && Number.isSafeInteger(payload.id) ? payload.id : -1
    if (payload.t !== 'intent' || id < 0) return this.room.sendSnurra(conn, { t: 'result', id, ok: false, error: 'malformed' })
    let intent
    try {
      intent = decodeIntent(payload.intent)
    } catch (err) {
      if (!(err instanceof IntentDecodeError)) throw err
      this.deps.log.info('malformed intent', { board: this.deps.boardId, conn: conn.id, reason: err.message })
      return this.room.sendSnurra(conn, { t: 'result', id, ok: false, error: 'malformed' })
    }
    const state = this.state
    const ballots = await this.loadBallots()
    const mine = (conn.personId && ballots.byPerson[conn.personId]) || {}
    const records = recordsOf(this.room.doc)
    const outcome = applyIntent(
      {
        state,
        role: conn.role,
        personId: conn.personId,
        ballot: mine,
        now: Date.now(),
        cardExists: (cardId) => {
          const entries = records.get(cardId)
          return entries instanceof Y.Array && isCardRecord(readRecord(entries) as JsonRecord)
        },
      },
      intent,
    )
    if (!outcome.ok) return this.room.sendSnurra(conn, { t: 'result', id, ok: false, error: outcome.error })

    let next = outcome.state
    if (next.vote.round !== ballots.round) {
      // A new vote: earlier ballots never count in it.
      await this.saveBallots({ round: next.vote.round, byPerson: {} })
    }
    if (outcome.ballot && conn.personId) {
      const current = this.ballots!
      const name = intent.type === 'vote.cast' ? intent.name : undefined
      const names = name ? { ...current.names, [conn.personId]: name } : current.names
      await this.saveBallots({ round: current.round, byPerson: { ...current.byPerson, [conn.personId]: outcome.ballot }, names })
      this.sendBallot(conn.personId)
      this.deps.ballotChanged?.(conn.personId)
    }
    next = this.withTally(next)
    if (!(await this.room.serverWrite(() => writeFacilitation(this.room.doc, next)))) return
    if (outcome.reveal) await this.reveal()
    this.room.sendSnurra(conn, { t: 'result', id, ok: true })
  }

  /**
   * Vote totals: live unless hidden, and always once the vote is closed. Ballots per display
   * name are always there: they say who voted how often, never for what.
   */
  private withTally(state: FacilitationState): FacilitationState {
    const byPerson = this.ballots?.byPerson ?? {}
    const { results, voters } = tally(Object.values(byPerson))
    const vote = state.vote
    if (vote.status === 'idle') return state
    const show = vote.status === 'closed' || !vote.hideResultsUntilEnd
    const names = this.ballots?.names ?? {}
    const perName = ballotsByName(Object.entries(byPerson).map(([person, ballot]) => ({ ballot, name: Object.hasOwn(names, person) ? names[person] : undefined })))
    return { ...state, vote: { ...vote, voters, results: show ? results : {}, ballotsByName: perName } }
  }

  /** Another instance changed this person's ballot. Run in the room's queue (it sets `ballots`). */
  async resendBallot(personId: string): Promise<void> {
    if (![...this.room.connections()].some((conn) => conn.personId === personId)) return
    await this.loadBallots()
    this.sendBallot(personId)
  }

  private sendBallot(personId: string): void {
    const ballots = this.ballots!
    for (const conn of this.room.connections()) {
      if (conn.personId === personId) this.room.sendSnurra(conn, { t: 'ballot', round: ballots.round, ballot: ballots.byPerson[personId] ?? {} })
    }
  }

  /**
   * Moves every person's private drafts onto the board, then empties the drafts. The board is
   * written first, so a card is never missing from both places. A draft only ever adds a card:
   * one whose id is already on the board (a template shape, someone else's card, a card an
   * earlier reveal moved) is dropped, never written over the board's record.
   */
  private async reveal(): Promise<void> {
    const keys = await this.deps.storage.listStateKeys(this.deps.boardId, PRIVATE_PREFIX)
    for (const key of keys) {
      const personId = key.slice(PRIVATE_PREFIX.length)
      const drafts = await this.deps.openPrivate(personId)
      try {
        const cards = readAllRecords(drafts.doc).filter(isCardRecord)
        if (cards.length === 0) continue
        const stored = await this.room.serverWrite(() => {
          const board = recordsOf(this.room.doc)
          for (const card of cards) if (!board.has(card.id)) writeRecord(board, card)
        })
        if (!stored) return
        await drafts.run(async () => {
          await drafts.serverWrite(() => {
            const own = recordsOf(drafts.doc)
            for (const card of cards) deleteRecord(own, card.id)
          })
        })
        this.deps.log.info('revealed private cards', { board: this.deps.boardId, count: cards.length })
      } finally {
        this.deps.releasePrivate(personId, drafts)
      }
    }
  }

  private async loadBallots(): Promise<Ballots> {
    // Read fresh every time: another instance may have written them since (see Boards).
    const stored = (await this.deps.storage.getState(this.deps.boardId, BALLOTS_KEY)) as Ballots | null
    this.ballots = stored && typeof stored.round === 'number' ? stored : { round: this.state.vote.round, byPerson: {} }
    return this.ballots
  }

  private async saveBallots(next: Ballots): Promise<void> {
    await this.deps.storage.setState(this.deps.boardId, BALLOTS_KEY, next)
    this.ballots = next
  }
}
