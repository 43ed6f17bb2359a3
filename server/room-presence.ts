import * as awarenessProtocol from 'y-protocols/awareness'
import { AwarenessBatch, awarenessInterval } from './awareness-batch.ts'
import type { Logger } from './log.ts'
import { REMOTE_ORIGIN } from './origins.ts'
import { PresenceOwners } from './presence-owners.ts'
import { encodeAwareness } from './protocol.ts'
import type { Connection, RoomExtension } from './room-types.ts'
import type { Room } from './room.ts'

/**
 * A room's presence (names, colours, cursors): which connection may speak for each awareness
 * client (server/presence-owners.ts), and the batched broadcast of changes. Never stored.
 */
export class RoomPresence {
  private readonly owners: PresenceOwners<Connection>
  /** Connections already logged for speaking for another's presence. */
  private readonly spoofers = new WeakSet<Connection>()
  // Awareness goes out batched, the latest state of each changed client per interval, to all
  // (the sender too: echoing its own state is a no-op for a y-protocols client).
  private readonly batch: AwarenessBatch
  private connections = 0
  private destroyed = false

  constructor(
    private readonly room: Room,
    private readonly log: Logger,
    private readonly extensions: () => readonly RoomExtension[],
  ) {
    this.owners = new PresenceOwners<Connection>(room.awareness, (conn, count) => this.refused(conn, count))
    this.batch = new AwarenessBatch(
      () => awarenessInterval(this.connections),
      (ids) => this.destroyed || this.room.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, ids)), null),
    )
    room.awareness.on('update', this.onUpdate)
  }

  join(): void {
    this.connections++
  }

  leave(conn: Connection): void {
    this.connections--
    const ids = this.owners.release(conn)
    if (ids.length) awarenessProtocol.removeAwarenessStates(this.room.awareness, ids, null)
  }

  /** Sends every known state to one connection (on joining, or when it asks). */
  greet(conn: Connection): void {
    const states = [...this.room.awareness.getStates().keys()]
    if (states.length) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, states)))
  }

  /** A connection's awareness update; throws a ProtocolError on what only a hostile client sends. */
  receive(conn: Connection, update: Uint8Array): void {
    // Echoes dropped unparsed; other connections' ids dropped; hostile sizes and id counts refused.
    const fresh = this.owners.filter(conn, update)
    if (fresh) awarenessProtocol.applyAwarenessUpdate(this.room.awareness, fresh, conn)
  }

  applyRemote(update: Uint8Array): void {
    try {
      const fresh = this.owners.filterRemote(update)
      if (fresh) awarenessProtocol.applyAwarenessUpdate(this.room.awareness, fresh, REMOTE_ORIGIN)
    } catch (err) {
      this.log.warn('ignoring a malformed remote awareness update', { room: this.room.name, error: (err as Error).message })
    }
  }

  localClients(): number[] {
    return this.owners.localIds()
  }

  destroy(): void {
    this.destroyed = true
    this.room.awareness.off('update', this.onUpdate)
    this.room.awareness.destroy()
  }

  private onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    const changed = added.concat(updated, removed)
    this.owners.statesRemoved(removed)
    // Not back to where it came from; and every instance times out stale clients on its own.
    if (origin !== REMOTE_ORIGIN && origin !== 'timeout') for (const extension of this.extensions()) extension.onAwareness?.(changed)
    this.batch.add(changed)
  }

  private refused(conn: Connection, count: number): void {
    // Once per connection: a spoofer would otherwise write a log line per frame.
    if (!this.spoofers.has(conn)) this.log.info('presence for client ids another connection holds dropped', { room: this.room.name, conn: conn.id, count })
    this.spoofers.add(conn)
    conn.presenceRefused?.(count)
  }
}
