import { atom, type Atom } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { draftsDbName } from './local-copies.ts'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

// IndexedDB can hang (some private modes); never let it keep the drafts from connecting.
const IDB_WAIT_MS = 2000

/**
 * This person's private drafts on one board: cards made in private mode, in a document of their
 * own that the server keeps apart and sends to nobody else (`/ws/<board>/private`). Kept in
 * IndexedDB too, under its own name, so drafts survive a reload or a lost connection.
 */
export class DraftsConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly idb: IndexeddbPersistence
  /** True once the server's copy has arrived. */
  readonly synced: Atom<boolean> = atom('draftsSynced', false)
  private readonly timer: ReturnType<typeof setTimeout>
  private destroyed = false

  constructor(boardId: string, params: { token: string; person: string }) {
    this.idb = new IndexeddbPersistence(draftsDbName(boardId), this.doc)
    const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    this.provider = new WebsocketProvider(`${wsBase}/ws`, `${boardId}/private`, this.doc, { params, connect: false, disableBc: true })
    // Nobody else is in this room: no presence to publish.
    this.provider.awareness.setLocalState(null)
    this.provider.on('sync', this.onSync)
    const connect = () => {
      if (!this.destroyed && !this.provider.shouldConnect) this.provider.connect()
    }
    this.timer = setTimeout(connect, IDB_WAIT_MS)
    this.idb.whenSynced.then(() => {
      clearTimeout(this.timer)
      connect()
    })
  }

  private onSync = (isSynced: boolean) => {
    if (isSynced) this.synced.set(true)
  }

  destroy(): void {
    this.destroyed = true
    clearTimeout(this.timer)
    this.provider.off('sync', this.onSync)
    this.provider.destroy()
    void this.idb.destroy()
    this.doc.destroy()
  }
}
