import * as Y from 'yjs'
import { MAX_REJECTED_IDS } from '../../core/messages.ts'
import type { Logger } from '../log.ts'
import type { DecodedUpdate } from '../protocol.ts'
import type { Connection, Proposal, Refusal, RoomExtension, RoomOptions, RoomStore } from '../room-types.ts'
import { changesOf } from './changes.ts'
import { addsNothing } from './adds-nothing.ts'
import { UPDATE_LIMITS } from './limits.ts'

export { UPDATE_LIMITS } from './limits.ts'

/** Origin of accepted client updates while they are held back (applied, not yet stored or sent). */
export const HELD_ORIGIN = 'snurra-held'

export interface PipelineHost {
  readonly name: string
  readonly doc: Y.Doc
  readonly log: Logger
  readonly store: RoomStore
  readonly opts: Pick<RoomOptions, 'onRefused'>
  extensions(): readonly RoomExtension[]
  isConnected(conn: Connection): boolean
  refuse(conn: Connection, refusal: Refusal): void
  /** The update cannot be judged at all (an extension threw, e.g. Yjs could not apply a draft): close that connection. */
  malformed(conn: Connection, err: unknown): void
  /** Stored as `seq`: bookkeeping, fan-out, then the update goes to everyone but its sender. */
  stored(update: Uint8Array, seq: number, from: Connection): void
  /** The document holds what storage does not (a failed store, a partial apply): reload it. */
  lose(why: string, culprit?: Connection): void
}

interface Pending {
  conn: Connection
  update: Uint8Array
  /** null: over the struct cap, never decoded (protocol.ts). */
  decoded: DecodedUpdate | null
}

/**
 * The one write path for client updates, for every kind of room and every storage backend:
 * decode (done by the protocol) → judge (caps, then what the update would change, then each
 * extension: write rules, validation, limits) → apply, held back → store, all updates that
 * arrived meanwhile in one transaction → send to everyone else.
 *
 * Updates that arrive while the room is busy (waiting for the disk) are judged and stored
 * together, by one task of the room's queue. Each is judged against the document with the
 * earlier ones of its batch applied, since a later update may build on an earlier one; nobody
 * reads the document between the apply and the store, so nobody sees a change before it is on
 * disk. If storing fails, the room is dropped and reloaded from storage, and the senders send
 * again when they reconnect (their updates were never acknowledged).
 */
export class WritePipeline {
  private batch: Pending[] = []

  constructor(private readonly host: PipelineHost) {}

  /** Queues an update; returns true when it starts a batch (the caller then schedules `commit`). */
  add(conn: Connection, update: Uint8Array, decoded: DecodedUpdate | null): boolean {
    return this.batch.push({ conn, update, decoded }) === 1
  }

  async commit(): Promise<void> {
    const { host } = this
    const batch = this.batch.splice(0)
    const accepted: Pending[] = []
    for (const pending of batch) {
      const { conn, update, decoded } = pending
      if (!host.isConnected(conn)) continue
      if (decoded === null) {
        this.refuse(conn, { reason: 'too-large', detail: `over ${UPDATE_LIMITS.structs} structs or ${UPDATE_LIMITS.deleteRanges} delete ranges` })
        continue
      }
      if (addsNothing(host.doc, decoded)) continue
      const proposal = this.propose({ conn, update, decoded })
      let refusal: Refusal | null
      try {
        refusal = 'reason' in proposal ? proposal : this.judge(proposal)
      } catch (err) {
        host.malformed(conn, err)
        continue
      }
      if (refusal) {
        this.refuse(conn, refusal)
        continue
      }
      try {
        Y.applyUpdate(host.doc, update, HELD_ORIGIN)
      } catch (err) {
        return host.lose(`an accepted update applied only in part: ${(err as Error).message}`, conn)
      }
      const fault = this.verify(proposal as Proposal)
      if (fault) return host.lose(`an accepted update broke the document: ${fault}`, conn)
      accepted.push(pending)
    }
    if (!accepted.length) return
    let seqs: number[]
    try {
      seqs = await host.store.appendMany(accepted.map((a) => a.update))
    } catch (err) {
      return host.lose(`storage append failed: ${(err as Error).message}`)
    }
    accepted.forEach(({ conn, update }, i) => host.stored(update, seqs[i], conn))
  }

  /** The proposal, or a refusal when the update is over a cap or does not fit the document. */
  private propose({ conn, update, decoded }: Pending & { decoded: DecodedUpdate }): Proposal | Refusal {
    if (decoded.structs.length > UPDATE_LIMITS.structs) return { reason: 'too-large', detail: `${decoded.structs.length} structs` }
    const changes = changesOf(this.host.doc, decoded)
    if (changes.splits > UPDATE_LIMITS.splits) return { reason: 'too-large', detail: `${changes.splits} splitting deletions` }
    // Yjs would hold such an update back and apply it later, unjudged, once the gap is filled.
    if (changes.pending) return { reason: 'unknown-target', detail: 'builds on changes the server does not have' }
    if (changes.problem) return { reason: 'invalid', detail: changes.problem }
    return { conn, update, changes, doc: this.host.doc }
  }

  private judge(proposal: Proposal): Refusal | null {
    for (const extension of this.host.extensions()) {
      const refusal = extension.judge?.(proposal)
      if (refusal) return refusal
    }
    return null
  }

  private verify(proposal: Proposal): string | null {
    for (const extension of this.host.extensions()) {
      const fault = extension.verify?.(proposal)
      if (fault) return `${extension.name}: ${fault}`
    }
    return null
  }

  private refuse(conn: Connection, refusal: Refusal): void {
    const records = refusal.records?.slice(0, MAX_REJECTED_IDS)
    this.host.log.info('update refused', { room: this.host.name, conn: conn.id, reason: refusal.reason, detail: refusal.detail?.slice(0, 200), records: records?.length })
    this.host.opts.onRefused?.(refusal.reason)
    this.host.refuse(conn, { ...refusal, records })
  }
}
