import * as awarenessProtocol from 'y-protocols/awareness'
import { AwarenessBatch, awarenessInterval } from './awareness-batch.ts'
import { freshAwareness } from './awareness-filter.ts'
import { REMOTE_ORIGIN } from './origins.ts'
import { encodeAwareness } from './protocol.ts'
import type { Connection, RoomExtension } from './room-types.ts'
import type { Room } from './room.ts'


/**
 * A room's presence (names, colours, cursors): which awareness clients each connection
 * introduced, and the batched broadcast of changes. Presence is never stored.
 */
export class RoomPresence {
  private readonly owned = new Map<Connection, Set<number>>()
  // Awareness goes out batched, the latest state of each changed client per interval, to all
  // (the sender too: echoing its own state is a no-op for a y-protocols client).
  private readonly batch: AwarenessBatch
  private destroyed = false

  constructor(
    private readonly room: Room,
    private readonly extensions: () => readonly RoomExtension[],
  ) {
    this.batch = new AwarenessBatch(
      () => awarenessInterval(this.owned.size),
      (ids) => this.destroyed || this.room.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, ids)), null),
    )
    room.awareness.on('update', this.onUpdate)
  }

  join(conn: Connection): void {
    this.owned.set(conn, new Set())
  }

  leave(conn: Connection): void {
    const ids = this.owned.get(conn)
    this.owned.delete(conn)
    if (ids?.size) awarenessProtocol.removeAwarenessStates(this.room.awareness, [...ids], null)
  }

  /** Sends every known state to one connection (on joining, or when it asks). */
  greet(conn: Connection): void {
    const states = [...this.room.awareness.getStates().keys()]
    if (states.length) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, states)))
  }

  /** A connection's awareness update; throws a ProtocolError on what only a hostile client sends. */
  receive(conn: Connection, update: Uint8Array): void {
    // Echoes of what we sent dropped unparsed; hostile sizes and id counts refused.
    const fresh = freshAwareness(this.room.awareness, update, this.owned.get(conn) ?? new Set())
    if (fresh) awarenessProtocol.applyAwarenessUpdate(this.room.awareness, fresh, conn)
  }

  applyRemote(update: Uint8Array): void {
    try {
      awarenessProtocol.applyAwarenessUpdate(this.room.awareness, update, REMOTE_ORIGIN)
    } catch {
      // A malformed message from another instance: nothing of it is applied.
    }
  }

  localClients(): number[] {
    return [...this.owned.values()].flatMap((ids) => [...ids])
  }

  destroy(): void {
    this.destroyed = true
    this.room.awareness.off('update', this.onUpdate)
    this.room.awareness.destroy()
  }

  private onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const changed = added.concat(updated, removed)
    const owned = this.owned.get(origin as Connection)
    if (owned) {
      for (const id of added) owned.add(id)
      for (const id of removed) owned.delete(id)
    }
    // Not back to where it came from; and every instance times out stale clients on its own.
    if (origin !== REMOTE_ORIGIN && origin !== 'timeout') for (const extension of this.extensions()) extension.onAwareness?.(changed)
    this.batch.add(changed)
  }
}
