import * as Y from 'yjs'
import { metaOf, pathsOf, readMeta, readPaths } from './board-meta.ts'
import { circleSegments, DOCUMENT_ID, indexBelowAll, PAGE_ID, segmentRecord } from './circle.ts'
import { newLocalId } from './ids.ts'
import { deleteRecord, readAllRecords, recordsOf, writeRecord, type JsonRecord } from './record-store.ts'
import { createSnurraSchema } from './shapes.ts'
import type { Template } from './template.ts'

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
    template.paths.forEach((path, i) => addPath(doc, path.label, i, path.id))
    syncTemplateLayer(doc)
  }, SETUP_ORIGIN)
}

function addPath(doc: Y.Doc, label: string, order: number, id = newLocalId()): string {
  const entry = new Y.Map<unknown>()
  entry.set('label', label)
  entry.set('order', order)
  pathsOf(doc).set(id, entry)
  return id
}

/** Appends pasted action paths after the existing ones and redraws the ring. */
export function appendPaths(doc: Y.Doc, labels: string[]): string[] {
  let ids: string[] = []
  doc.transact(() => {
    const existing = readPaths(doc)
    const start = existing.length ? existing[existing.length - 1].order + 1 : 0
    ids = labels.map((label, i) => addPath(doc, label, start + i))
    syncTemplateLayer(doc)
  })
  return ids
}

/**
 * Makes the template layer's shape records match the template and the current action paths:
 * writes what is missing or changed, removes segments whose path is gone. Idempotent, and it
 * writes only changed properties, so two facilitators running it at once converge.
 */
export function syncTemplateLayer(doc: Y.Doc): void {
  const meta = readMeta(doc)
  if (!meta) return
  doc.transact(() => {
    const records = recordsOf(doc)
    const current = readAllRecords(doc)
    const byId = new Map(current.map((r) => [r.id, r]))
    const wanted = circleSegments(meta.template, readPaths(doc))
    const wantedIds = new Set(wanted.map((s) => s.id))
    const pageIndices = current.filter((r) => r.typeName === 'shape' && typeof r.index === 'string').map((r) => r.index as string)
    for (const spec of wanted) {
      const existing = byId.get(spec.id)
      const index = typeof existing?.index === 'string' ? existing.index : indexBelowAll(pageIndices)
      if (!existing) pageIndices.push(index)
      writeRecord(records, segmentRecord(spec, index as never))
    }
    for (const record of current) {
      if (isTemplateShape(record) && !wantedIds.has(record.id)) deleteRecord(records, record.id)
    }
  })
}

export function isTemplateShape(record: JsonRecord): boolean {
  return record.typeName === 'shape' && (record.meta as Record<string, unknown> | undefined)?.template === true
}
