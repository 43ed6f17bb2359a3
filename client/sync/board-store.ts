import type { SerializedSchema } from '@tldraw/store'
import { atom, computed, createTLStore, type Atom, type Signal, type TLRecord, type TLStore, type TLUserStore } from 'tldraw'
import type * as Y from 'yjs'
import { metaOf, readMeta } from '../../core/board-meta.ts'
import { recordsOf } from '../../core/record-store.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { storeBindingUtils, storeShapeUtils } from '../shapes/index.ts'
import type { BoardConnection } from './connection.ts'
import { compareSchema, type SchemaCompat } from './schema-compat.ts'
import { loadDocIntoStore, receiveDocChanges, sendStoreChanges, type DocSources } from './store-binding.ts'

// A revealed draft is deleted from the drafts and written to the board over two sockets.
const REVEAL_GRACE_MS = 3000

/**
 * The tldraw store of one open board, filled from the synced Yjs document (and this person's
 * private drafts) and kept bound to them. Decides whether this client may write: not as a
 * viewer, not as a participant while the board is locked, not after the server refused one of
 * our updates, and never when the board was written with a newer schema than ours (we could
 * silently drop what we do not understand).
 */
export class BoardStore {
  readonly store: TLStore
  readonly schemaCompat: Atom<SchemaCompat>
  readonly readonly: Signal<boolean>
  /** Ids of the records shown from the private drafts only (not yet revealed). */
  readonly privateIds: Atom<ReadonlySet<string>> = atom('privateIds', new Set<string>())
  private readonly sources: DocSources
  /** Tags our own Yjs transactions, so the document observer skips what we just wrote. */
  private readonly origin = { source: 'snurra-store' }
  private readonly ours: SerializedSchema
  private readonly disposers: Array<() => void> = []

  constructor(
    private readonly connection: BoardConnection,
    private readonly canEdit: boolean,
    users: TLUserStore,
  ) {
    const mode = computed('mode', (): 'readonly' | 'readwrite' => (this.readonly.get() ? 'readonly' : 'readwrite'))
    this.store = createTLStore({
      shapeUtils: storeShapeUtils,
      bindingUtils: storeBindingUtils,
      users,
      collaboration: { status: connection.tldrawStatus, mode },
    })
    this.ours = this.store.schema.serialize()
    this.schemaCompat = atom('schemaCompat', compareSchema(this.storedSchema(), this.ours))
    this.readonly = computed('readonly', () => {
      // A closed connection (link replaced, board deleted) never takes an edit again, nor a damaged board.
      if (!this.canEdit || this.schemaCompat.get() === 'newer' || connection.rejected.get() || connection.closed.get() || connection.channel.damaged.get()) return true
      return connection.role !== 'facilitator' && connection.facilitation.get().locked
    })
    this.sources = { board: connection.doc, drafts: connection.drafts?.doc ?? null, origin: this.origin }
  }

  /**
   * Whether a new record goes to the private drafts: a participant's new cards while private
   * mode is on. The facilitator's cards stay on the board: the facilitator runs the session
   * and reveals, and often places example cards for everyone to see.
   */
  private isDraft = (record: TLRecord): boolean =>
    this.connection.role === 'participant' && record.typeName === 'shape' && record.type === CARD_TYPE && this.connection.facilitation.get().privateMode

  private storedSchema(): SerializedSchema | null {
    return readMeta(this.connection.doc)?.schema ?? null
  }

  private canWrite = () => !this.readonly.get()

  /** Records in the document are in the stored schema until someone upgrades them. */
  private migrateFrom = () => (this.schemaCompat.get() === 'older' ? this.storedSchema() : null)

  /** Call once, after the server's state has arrived. */
  load(): void {
    const { doc } = this.connection
    const { drafts } = this.sources
    const compat = this.schemaCompat.get()
    // The server upgrades a board's records when it loads it; should it not have (an older
    // server), only the facilitator may (meta is the facilitator's and the server's to write).
    const upgrade = compat === 'older' && this.canWrite() && this.connection.role === 'facilitator'
    loadDocIntoStore(this.store, this.sources, { migrateFrom: this.migrateFrom(), upgrade })
    if (upgrade) this.schemaCompat.set('same')

    // From the moment of loading, so nothing that arrives before the editor mounts is missed.
    const common = { origin: this.origin, migrateFrom: this.migrateFrom }
    this.disposers.push(receiveDocChanges(this.store, doc, { ...common, other: drafts, otherWins: false, removalGraceMs: 0 }))
    if (drafts) {
      this.disposers.push(receiveDocChanges(this.store, drafts, { ...common, other: doc, otherWins: true, removalGraceMs: REVEAL_GRACE_MS }))
      this.disposers.push(this.trackPrivateIds(doc, drafts))
    }

    const meta = metaOf(doc)
    const onMeta = () => this.schemaCompat.set(compareSchema(this.storedSchema(), this.ours))
    meta.observe(onMeta)
    this.disposers.push(() => meta.unobserve(onMeta))
  }

  /** Starts sending the user's edits. Call when the editor mounts, so its own setup is never written back. */
  bind(): () => void {
    return sendStoreChanges(this.store, this.sources, { canWrite: this.canWrite, isDraft: this.isDraft })
  }

  private trackPrivateIds(board: Y.Doc, drafts: Y.Doc): () => void {
    const boardMap = recordsOf(board)
    const draftMap = recordsOf(drafts)
    const update = () => {
      const ids = new Set<string>()
      for (const id of draftMap.keys()) if (!boardMap.has(id)) ids.add(id)
      const prev = this.privateIds.get()
      if (ids.size !== prev.size || [...ids].some((id) => !prev.has(id))) this.privateIds.set(ids)
    }
    // The board side matters only while there are drafts (a reveal lands there).
    const onBoard = () => draftMap.size > 0 && update()
    draftMap.observe(update)
    boardMap.observe(onBoard)
    update()
    return () => {
      draftMap.unobserve(update)
      boardMap.unobserve(onBoard)
    }
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose()
  }
}
