import { atom, computed, react, type Atom, type Signal } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { metaOf, readMeta, type BoardMeta } from '../../core/board-meta.ts'
import { FACILITATION_KEY, readFacilitation, type FacilitationState } from '../../core/facilitation.ts'
import type { Role } from '../../core/roles.ts'
import { DraftsConnection } from './drafts.ts'
import { boardDbName, draftsDbName } from './local-copies.ts'
import { recoverFromRefusal, type RefusedCopy } from './recovery.ts'
import { addRefusalReport } from './refusal-report.ts'
import { SnurraChannel, type Refusal } from './snurra-channel.ts'

export type ConnectionState = 'connecting' | 'online' | 'offline'

/** Why the server ended the connection for good (y-websocket stops retrying on 4400–4499). */
export type ClosedReason = { kind: 'unauthorized' } | { kind: 'not-found' } | { kind: 'deleted' } | { kind: 'malformed' } | { kind: 'other'; code: number }

// IndexedDB can hang (some private modes); never let it keep the board from connecting.
const IDB_WAIT_MS = 2000

export interface ConnectionOptions {
  role: Role
  /** This device's key (see identity.ts): the server's per-board person id comes from it. */
  person: string
  /** Where the previous connection left off after a refusal: the rebased documents (see `replaced`). */
  initial?: Replacement | null
}

/** The rebased state of whichever document a refusal was about; the next connection starts from it. */
export type Replacement = { board?: Uint8Array; drafts?: Uint8Array }

/**
 * One board's Yjs document and its two providers: the server through y-websocket and the
 * browser's IndexedDB, so edits made offline survive a reload. Only the server's sync counts
 * as "synced": the IndexedDB copy may be stale or empty and must never be acted on alone.
 * Beside it: Snurra's message channel on the same socket, and (for anyone who may write) the
 * person's private drafts.
 */
