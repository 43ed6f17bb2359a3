import { atom, type Atom } from 'tldraw'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MESSAGE_SNURRA, readSnurraPayload } from '../../core/messages.ts'
import { draftsDbName } from './local-copies.ts'
import { mergeRefusals, readRefusal, type Refusal } from './snurra-channel.ts'

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
  /** Set when the server refused a change to the drafts (they are full): ours has diverged. */
  readonly rejected: Atom<Refusal | null> = atom('draftsRejected', null)
  private readonly timer: ReturnType<typeof setTimeout>
  private destroyed = false

  /** `initial`: the rebased drafts, when a refusal ended the previous connection (see recovery.ts). */
  constructor(boardId: string, params: { token: string; person: string }, initial?: Uint8Array) {
    // Before IndexedDB attaches, so that it stores the rebased state as well.
    if (initial) Y.applyUpdate(this.doc, initial)
    this.idb = new IndexeddbPersistence(draftsDbName(boardId), this.doc)
    const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
    this.provider = new WebsocketProvider(`${wsBase}/ws`, `${boardId}/private`, this.doc, { params, connect: false, disableBc: true })
    // Nobody else is in this room: no presence to publish.
    this.provider.awareness.setLocalState(null)
    this.provider.on('sync', this.onSync)
    // Of Snurra's own messages, only a refusal concerns the drafts. Like the board's, a refused
    // change stays in our copy and would be offered again on every reconnect: stop sending
    // until the copy is rebased (see recovery.ts).
    this.provider.messageHandlers[MESSAGE_SNURRA] = (_encoder, decoder) => {
      try {
        const message = readSnurraPayload(decoder)
        if (message.t !== 'rejected') return
        this.rejected.set(mergeRefusals(this.rejected.get(), readRefusal(message)))
        queueMicrotask(() => this.provider.disconnect())
      } catch (error) {
        console.warn('[snurra] unreadable server message', (error as Error).message)
      }
    }
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
