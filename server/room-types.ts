import type * as Y from 'yjs'
import type { RejectReason, ServerSnurraMessage } from '../core/messages.ts'
import type { Role } from '../core/roles.ts'
import type { Logger } from './log.ts'
import type { DocChanges } from './pipeline/changes.ts'
import type { Room } from './room.ts'
import type { StoredBoard } from './storage/storage.ts'

/** What a room is given and talks to: its connections, its store, and its extensions. */

/** One connected client as the room sees it. */
export interface Connection {
  readonly id: number
  readonly role: Role
  /** Board-scoped id derived from the device's key, or null for a client that sent none. */
  readonly personId: string | null
  send(data: Uint8Array): void
  close(code: number, reason: string): void
  /** `count` awareness entries for client ids another connection holds were dropped (counted in /metrics). */
  presenceRefused?(count: number): void
}

/** Where a room's document is kept: the board's log, or a person's private drafts. */
export interface RoomStore {
  load(): Promise<StoredBoard>
  /** Durably appends updates in one transaction; resolves with their sequence numbers once stored. */
  appendMany(updates: Uint8Array[]): Promise<number[]>
  compact(snapshot: Uint8Array, uptoSeq: number): Promise<void>
}

/** A client's update, decoded and worked out as values, waiting for a verdict. */
export interface Proposal {
  readonly conn: Connection
  readonly update: Uint8Array
  /** What it would change: records before and after, meta keys, action paths, roots. */
  readonly changes: DocChanges
  /** The document before the update. */
  readonly doc: Y.Doc
}

export interface Refusal {
  reason: RejectReason
  /** The record ids the refusal is about (absent: the whole update). */
  records?: string[]
  /** For the log: what exactly was wrong (never card text). */
  detail?: string
}

export type { ServerSnurraMessage }

/**
 * A piece of a room's behaviour — write rules, validation, facilitation, limits, fan-out to other
 * instances — plugged in with hooks the room calls at fixed points of its life and of its write
 * pipeline (decode → judge → apply, held back → store → broadcast). Every hook is optional; the
 * room calls the extensions in the order given, and the first refusal wins.
 */
export interface RoomExtension {
  readonly name: string
  /** The stored state is in the document; runs in the room's queue before any client is answered. */
  onLoaded?(stored: StoredBoard): void | Promise<void>
  /** Judges a client's update before anything happens to it. Synchronous and cheap: it runs per update. */
  judge?(proposal: Proposal): Refusal | null
  /**
   * After an accepted update was applied (not yet stored or sent): what is wrong with the
   * document now, or null. A second look at what `judge` passed, so a fault in working out the
   * changes can never reach storage.
   */
  verify?(proposal: Proposal): string | null
  /** An update, a client's or the server's, is durably stored as `seq`. */
  onStored?(update: Uint8Array, seq: number): void
  /** After a connection's first sync step, in the room's queue. */
  onJoined?(conn: Connection): void | Promise<void>
  /** Snurra's own messages (intents), in the room's queue. */
  onMessage?(conn: Connection, payload: Record<string, unknown>): void | Promise<void>
  /** These awareness clients changed here (not on another instance). */
  onAwareness?(clientIds: number[]): void
  /** The highest seq compaction may cover: every stored update up to it is in the document. */
  compactBound?(lastSeq: number): number
  /** The board was erased here. */
  onErased?(): void
  /** The room is unloading or discarded. */
  onClose?(): void
}

export interface RoomOptions {
  store: RoomStore
  log: Logger
  compactEvery: number
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void
  /** The room's extensions, made once the room exists (they may hold on to it). */
  extensions?(room: Room): RoomExtension[]
  /** Counts a refused update by reason (a metric). */
  onRefused?(reason: RejectReason): void
}
