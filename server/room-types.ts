import type { ServerSnurraMessage } from '../core/messages.ts'
import type { Role } from '../core/roles.ts'
import type { Logger } from './log.ts'
import type { DecodedUpdate } from './protocol.ts'
import type { Room } from './room.ts'
import type { StoredBoard } from './storage/storage.ts'

/** What a room is given and talks to: its connections, its store, its rules, other instances. */

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

/** Where a room's document is kept: the board's log, or a person's private draft. */
export interface RoomStore {
  load(): Promise<StoredBoard>
  /** Durably appends one update; resolves once stored. Returns its sequence number. */
  append(update: Uint8Array): Promise<number>
  appendMany?(updates: Uint8Array[]): Promise<number[]>
  compact(snapshot: Uint8Array, uptoSeq: number): Promise<void>
}

/** Judges a client's update before it is stored; `null` lets it through. */
export type WriteGuard = (conn: Connection, update: Uint8Array, decoded: DecodedUpdate) => Extract<ServerSnurraMessage, { t: 'rejected' }>['reason'] | null

export interface RoomOptions {
  store: RoomStore
  log: Logger
  compactEvery: number
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void
  guard?: WriteGuard
  /** Snurra's own messages (intents); runs in the room's queue. */
  onSnurraMessage?(conn: Connection, payload: Record<string, unknown>): void | Promise<void>
  /** After a connection's first sync step, in the room's queue. */
  onJoined?(conn: Connection): void | Promise<void>
  /** Other server instances sharing this room (server/scaleout/); absent when there are none. */
  fanout?(room: Room): Fanout
}

/**
 * The seam to other instances serving the same room. They send back through `applyRemote`
 * and `applyRemoteAwareness`; the room never knows how the messages travel.
 */
export interface Fanout {
  /** The stored state is in; it holds every update up to `lastSeq`. */
  loaded(lastSeq: number): void
  /** This instance durably stored `update` as `seq`: pass it on. */
  stored(update: Uint8Array, seq: number): void
  /** These awareness clients changed here (not on another instance): pass them on. */
  awareness(clientIds: number[]): void
  /** Every stored update up to this seq is in the document: the only safe compaction bound. */
  coveredSeq(): number
  /** The board was erased here: the other instances must close their sockets and drop it too. */
  erased(): void
  close(): void
}
