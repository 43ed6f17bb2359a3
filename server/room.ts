import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { encodeSnurraMessage, type ServerSnurraMessage } from '../core/messages.ts'
import { AwarenessBatch, awarenessInterval } from './awareness-batch.ts'
import { CLOSE } from './close-codes.ts'
import { decodeClientMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError, type ClientMessage, type DecodedUpdate } from './protocol.ts'
import { PresenceOwners } from './presence-owners.ts'
import { applyStored } from './stored-doc.ts'
import { addsNothing } from './update-inspector.ts'
import type { Connection, Fanout, RoomOptions } from './room-types.ts'

export type { Connection, Fanout, RoomOptions, RoomStore, WriteGuard } from './room-types.ts'

export const SERVER_ORIGIN = 'snurra-server'
/** Origin of changes another instance made and stored: never stored or passed on again. */
export const REMOTE_ORIGIN = 'snurra-remote'

/**
 * A loaded document: its Yjs doc, awareness and connections.
 *
 * Everything that reads or writes the document runs through one queue per room, starting
 * with the load from storage. So no client is answered before the stored state is in, and
 * updates are stored before they are broadcast, in arrival order: nobody ever sees a change
 * that is not on disk. (With group commit a batch is applied first, held back, stored, then
 * sent, in one task, so no other task reads the document between.)
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private readonly conns = new Set<Connection>()
  /** Connections already logged for speaking for another's presence. */
  private readonly spoofers = new WeakSet<Connection>()
  /** Which connection may set or remove each awareness client's state. */
  private readonly presence = new PresenceOwners<Connection>(this.awareness, (conn, count) => this.presenceRefused(conn, count))
  // Awareness goes out batched, the latest state of each changed client per interval, to all
  // (the sender too: echoing its own state is a no-op for a y-protocols client).
  private readonly awarenessBatch = new AwarenessBatch(() => awarenessInterval(this.conns.size), (ids) => {
    if (!this.closed) this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)), null)
  })
  private queue: Promise<void>
  private readonly loading: Promise<void>
  /**
   * Every stored update up to this seq is in the document. Our own appends advance it only while
   * they follow on: a hole means another process appends to the same log (a board briefly served
   * by two instances without Redis), and compacting past the hole would drop its updates.
   */
  private lastSeq = 0
  private uncompacted = 0
  private closed = false
  private loaded = false
  /** Set when a server write could not be stored: memory is ahead of disk, so never compact it. */
  private broken = false
  private readonly fanout: Fanout | undefined
  private batch: Array<{ conn: Connection; update: Uint8Array; decoded: DecodedUpdate }> = []

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
    this.fanout = opts.fanout?.(this)
    this.loading = this.load()
    this.loading.catch(() => this.fanout?.close())
    this.queue = this.loading.catch(() => {})
  }

  get size(): number {
    return this.conns.size
  }

  connections(): IterableIterator<Connection> {
    return this.conns.keys()
  }

  /**
   * A server change could not be stored (this copy is ahead of storage), or the room was
   * discarded: it serves nobody and must be loaded afresh.
   */
  get stale(): boolean {
    return this.broken
  }

  /** Resolves once the stored state is loaded; rejects if it could not be. */
  ready(): Promise<void> {
    return this.loading
  }

  join(conn: Connection): void {
    this.conns.add(conn)
    this.enqueue(async () => {
      if (!this.conns.has(conn)) return
      conn.send(encodeSyncStep1(this.doc))
      const states = [...this.awareness.getStates().keys()]
      if (states.length) conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)))
      await this.opts.onJoined?.(conn)
    })
  }

  leave(conn: Connection): void {
    if (!this.conns.delete(conn)) return
    const clientIds = this.presence.release(conn)
    if (clientIds.length) awarenessProtocol.removeAwarenessStates(this.awareness, clientIds, null)
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
        // Group commit: updates that arrive while the room is busy (e.g. waiting for the disk)
        // are stored together, in one transaction, by one task.
        if (this.opts.store.appendMany) {
          if (this.batch.push({ conn, update: message.update, decoded: message.decoded }) === 1) this.enqueue(() => this.storeBatch())
        } else this.enqueue(() => this.store(conn, message.update, message.decoded))
        return
      case 'awareness':
        try {
          // Echoes dropped unparsed; other connections' ids dropped; hostile sizes and id counts refused.
          const fresh = this.presence.filter(conn, message.update)
          if (fresh) awarenessProtocol.applyAwarenessUpdate(this.awareness, fresh, conn)
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
      const seq = await this.opts.store.append(update)
      this.appended(seq)
      this.fanout?.stored(update, seq)
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

  /**
   * An update another instance has stored: applied and broadcast to this instance's clients,
   * never stored again. Call only from a task in this room's queue.
   */
  applyRemote(update: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN)
    } catch (err) {
      this.opts.log.warn('remote update applies only in part', { room: this.name, error: (err as Error).message })
    }
  }

  /** Awareness of another instance's clients, for this instance's clients. */
  applyRemoteAwareness(update: Uint8Array): void {
    if (this.closed) return
    try {
      const fresh = this.presence.filterRemote(update)
      if (fresh) awarenessProtocol.applyAwarenessUpdate(this.awareness, fresh, REMOTE_ORIGIN)
    } catch (err) {
      this.opts.log.warn('ignoring a malformed remote awareness update', { room: this.name, error: (err as Error).message })
    }
  }

  /** Awareness client ids of this instance's own connections. */
  localAwarenessClients(): number[] {
    return this.presence.localIds()
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
    this.fanout?.close()
    await this.queue.catch(() => {})
    if (this.uncompacted > 0 && !this.broken) await this.compact()
    this.awareness.destroy()
    this.doc.destroy()
  }

  /** Frees the document without storing it again: the board is being erased. */
  async discard(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.broken = true // nothing may reach storage from here on
    this.fanout?.erased()
    await this.queue.catch(() => {})
    this.awareness.destroy()
    this.doc.destroy()
  }

  /** Closes every connection (e.g. on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const conn of [...this.conns.keys()]) conn.close(code, reason)
  }

  private async load(): Promise<void> {
    const stored = await this.opts.store.load()
    for (const error of applyStored(this.doc, stored).partial) this.opts.log.warn('stored update applies only in part', { room: this.name, error })
    this.lastSeq = stored.lastSeq
    this.fanout?.loaded(stored.lastSeq)
    this.uncompacted = stored.updates.length
    this.loaded = true
    if (this.uncompacted >= this.opts.compactEvery) await this.compact()
  }

  /** Whether the room's write rules refuse this update; if so, the sender is told why. */
  private refuses(conn: Connection, update: Uint8Array, decoded: DecodedUpdate): boolean {
    let reason: ReturnType<NonNullable<RoomOptions['guard']>>
    try {
      reason = this.opts.guard?.(conn, update, decoded) ?? null
    } catch (err) {
      this.reject(conn, err) // e.g. a private draft that Yjs cannot apply
      return true
    }
    if (!reason) return false
    this.opts.log.info('update refused', { room: this.name, conn: conn.id, reason })
    this.sendSnurra(conn, { t: 'rejected', reason })
    return true
  }

  private async store(conn: Connection, update: Uint8Array, decoded: DecodedUpdate): Promise<void> {
    // A sync step 2 usually carries nothing the server lacks: no need for a log row.
    if (addsNothing(this.doc, decoded)) return
    if (this.refuses(conn, update, decoded)) return
    let seq: number
    try {
      seq = await this.opts.store.append(update)
    } catch (err) {
      // Not stored, so not applied and not acknowledged: the client keeps its edit and resends
      // it when it reconnects and syncs.
      this.opts.log.error('storage append failed', { room: this.name, error: (err as Error).message })
      conn.close(CLOSE.serverError, 'storage unavailable')
      return
    }
    this.appended(seq)
    this.fanout?.stored(update, seq)
    try {
      Y.applyUpdate(this.doc, update, conn)
    } catch (err) {
      this.reject(conn, err)
    }
    if (++this.uncompacted >= this.opts.compactEvery) await this.compact()
  }

  /**
   * Every update received since the last batch: judged and applied in arrival order (a later
   * one may build on an earlier one), held back from everyone, stored in one transaction, and
   * only then broadcast — as serverWrite does. No task runs in between, so nobody reads the
   * document while it is ahead of the disk; if storing fails, the room is broken and closed
   * (reloaded on the next join), and the senders resend on reconnect.
   */
  private async storeBatch(): Promise<void> {
    const batch = this.batch.splice(0)
    const accepted: Array<{ conn: Connection; update: Uint8Array }> = []
    // An update that Yjs applies only in part leaves the document with changes no log row holds.
    let partial = false
    for (const { conn, update, decoded } of batch) {
      if (!this.conns.has(conn)) continue
      if (addsNothing(this.doc, decoded)) continue
      if (this.refuses(conn, update, decoded)) continue
      try {
        Y.applyUpdate(this.doc, update, SERVER_ORIGIN) // SERVER_ORIGIN: not broadcast yet
      } catch (err) {
        this.reject(conn, err)
        partial = true
        break // the senders of the rest resend them when they reconnect
      }
      accepted.push({ conn, update })
    }
    if (accepted.length) {
      let seqs: number[]
      try {
        seqs = await this.opts.store.appendMany!(accepted.map((a) => a.update))
      } catch (err) {
        this.broken = true
        this.opts.log.error('storage append failed; closing the room', { room: this.name, error: (err as Error).message })
        this.closeAll(CLOSE.serverError, 'storage unavailable')
        return
      }
      accepted.forEach(({ conn, update }, i) => {
        this.appended(seqs[i])
        this.fanout?.stored(update, seqs[i])
        this.broadcast(encodeUpdate(update), conn)
      })
      this.uncompacted += accepted.length
    }
    if (partial) {
      // Memory now holds what storage does not: drop this copy; the next join reloads the board.
      this.broken = true
      this.opts.log.error('an update applied only in part; closing the room', { room: this.name })
      this.closeAll(CLOSE.serverError, 'reloading the board')
      return
    }
    if (this.uncompacted >= this.opts.compactEvery) await this.compact()
  }


  private appended(seq: number): void {
    if (seq === this.lastSeq + 1) this.lastSeq = seq
  }

  private async compact(): Promise<void> {
    const started = performance.now()
    try {
      // With a fan-out, other instances' updates fill holes too: it knows how far we are whole.
      await this.opts.store.compact(Y.encodeStateAsUpdate(this.doc), this.fanout?.coveredSeq() ?? this.lastSeq)
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
    this.presence.statesRemoved(removed)
    // Not back to where it came from; and every instance times out stale clients on its own.
    if (origin !== REMOTE_ORIGIN && origin !== 'timeout') this.fanout?.awareness(changed)
    this.awarenessBatch.add(changed)
  }

  private presenceRefused(conn: Connection, count: number): void {
    // Once per connection: a spoofer would otherwise write a log line per frame.
    if (!this.spoofers.has(conn)) this.opts.log.info('presence for client ids another connection holds dropped', { room: this.name, conn: conn.id, count })
    this.spoofers.add(conn)
    conn.presenceRefused?.(count)
  }

  private reject(conn: Connection, err: unknown): void {
    const reason = err instanceof ProtocolError ? err.message : `invalid message: ${(err as Error).message}`
    this.opts.log.warn('closing connection on bad input', { room: this.name, conn: conn.id, reason })
    conn.close(CLOSE.malformed, 'malformed message')
  }
}
