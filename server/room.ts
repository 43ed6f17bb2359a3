import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { encodeSnurraMessage, type ServerSnurraMessage } from '../core/messages.ts'
import type { Role } from '../core/roles.ts'
import { CLOSE } from './close-codes.ts'
import type { Logger } from './log.ts'
import { decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError, type ClientMessage, type DecodedUpdate } from './protocol.ts'
import type { StoredBoard } from './storage/storage.ts'

/** One connected client as the room sees it. */
export interface Connection {
  readonly id: number
  readonly role: Role
  /** Board-scoped id derived from the device's key, or null for a client that sent none. */
  readonly personId: string | null
  send(data: Uint8Array): void
  close(code: number, reason: string): void
}

/** Where a room's document is kept: the board's log, or a person's private draft. */
export interface RoomStore {
  load(): Promise<StoredBoard>
  /** Durably appends one update; resolves once stored. Returns its sequence number. */
  append(update: Uint8Array): Promise<number>
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
}

export const SERVER_ORIGIN = 'snurra-server'

/**
 * A loaded document: its Yjs doc, awareness and connections.
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
  /** Set when a server write could not be stored: memory is ahead of disk, so never compact it. */
  private broken = false

  constructor(
    readonly name: string,
    private readonly opts: RoomOptions,
  ) {
    this.awareness.setLocalState(null) // the server is no participant
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Server writes are broadcast by `serverWrite`, after they are stored.
      if (origin !== SERVER_ORIGIN) this.broadcast(encodeUpdate(update), origin)
    })
    this.awareness.on('update', this.onAwarenessUpdate)
    this.loading = this.load()
    this.queue = this.loading.catch(() => {})
  }

  get size(): number {
    return this.conns.size
  }

  connections(): IterableIterator<Connection> {
    return this.conns.keys()
  }

  /** Resolves once the stored state is loaded; rejects if it could not be. */
  ready(): Promise<void> {
    return this.loading
  }

  join(conn: Connection): void {
    this.conns.set(conn, new Set())
    this.enqueue(async () => {
      if (!this.conns.has(conn)) return
      conn.send(encodeSyncStep1(this.doc))
      const states = [...this.awareness.getStates().keys()]
      if (states.length) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
      await this.opts.onJoined?.(conn)
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
        if (conn.role === 'viewer') return // a viewer's edits are dropped, never stored or forwarded
        this.enqueue(() => this.store(conn, message.update, message.decoded))
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
      case 'snurra': {
        const handler = this.opts.onSnurraMessage
        if (handler) this.enqueue(() => handler(conn, message.payload))
        return
      }
    }
  }

  /**
   * A change made by the server itself (facilitation state, a reveal): applied, stored, then
   * broadcast. Call only from a task in this room's queue (`run`), so no client reads the
   * document between the change and its storage.
   */
  async serverWrite(change: () => void): Promise<boolean> {
    const updates: Uint8Array[] = []
    const capture = (update: Uint8Array, origin: unknown) => origin === SERVER_ORIGIN && updates.push(update)
    this.doc.on('update', capture)
    try {
      this.doc.transact(change, SERVER_ORIGIN)
    } finally {
      this.doc.off('update', capture)
    }
    if (updates.length === 0) return true
    const update = updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
    try {
      this.lastSeq = await this.opts.store.append(update)
    } catch (err) {
      this.broken = true
      this.opts.log.error('storing a server change failed; closing the room', { room: this.name, error: (err as Error).message })
      this.closeAll(CLOSE.serverError, 'storage unavailable')
      return false
    }
    this.broadcast(encodeUpdate(update), null)
    this.uncompacted++
    return true
  }

  /** Runs a task in the room's queue (after everything received before it). */
  run(task: () => void | Promise<void>): Promise<void> {
    this.enqueue(task)
    return this.queue
  }

  sendSnurra(conn: Connection, message: ServerSnurraMessage): void {
    conn.send(encodeSnurraMessage(message))
  }

  /** Stores everything not yet in the snapshot, then frees the document. */
  async unload(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.queue.catch(() => {})
    if (this.uncompacted > 0 && !this.broken) await this.compact()
    this.awareness.destroy()
    this.doc.destroy()
  }

  /** Closes every connection (e.g. on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const conn of [...this.conns.keys()]) conn.close(code, reason)
  }

  private async load(): Promise<void> {
    const stored = await this.opts.store.load()
    if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot, 'storage')
    for (const update of stored.updates) {
      // An update Yjs can decode but not fully apply was applied live just as far as it goes
      // here; one bad update must never make the whole board unloadable.
      try {
        Y.applyUpdate(this.doc, update, 'storage')
      } catch (err) {
        this.opts.log.warn('stored update applies only in part', { room: this.name, error: (err as Error).message })
      }
    }
    this.lastSeq = stored.lastSeq
    this.uncompacted = stored.updates.length
    this.loaded = true
    if (this.uncompacted >= this.opts.compactEvery) await this.compact()
  }

  private async store(conn: Connection, update: Uint8Array, decoded: DecodedUpdate): Promise<void> {
    // A sync step 2 usually carries nothing the server lacks: no need for a log row.
    if (addsNothing(this.doc, decoded)) return
    const refused = this.opts.guard?.(conn, update, decoded)
    if (refused) {
      this.opts.log.info('update refused', { room: this.name, conn: conn.id, reason: refused })
      this.sendSnurra(conn, { t: 'rejected', reason: refused })
      return
    }
    try {
      this.lastSeq = await this.opts.store.append(update)
    } catch (err) {
      // Not stored, so not applied and not acknowledged: the client keeps its edit and resends
      // it when it reconnects and syncs.
      this.opts.log.error('storage append failed', { room: this.name, error: (err as Error).message })
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
      await this.opts.store.compact(Y.encodeStateAsUpdate(this.doc), this.lastSeq)
      this.uncompacted = 0
      this.opts.log.debug('compacted', { room: this.name, seq: this.lastSeq, ms: Math.round(performance.now() - started) })
    } catch (err) {
      // The log is still complete; compaction is retried after the next batch of updates.
      this.opts.log.error('compaction failed', { room: this.name, error: (err as Error).message })
    }
  }

  private enqueue(task: () => void | Promise<void>): void {
    // After a failed load nothing may run: answering a client from an empty document would
    // tell it the board is empty.
    this.queue = this.queue.then(() => (this.loaded && !this.broken ? task() : undefined)).catch((err) => {
      this.opts.log.error('room task failed', { room: this.name, error: (err as Error).message })
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
    this.opts.log.warn('closing connection on bad input', { room: this.name, conn: conn.id, reason })
    conn.close(CLOSE.malformed, 'malformed message')
  }
}

/** Whether an update holds no struct and no deletion beyond what the document already has. */
function addsNothing(doc: Y.Doc, { structs, ds }: DecodedUpdate): boolean {
  if (!structs.every((s) => s.id.clock + s.length <= Y.getState(doc.store, s.id.client))) return false
  // Yjs sends the whole delete set with every sync: it adds nothing if all of it is deleted here.
  for (const [client, ranges] of ds.clients) {
    const stored = doc.store.clients.get(client)
    for (const { clock, len } of ranges) {
      if (!stored || clock + len > Y.getState(doc.store, client)) return false
      for (let i = Y.findIndexSS(stored, clock); i < stored.length && stored[i].id.clock < clock + len; i++) {
        if (!stored[i].deleted) return false
      }
    }
  }
  return true
}