export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly idb: IndexeddbPersistence
  readonly channel: SnurraChannel
  readonly drafts: DraftsConnection | null
  readonly role: Role
  /** The facilitation state as the server last wrote it. */
  readonly facilitation: Atom<FacilitationState>

  /** True once the server's state has arrived (stays true through later reconnects). */
  readonly synced: Atom<boolean> = atom('synced', false)
  readonly meta: Atom<BoardMeta | null> = atom('meta', null)
  readonly closed: Atom<ClosedReason | null> = atom('closed', null)
  /** Set when the server closed a connection because a frame was too big (1009). */
  readonly tooBig: Atom<boolean> = atom('tooBig', false)
  readonly state: Signal<ConnectionState>
  /** Why the server refused one of our changes, to the board or to the drafts; null if it has not. */
  readonly rejected: Signal<(Refusal & { drafts: boolean }) | null>
  /**
   * Set once a refused copy has been rebased and stored: this connection is done, and the board
   * opens again on a new one that starts from the rebased state (BoardPage does that).
   */
  readonly replaced: Atom<Replacement | null> = atom('replaced', null)
  /** What tldraw's collaboration UI wants: online or not. */
  readonly tldrawStatus: Signal<'online' | 'offline'>

  private readonly providerConnected = atom('providerConnected', false)
  private readonly providerSynced = atom('providerSynced', false)
  private readonly attempts = atom('attempts', 0)
  private readonly browserOnline = atom('browserOnline', navigator.onLine)
  private readonly disposers: Array<() => void> = []
  private readonly params: { token: string; person: string }
  private readonly recovery = new AbortController()

  constructor(
    readonly boardId: string,
    readonly token: string,
    opts: ConnectionOptions,
  ) {
    this.role = opts.role
    // Before IndexedDB attaches, so that it stores the rebased state as well.
    if (opts.initial?.board) Y.applyUpdate(this.doc, opts.initial.board)
    this.idb = new IndexeddbPersistence(boardDbName(boardId), this.doc)
    const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    const params = (this.params = { token, person: opts.person })
    this.provider = new WebsocketProvider(`${wsBase}/ws`, boardId, this.doc, { params, connect: false, disableBc: true })
    this.channel = new SnurraChannel(this.provider)
    this.drafts = opts.role === 'viewer' ? null : new DraftsConnection(boardId, params, opts.initial?.drafts)
    this.facilitation = atom('facilitation', readFacilitation(this.doc))

    this.rejected = computed('rejected', () => {
      const board = this.channel.rejected.get()
      if (board) return { ...board, drafts: false }
      const drafts = this.drafts?.rejected.get()
      return drafts ? { ...drafts, drafts: true } : null
    })
    this.state = computed('connectionState', () => {
      if (!this.browserOnline.get() || this.closed.get()) return 'offline'
      if (this.providerConnected.get() && this.providerSynced.get()) return 'online'
      // Before the first sync we are still "connecting"; after it, or after repeated failures,
      // a lost connection is "offline" (edits are kept and sent later).
      return this.synced.get() || this.attempts.get() > 2 ? 'offline' : 'connecting'
    })
    this.tldrawStatus = computed('tldrawStatus', () => (this.state.get() === 'online' ? 'online' : 'offline'))

    this.listen()
    const connect = () => this.provider.connect()
    const timer = setTimeout(connect, IDB_WAIT_MS)
    this.idb.whenSynced.then(() => {
      clearTimeout(timer)
      if (!this.provider.shouldConnect) connect()
    })
    this.disposers.push(() => clearTimeout(timer))
  }

  private listen(): void {
    const { provider } = this
    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      this.providerConnected.set(status === 'connected')
      if (status !== 'connected') this.providerSynced.set(false)
    }
    const onSync = (isSynced: boolean) => {
      this.providerSynced.set(isSynced)
      if (isSynced) {
        this.attempts.set(0)
        this.synced.set(true)
      }
    }
    const onClose = (event: CloseEvent | null) => {
      this.attempts.update((n) => n + 1)
      if (event?.code === 1009) this.tooBig.set(true)
    }
    const onClosed = ({ code }: { code: number }) => {
      this.closed.set(
        code === 4401
          ? { kind: 'unauthorized' }
          : code === 4404
            ? { kind: 'not-found' }
            : code === 4410
              ? { kind: 'deleted' }
              : code === 4400
                ? { kind: 'malformed' }
                : { kind: 'other', code },
      )
      // Deleted by the facilitator: this browser's copies go too. (4404 only says the server
      // does not know the board — perhaps a wrongly configured server — so copies stay then.)
      if (code === 4410) void this.forgetLocalCopies()
    }
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('connection-close', onClose)
    provider.on('closed', onClosed)

    const meta = metaOf(this.doc)
    const onMeta = () => this.meta.set(readMeta(this.doc))
    meta.observe(onMeta)
    onMeta()

    // The server writes each part of the state as one value; a shallow observer sees them all.
    const facilitation = this.doc.getMap(FACILITATION_KEY)
    const onFacilitation = () => this.facilitation.set(readFacilitation(this.doc))
    facilitation.observe(onFacilitation)
    onFacilitation()

    // A refused update stays in our document and would be offered again on every reconnect:
    // stop talking to the server, and rebase the refused copy onto the server's state.
    let recovering = false
    const stopRejected = react('rejected update', () => {
      const refused = this.rejected.get()
      if (!refused || recovering) return
      recovering = true
      // Disconnecting sets atoms (status): after the reaction, not while it captures.
      queueMicrotask(() => {
        provider.disconnect()
        void this.recover(refused.drafts)
      })
    })

    // When the browser says the network is gone, drop the socket ourselves rather than wait
    // for a timeout; edits keep going into the document and IndexedDB and are sent on return.
    const online = () => {
      this.browserOnline.set(true)
      if (this.closed.get() || this.channel.rejected.get()) return
      provider.connect()
      if (!this.drafts?.rejected.get()) this.drafts?.provider.connect()
    }
    const offline = () => {
      this.browserOnline.set(false)
      provider.disconnect()
      this.drafts?.provider.disconnect()
    }
    window.addEventListener('online', online)
    window.addEventListener('offline', offline)

    this.disposers.push(() => {
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      provider.off('connection-close', onClose)
      provider.off('closed', onClosed)
      meta.unobserve(onMeta)
      facilitation.unobserve(onFacilitation)
      stopRejected()
      window.removeEventListener('online', online)
      window.removeEventListener('offline', offline)
    })
  }

  /** Rebases the refused copy (recovery.ts), tells the person what was not kept, and hands over. */
  private async recover(drafts: boolean): Promise<void> {
    const copy: RefusedCopy =
      drafts && this.drafts
        ? { doc: this.drafts.doc, idb: this.drafts.idb, dbName: draftsDbName(this.boardId), room: `${this.boardId}/private`, refusal: () => this.drafts!.rejected.get() }
        : { doc: this.doc, idb: this.idb, dbName: boardDbName(this.boardId), room: this.boardId, refusal: () => this.channel.rejected.get() }
    try {
      const { state, report } = await recoverFromRefusal(copy, this.params, this.recovery.signal)
      if (this.recovery.signal.aborted) return
      if (report.count > 0) addRefusalReport(this.boardId, report)
      this.replaced.set(drafts ? { drafts: state } : { board: state })
    } catch (error) {
      if (!this.recovery.signal.aborted) console.error('[snurra] recovery after a refused update failed', error)
    }
  }

  /** Stops syncing and deletes this browser's copies of the board and of its private drafts. */
  async forgetLocalCopies(): Promise<void> {
    this.provider.disconnect()
    this.drafts?.provider.disconnect()
    await Promise.all([this.idb.clearData(), this.drafts?.idb.clearData()])
  }

  destroy(): void {
    this.recovery.abort()
    for (const dispose of this.disposers.splice(0)) dispose()
    this.channel.destroy()
    this.drafts?.destroy()
    this.provider.destroy()
    void this.idb.destroy()
    this.doc.destroy()
  }
}
