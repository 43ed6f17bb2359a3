import { atom, computed, type Atom, type Signal } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { metaOf, readMeta, type BoardMeta } from '../../core/board-meta.ts'

export type ConnectionState = 'connecting' | 'online' | 'offline'

/** Why the server ended the connection for good (y-websocket stops retrying on 4400–4499). */
export type ClosedReason = { kind: 'unauthorized' } | { kind: 'not-found' } | { kind: 'malformed' } | { kind: 'other'; code: number }

// IndexedDB can hang (some private modes); never let it keep the board from connecting.
const IDB_WAIT_MS = 2000

/**
 * One board's Yjs document and its two providers: the server through y-websocket and the
 * browser's IndexedDB, so edits made offline survive a reload. Only the server's sync counts
 * as "synced": the IndexedDB copy may be stale or empty and must never be acted on alone.
 */
export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly idb: IndexeddbPersistence

  /** True once the server's state has arrived (stays true through later reconnects). */
  readonly synced: Atom<boolean> = atom('synced', false)
  readonly meta: Atom<BoardMeta | null> = atom('meta', null)
  readonly closed: Atom<ClosedReason | null> = atom('closed', null)
  /** Set when the server closed a connection because a frame was too big (1009). */
  readonly tooBig: Atom<boolean> = atom('tooBig', false)
  readonly state: Signal<ConnectionState>
  /** What tldraw's collaboration UI wants: online or not. */
  readonly tldrawStatus: Signal<'online' | 'offline'>

  private readonly providerConnected = atom('providerConnected', false)
  private readonly providerSynced = atom('providerSynced', false)
  private readonly attempts = atom('attempts', 0)
  private readonly browserOnline = atom('browserOnline', navigator.onLine)
  private readonly disposers: Array<() => void> = []

  constructor(boardId: string, token: string) {
    this.idb = new IndexeddbPersistence(`snurra-${boardId}`, this.doc)
    const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    this.provider = new WebsocketProvider(`${wsBase}/ws`, boardId, this.doc, { params: { token }, connect: false })

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
        code === 4401 ? { kind: 'unauthorized' } : code === 4404 ? { kind: 'not-found' } : code === 4400 ? { kind: 'malformed' } : { kind: 'other', code },
      )
    }
    provider.on('status', onStatus)
    provider.on('sync', onSync)
    provider.on('connection-close', onClose)
    provider.on('closed', onClosed)

    const meta = metaOf(this.doc)
    const onMeta = () => this.meta.set(readMeta(this.doc))
    meta.observe(onMeta)
    onMeta()

    // When the browser says the network is gone, drop the socket ourselves rather than wait
    // for a timeout; edits keep going into the document and IndexedDB and are sent on return.
    const online = () => {
      this.browserOnline.set(true)
      if (!this.closed.get()) provider.connect()
    }
    const offline = () => {
      this.browserOnline.set(false)
      provider.disconnect()
    }
    window.addEventListener('online', online)
    window.addEventListener('offline', offline)

    this.disposers.push(() => {
      provider.off('status', onStatus)
      provider.off('sync', onSync)
      provider.off('connection-close', onClose)
      provider.off('closed', onClosed)
      meta.unobserve(onMeta)
      window.removeEventListener('online', online)
      window.removeEventListener('offline', offline)
    })
  }

  destroy(): void {
    for (const dispose of this.disposers.splice(0)) dispose()
    this.provider.destroy()
    void this.idb.destroy()
    this.doc.destroy()
  }
}
