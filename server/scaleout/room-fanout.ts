import * as awarenessProtocol from 'y-protocols/awareness'
import { AwarenessBatch, AWARENESS_INTERVAL_MS } from '../awareness-batch.ts'
import { CLOSE } from '../close-codes.ts'
import type { Logger } from '../log.ts'
import type { Room, RoomExtension } from '../room.ts'
import type { StoredBoard } from '../storage/storage.ts'
import { SeqWindow } from './seq-window.ts'
import type { FanoutMessage } from './wire.ts'

/** How one room reaches the other instances: over Redis (redis-fanout.ts), or not at all (storage-only.ts). */
export interface FanoutLink {
  readonly instanceId: string
  readonly log: Logger
  publish(message: FanoutMessage): void
  /** The room is unloading: stop delivering its messages. */
  detach(fanout: RoomFanout): void
}

export interface RoomSource {
  /**
   * True for a board, whose log is numbered across instances; false for a person's drafts,
   * which are caught up whole.
   */
  sequenced: boolean
  /** What storage holds after `afterSeq` (see Storage.loadSince). */
  loadSince(afterSeq: number): Promise<StoredBoard>
  /** Another instance changed this person's ballot. */
  onBallot?(personId: string): void
}

/** Gives each loaded room its fan-out: over Redis (redis-fanout.ts) or storage alone (storage-only.ts). */
export interface FanoutHub {
  attach(room: Room, source: RoomSource): RoomFanout
  close(): Promise<void>
}

/** How long a hole in the sequence may stay before storage is asked: messages can overtake. */
const GAP_WAIT_MS = 250

/**
 * One loaded room's share of the fan-out. Redis pub/sub delivers at most once, so Redis only
 * makes updates fast; correctness comes from storage: every update is stored before it is
 * published, and whenever this document may lack one (a hole in the sequence, a resubscribe,
 * the periodic check) it reads what storage has after the last seq it holds.
 */
export class RoomFanout implements RoomExtension {
  readonly name = 'fanout'
  private readonly seqs = new SeqWindow()
  private readonly outgoing: AwarenessBatch
  private catchUpTimer: NodeJS.Timeout | null = null
  private failing = false
  private closed = false

  constructor(
    readonly room: Room,
    private readonly link: FanoutLink,
    private readonly source: RoomSource,
  ) {
    // Our clients' awareness goes out batched too: one Redis message per interval at most.
    this.outgoing = new AwarenessBatch(AWARENESS_INTERVAL_MS, (ids) => this.publishAwareness(ids))
  }

  // --- The Room's side (its extension hooks) ----------------------------------------------

  onLoaded({ lastSeq }: StoredBoard): void {
    this.seqs.coverTo(lastSeq)
  }

  onStored(update: Uint8Array, seq: number): void {
    if (this.closed) return
    const sequenced = this.source.sequenced
    if (sequenced) this.seqs.add(seq)
    this.link.publish({ kind: 'update', from: this.link.instanceId, seq: sequenced ? seq : 0, update })
    if (this.seqs.hasGap) this.catchUpSoon(GAP_WAIT_MS)
  }

  onAwareness(clientIds: number[]): void {
    if (!this.closed) this.outgoing.add(clientIds)
  }

  /** With other instances appending too, only what this document holds without a hole may be compacted. */
  compactBound(): number {
    return this.seqs.covered
  }

  /** This instance changed a person's ballot. */
  ballotChanged(personId: string): void {
    if (!this.closed) this.link.publish({ kind: 'ballot', from: this.link.instanceId, personId })
  }

  onErased(): void {
    if (!this.closed) this.link.publish({ kind: 'erased', from: this.link.instanceId })
    this.close()
  }

  onClose(): void {
    this.close()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.catchUpTimer) clearTimeout(this.catchUpTimer)
    this.outgoing.stop()
    this.link.detach(this)
  }

  // --- The other instances' side ------------------------------------------------------------

  receive(message: FanoutMessage): void {
    if (this.closed) return
    switch (message.kind) {
      case 'update':
        void this.room.run(() => {
          if (this.closed) return
          this.room.applyRemote(message.update)
          if (!this.source.sequenced) return
          this.seqs.add(message.seq)
          if (this.seqs.hasGap) this.catchUpSoon(GAP_WAIT_MS)
        })
        return
      case 'awareness':
        this.room.applyRemoteAwareness(message.update)
        return
      case 'hello':
        this.publishAwareness(this.room.localAwarenessClients())
        if (this.source.sequenced && message.seq > this.seqs.covered) this.catchUpSoon(0)
        return
      case 'ballot':
        this.source.onBallot?.(message.personId)
        return
      case 'erased':
        // Closed first, so discarding does not announce the erasure again.
        this.close()
        this.room.closeAll(CLOSE.gone, 'board deleted')
        void this.room.discard()
        return
    }
  }

  /** (Re)subscribed: catch up with what was stored meanwhile, and say hello. */
  subscribed(): void {
    if (this.closed) return
    this.catchUpSoon(0)
    this.announce()
  }

  /**
   * Tells the others how far this room is and who is here, and asks for their clients. Also
   * after the publishing connection is back: updates stored while it was down were never
   * published, and this is how the others learn to fetch them.
   */
  announce(): void {
    if (this.closed) return
    this.link.publish({ kind: 'hello', from: this.link.instanceId, seq: this.source.sequenced ? this.seqs.covered : 0 })
    this.publishAwareness(this.room.localAwarenessClients())
  }

  /**
   * Applies whatever storage has that this document lacks. Call only from a task in the room's
   * queue (facilitation does, under its cross-instance lock, to read the state fresh).
   */
  async catchUp(): Promise<void> {
    if (this.closed) return
    const since = this.source.sequenced ? this.seqs.covered : -1
    const stored = await this.source.loadSince(since)
    if (this.closed) return
    if (stored.snapshot) this.room.applyRemote(stored.snapshot)
    for (const update of stored.updates) this.room.applyRemote(update)
    if (this.source.sequenced) this.seqs.coverTo(stored.lastSeq)
  }

  /** Schedules a catch-up in the room's queue (requests while one is scheduled join it). */
  catchUpSoon(delayMs: number): void {
    if (this.closed || this.catchUpTimer) return
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null
      void this.room.run(async () => {
        try {
          await this.catchUp()
          if (this.failing) this.link.log.info('caught up with storage again', { room: this.room.name })
          this.failing = false
        } catch (err) {
          // Storage is down: nothing new can have been stored either. Log once per outage.
          if (!this.failing) this.link.log.warn('catching up from storage failed', { room: this.room.name, error: (err as Error).message })
          this.failing = true
        }
      })
    }, delayMs)
    this.catchUpTimer.unref()
  }

  private publishAwareness(clientIds: number[]): void {
    if (this.closed || clientIds.length === 0) return
    const update = awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, clientIds)
    this.link.publish({ kind: 'awareness', from: this.link.instanceId, update })
  }
}
