import type * as Y from 'yjs'
import { metaOf } from './board-meta.ts'
import { DOCUMENT_ID, PAGE_ID } from './circle.ts'
import { addPath } from './paths.ts'
import { recordsOf, writeRecord } from './record-store.ts'
import { createSnurraSchema } from './shapes.ts'
import { syncTemplateLayer } from './template-layer.ts'
import type { Template } from './template.ts'

// The board's setup lives in paths.ts and template-layer.ts; these names stay importable from here.
export { appendPaths } from './paths.ts'
export { isTemplateShape, syncTemplateLayer } from './template-layer.ts'

/** Origin of transactions made by Snurra's own setup code (never a user's edit). */
export const SETUP_ORIGIN = 'snurra-setup'

/**
 * Writes a new board's content: meta, the tldraw document and page, and the template layer.
 * Runs once, on the server, when the board is created, so two first visitors can never seed
 * it twice.
 */
export function seedBoard(doc: Y.Doc, template: Template, title: string, now = Date.now()): void {
  doc.transact(() => {
    const meta = metaOf(doc)
    meta.set('title', title)
    meta.set('template', template)
    meta.set('createdAt', now)
    meta.set('schema', createSnurraSchema().serialize())
    const records = recordsOf(doc)
    writeRecord(records, { id: DOCUMENT_ID, typeName: 'document', gridSize: 10, name: title, meta: {} })
    writeRecord(records, { id: PAGE_ID, typeName: 'page', name: title, index: 'a1', meta: {} })
    template.paths.forEach((path, i) => addPath(doc, path.label, i, path.id, path.taskId))
    syncTemplateLayer(doc)
  }, SETUP_ORIGIN)
}
