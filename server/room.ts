import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { encodeSnurraMessage, type ServerSnurraMessage } from '../core/messages.ts'
import { CLOSE } from './close-codes.ts'
import { REMOTE_ORIGIN, SERVER_ORIGIN } from './origins.ts'
import { WritePipeline } from './pipeline/write-pipeline.ts'
import { RoomPresence } from './room-presence.ts'
import { decodeClientMessage, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError, type ClientMessage } from './protocol.ts'
import type { Connection, Refusal, RoomExtension, RoomOptions } from './room-types.ts'
import { applyStored } from './stored-doc.ts'

export type { Connection, Proposal, Refusal, RoomExtension, RoomOptions, RoomStore } from './room-types.ts'

export { REMOTE_ORIGIN, SERVER_ORIGIN } from './origins.ts'

/**
 * A loaded document: its Yjs doc, awareness and connections, and the extensions that give it its
 * rules (server/pipeline/write-pipeline.ts has the write path; room-types.ts the hooks).
 *
 * Everything that reads or writes the document runs through one queue per room, starting with
 * the load from storage. So no client is answered before the stored state is in, and updates are
 * stored before they are broadcast, in arrival order: nobody ever sees a change that is not on disk.
 */
export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  private readonly conns = new Set<Connection>()
  private readonly presence: RoomPresence
  private readonly pipeline: WritePipeline
  private extensionList: readonly RoomExtension[] = []
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
  /** Set when memory may hold what storage does not: this copy serves nobody and is never compacted. */
  private broken = false

  constructor(
    readonly name: string,
    private readonly opts: RoomOptions,
  ) {
    this.awareness.setLocalState(null) // the server is no participant
    this.presence = new RoomPresence(this, opts.log, () => this.extensionList)
    this.pipeline = new WritePipeline({
      name,
      doc: this.doc,
      log: opts.log,
      store: opts.store,
      opts,
      extensions: () => this.extensionList,
      isConnected: (conn) => this.conns.has(conn),
      refuse: (conn, refusal) => this.refuse(conn, refusal),
      malformed: (conn, err) => this.reject(conn, err),
      stored: (update, seq, from) => {
        this.stored(update, seq)
        this.broadcast(encodeUpdate(update), from)
      },
      lose: (why, culprit) => this.lose(why, culprit),
    })
    this.extensionList = opts.extensions?.(this) ?? []
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Another instance's stored change: pass it to our clients. Everything else is sent by the
      // write pipeline or serverWrite, after it is stored.
      if (origin === REMOTE_ORIGIN) this.broadcast(encodeUpdate(update), null)
    })
    this.loading = this.load()
    this.loading.catch(() => this.each((e) => e.onClose?.()))
    this.queue = this.loading.catch(() => {})
  }

  get size(): number {
    return this.conns.size
  }

  connections(): IterableIterator<Connection> {
    return this.conns.values()
  }

  /** A server change could not be stored, or the room was discarded: it must be loaded afresh. */
  get stale(): boolean {
    return this.broken
  }

  /** Resolves once the stored state is loaded; rejects if it could not be. */
  ready(): Promise<void> {
    return this.loading
  }

  join(conn: Connection): void {
    this.conns.add(conn)
    this.presence.join()
    this.enqueue(async () => {
      if (!this.conns.has(conn)) return
      conn.send(encodeSyncStep1(this.doc))
      this.presence.greet(conn)
      for (const extension of this.extensionList) await extension.onJoined?.(conn)
    })
  }

  leave(conn: Connection): void {
    if (!this.conns.delete(conn)) return
    this.presence.leave(conn)
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
        if (this.pipeline.add(conn, message.update, message.decoded)) this.enqueue(() => this.pipeline.commit().then(() => this.compactIfDue()))
        return
      case 'awareness':
        try {
          this.presence.receive(conn, message.update)
        } catch (err) {
          this.reject(conn, err)
        }
        return
      case 'query-awareness':
        this.presence.greet(conn)
        return
      case 'auth':
        return
      case 'snurra':
        this.enqueue(async () => {
          for (const extension of this.extensionList) await extension.onMessage?.(conn, message.payload)
        })
        return
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
    let seq: number
    try {
      ;[seq] = await this.opts.store.appendMany([update])
    } catch (err) {
      this.lose(`storing a server change failed: ${(err as Error).message}`)
      return false
    }
    this.stored(update, seq)
    this.broadcast(encodeUpdate(update), null)
    await this.compactIfDue()
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
    if (!this.closed) this.presence.applyRemote(update)
  }

  /** Awareness client ids of this instance's own connections. */
  localAwarenessClients(): number[] {
    return this.presence.localClients()
  }

  /** Runs a task in the room's queue (after everything received before it). */
  run(task: () => void | Promise<void>): Promise<void> {
    this.enqueue(task)
    return this.queue
  }

  sendSnurra(conn: Connection, message: ServerSnurraMessage): void {
    conn.send(encodeSnurraMessage(message))
  }

  /** The extension of this name, for the code that wires a board's pieces together. */
  extension<T extends RoomExtension>(name: string): T | undefined {
    return this.extensionList.find((e) => e.name === name) as T | undefined
  }

  /** Stores everything not yet in the snapshot, then frees the document. */
  async unload(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.each((e) => e.onClose?.())
    await this.queue.catch(() => {})
    if (this.uncompacted > 0 && !this.broken) await this.compact()
    this.presence.destroy()
    this.doc.destroy()
  }

  /** Frees the document without storing it again: the board is being erased. */
  async discard(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.broken = true // nothing may reach storage from here on
    this.each((e) => e.onErased?.())
    this.each((e) => e.onClose?.())
    await this.queue.catch(() => {})
    this.presence.destroy()
    this.doc.destroy()
  }

  /** Closes every connection (e.g. on shutdown). */
  closeAll(code: number, reason: string): void {
    for (const conn of [...this.conns]) conn.close(code, reason)
  }

  /** Sends to every connection but `except`. */
  broadcast(data: Uint8Array, except: unknown): void {
    for (const conn of this.conns) if (conn !== except) conn.send(data)
  }

  private async load(): Promise<void> {
    const stored = await this.opts.store.load()
    for (const error of applyStored(this.doc, stored).partial) this.opts.log.warn('stored update applies only in part', { room: this.name, error })
    this.lastSeq = stored.lastSeq
    this.uncompacted = stored.updates.length
    this.loaded = true
    for (const extension of this.extensionList) await extension.onLoaded?.(stored)
    await this.compactIfDue()
  }

  private stored(update: Uint8Array, seq: number): void {
    if (seq === this.lastSeq + 1) this.lastSeq = seq
    this.uncompacted++
    this.each((e) => e.onStored?.(update, seq))
  }

  private refuse(conn: Connection, refusal: Refusal): void {
    const { reason, records } = refusal
    this.sendSnurra(conn, records ? { t: 'rejected', reason, records } : { t: 'rejected', reason })
  }

  /**
   * Memory may now hold what storage does not: drop this copy, so the next join reloads the
   * board. Its clients reconnect and send again what was never acknowledged; a client whose
   * update did this is told not to (4400 stops a y-websocket client retrying).
   */
  private lose(why: string, culprit?: Connection): void {
    this.broken = true
    this.opts.log.error('dropping the room; it reloads from storage on the next join', { room: this.name, error: why })
    culprit?.close(CLOSE.malformed, 'update refused')
    this.closeAll(CLOSE.serverError, 'reloading the board')
  }

  private async compactIfDue(): Promise<void> {
    if (this.uncompacted >= this.opts.compactEvery && !this.broken) await this.compact()
  }

  private async compact(): Promise<void> {
    const started = performance.now()
    const bound = this.extensionList.reduce((seq, e) => (e.compactBound ? e.compactBound(seq) : seq), this.lastSeq)
    try {
      await this.opts.store.compact(Y.encodeStateAsUpdate(this.doc), bound)
      this.uncompacted = 0
      this.opts.log.debug('compacted', { room: this.name, seq: bound, ms: Math.round(performance.now() - started) })
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

  private each(fn: (extension: RoomExtension) => void): void {
    for (const extension of this.extensionList) {
      try {
        fn(extension)
      } catch (err) {
        this.opts.log.error('room extension failed', { room: this.name, extension: extension.name, error: (err as Error).message })
      }
    }
  }

  private reject(conn: Connection, err: unknown): void {
    const reason = err instanceof ProtocolError ? err.message : `invalid message: ${(err as Error).message}`
    this.opts.log.warn('closing connection on bad input', { room: this.name, conn: conn.id, reason })
    conn.close(CLOSE.malformed, 'malformed message')
  }
}
