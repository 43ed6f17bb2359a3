import { createTLStore, type TLStore } from 'tldraw'
import * as Y from 'yjs'
import { readMeta, readPaths, type BoardMeta } from '../../core/board-meta.ts'
import { labelsAtom } from '../activity/board-labels.ts'
import { storeBindingUtils, storeShapeUtils } from '../shapes/index.ts'
import { compareSchema } from '../sync/schema-compat.ts'
import { loadDocIntoStore } from '../sync/store-binding.ts'
import type { Backup } from './versions-api.ts'

export function decodeBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export type VersionStore = { ok: true; store: TLStore; meta: BoardMeta } | { ok: false; reason: 'newer' | 'invalid' }

/**
 * A saved version as a tldraw store of its own: the backup's Yjs document decoded into a fresh
 * Y.Doc and loaded through the same binding code as the live board (records migrated from the
 * version's schema when it is older), never written back anywhere.
 */
export function versionStore(backup: Backup): VersionStore {
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, decodeBase64(backup.document))
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  const meta = readMeta(doc)
  if (!meta) return { ok: false, reason: 'invalid' }
  const store = createTLStore({ shapeUtils: storeShapeUtils, bindingUtils: storeBindingUtils })
  const compat = compareSchema(meta.schema, store.schema.serialize())
  if (compat === 'newer') return { ok: false, reason: 'newer' }
  loadDocIntoStore(store, { board: doc, drafts: null, origin: {} }, { migrateFrom: compat === 'older' ? meta.schema : null, upgrade: false })
  // Cards and the ring name tasks, paths and sectors through the store's labels (board-labels.ts).
  labelsAtom(store).set({
    tasks: meta.template.tasks,
    sectors: meta.template.sectors,
    paths: readPaths(doc).map((p) => ({ id: p.id, label: p.label })),
  })
  doc.destroy()
  return { ok: true, store, meta }
}
