import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { canEdit, type Role } from '../core/roles.ts'
import { CLOSE } from './close-codes.ts'
import type { Logger } from './log.ts'
import { decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError, type ClientMessage } from './protocol.ts'
import type { Storage } from './storage/storage.ts'

/** One connected client as the room sees it. */
export interface Connection {
  readonly id: number
  readonly role: Role
  send(data: Uint8Array): void
  close(code: number, reason: string): void
}

export interface RoomOptions {
  storage: Storage
  log: Logger
  compactEvery: number
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void
}

/**
 * A loaded board: its Yjs document, awareness and connections.
 *
 * Everything that reads or writes the document runs through one queue per room, starting
 * with the load from storage. So no client is answered before the stored state is in, and
 * an update is stored, then applied, then broadcast, in arrival order: nobody ever sees a
 * change that is not on disk.
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private readonly conns = new Map<Connection, Set<number>>()
  private queue: Promise<void>
  private readonly loading: Promise<void>
  private lastSeq = 0
  private uncompacted = 0
  private closed = false
  private loaded = false

  constructor(
    readonly boardId: string,
    private readonly opts: RoomOptions,
  ) {
    this.awareness.setLocalState(null) // the server is no participant
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.broadcast(encodeUpdate(update), origin))
    this.awareness.on('update', this.onAwarenessUpdate)
    this.loading = this.load()
    this.queue = this.loading.catch(() => {})
  }

  get size(): number {
    return this.conns.size
  }

  /** Resolves once the stored state is loaded; rejects if it could not be. */
  ready(): Promise<void> {
    return this.loading
  }

  join(conn: Connection): void {
    this.conns.set(conn, new Set())
    this.enqueue(() => {
      if (!this.conns.has(conn)) return
      conn.send(encodeSyncStep1(this.doc))
      const states = [...this.awareness.getStates().keys()]
      if (states.length) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
    })
  }

  leave(conn: Connection): void {
    const clientIds = this.conns.get(conn)
    if (!clientIds) return
    this.conns.delete(conn)
    if (clientIds.size) awarenessProtocol.removeAwarenessStates(this.awareness, [...clientIds], null)
    if (this.conns.size === 0) this.opts.onEmpty(this)
  }

  /** Handles one frame. A frame that does not parse closes that connection only. */
  receive(conn: Connection, data: Uint8Array): void {
    let message: ClientMessage
    try {
      message = decodeClientMessage(data)
    } catch (err) {
      this.reject(conn, err)
      return
    }
    switch (message.type) {
      case 'sync-step1': {
        const { stateVector } = message
        this.enqueue(() => conn.send(encodeSyncStep2(this.doc, stateVector)))
        return
      }
      case 'update':
        if (!canEdit(conn.role)) return // a viewer's edits are dropped, never stored or forwarded
        this.enqueue(() => this.store(conn, message.update))
        return
      case 'awareness':
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, conn)
        } catch (err) {
          this.reject(conn, err)
        }
        return
      case 'query-awareness':
        conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])))
        return
      case 'auth':
        return
    }
  }

  /** Stores everything not yet in the snapshot, then frees the document. */
  async unload(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.queue.catch(() => {})
    if (this.uncompacted > 0) await this.compact()
    this.awareness.destroy()
    this.doc.destroy()
  }

  /** Closes every connection (e.g. on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const conn of [...this.conns.keys()]) conn.close(code, reason)
  }

  private async load(): Promise<void> {
    const stored = await this.opts.storage.loadBoard(this.boardId)
    this.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot)
      for (const update of stored.updates) Y.applyUpdate(this.doc, update)
    }, 'storage')
    this.lastSeq = stored.lastSeq
    this.uncompacted = stored.updates.length
    this.loaded = true
    if (this.uncompacted >= this.opts.compactEvery) await this.compact()
  }

  private async store(conn: Connection, update: Uint8Array): Promise<void> {
    try {
      this.lastSeq = await this.opts.storage.appendUpdate(this.boardId, update)
    } catch (err) {
      // Not stored, so not applied and not acknowledged: the client keeps its edit and resends
      // it when it reconnects and syncs.
      this.opts.log.error('storage append failed', { board: this.boardId, error: (err as Error).message })
      conn.close(CLOSE.serverError, 'storage unavailable')
      return
    }
    try {
      Y.applyUpdate(this.doc, update, conn)
    } catch (err) {
      this.reject(conn, err)
    }
    if (++this.uncompacted >= this.opts.compactEvery) await this.compact()
  }

  private async compact(): Promise<void> {
    const started = performance.now()
    try {
      await this.opts.storage.compact(this.boardId, Y.encodeStateAsUpdate(this.doc), this.lastSeq)
      this.uncompacted = 0
      this.opts.log.debug('compacted', { board: this.boardId, seq: this.lastSeq, ms: Math.round(performance.now() - started) })
    } catch (err) {
      // The log is still complete; compaction is retried after the next batch of updates.
      this.opts.log.error('compaction failed', { board: this.boardId, error: (err as Error).message })
    }
  }

  private enqueue(task: () => void | Promise<void>): void {
    // After a failed load nothing may run: answering a client from an empty document would
    // tell it the board is empty.
    this.queue = this.queue.then(() => (this.loaded ? task() : undefined)).catch((err) => {
      this.opts.log.error('room task failed', { board: this.boardId, error: (err as Error).message })
    })
  }

  private broadcast(data: Uint8Array, origin: unknown): void {
    for (const conn of this.conns.keys()) if (conn !== origin) conn.send(data)
  }

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed)
    const owned = this.conns.get(origin as Connection)
    if (owned) {
      for (const id of added) owned.add(id)
      for (const id of removed) owned.delete(id)
    }
    this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), origin)
  }

  private reject(conn: Connection, err: unknown): void {
    const reason = err instanceof ProtocolError ? err.message : `invalid message: ${(err as Error).message}`
    this.opts.log.warn('closing connection on bad input', { board: this.boardId, conn: conn.id, reason })
    conn.close(CLOSE.malformed, 'malformed message')
  }
}
