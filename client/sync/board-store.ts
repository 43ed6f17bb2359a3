import type { SerializedSchema } from '@tldraw/store'
import { atom, computed, createTLStore, type Atom, type Signal, type TLStore, type TLUserStore } from 'tldraw'
import { metaOf, readMeta } from '../../core/board-meta.ts'
import { storeBindingUtils, storeShapeUtils } from '../shapes/index.ts'
import type { BoardConnection } from './connection.ts'
import { compareSchema, type SchemaCompat } from './schema-compat.ts'
import { loadDocIntoStore, receiveDocChanges, sendStoreChanges } from './store-binding.ts'

/**
 * The tldraw store of one open board, filled from the synced Yjs document and kept bound to
 * it. Decides whether this client may write: not as a viewer, and never when the board was
 * written with a newer schema than ours (we could silently drop what we do not understand).
 */
export class BoardStore {
  readonly store: TLStore
  readonly schemaCompat: Atom<SchemaCompat>
  readonly readonly: Signal<boolean>
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
    this.readonly = computed('readonly', () => !this.canEdit || this.schemaCompat.get() === 'newer')
  }

  private storedSchema(): SerializedSchema | null {
    return readMeta(this.connection.doc)?.schema ?? null
  }

  private canWrite = () => !this.readonly.get()

  /** Records in the document are in the stored schema until someone upgrades them. */
  private migrateFrom = () => (this.schemaCompat.get() === 'older' ? this.storedSchema() : null)

  /** Call once, after the server's state has arrived. */
  load(): void {
    const { doc } = this.connection
    const compat = this.schemaCompat.get()
    loadDocIntoStore(this.store, doc, { migrateFrom: this.migrateFrom(), upgrade: compat === 'older' && this.canWrite(), origin: this.origin })
    if (compat === 'older' && this.canWrite()) this.schemaCompat.set('same')

    // From the moment of loading, so nothing that arrives before the editor mounts is missed.
    this.disposers.push(receiveDocChanges(this.store, doc, { origin: this.origin, migrateFrom: this.migrateFrom }))

    const meta = metaOf(doc)
    const onMeta = () => this.schemaCompat.set(compareSchema(this.storedSchema(), this.ours))
    meta.observe(onMeta)
    this.disposers.push(() => meta.unobserve(onMeta))
  }

  /** Starts sending the user's edits. Call when the editor mounts, so its own setup is never written back. */
  bind(): () => void {
    return sendStoreChanges(this.store, this.connection.doc, { origin: this.origin, canWrite: this.canWrite })
  }

  dispose(): void {
    for (const dispose of this.disposers.splice(0)) dispose()
  }
}
