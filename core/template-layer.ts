import * as Y from 'yjs'
import { readMeta, readPaths, type ActionPath } from './board-meta.ts'
import { circleSegments, indexBelowAll, segmentRecord } from './circle.ts'
import { cellRecord, matrixCells } from './matrix.ts'
import { deleteRecord, readAllRecords, recordsOf, writeRecord, type JsonRecord } from './record-store.ts'
import type { Template } from './template.ts'

/** One template-layer shape: its id and its record, given the index it is to be drawn at. */
export interface LayerPiece {
  id: string
  record(index: string): JsonRecord
}

/** The template layer a template and its action paths call for, whatever the layout. */
export function templateLayer(template: Template, paths: ActionPath[]): LayerPiece[] {
  if (template.layout === 'circle') return circleSegments(template, paths).map((s) => ({ id: s.id, record: (i) => segmentRecord(s, i as never) }))
  if (template.layout === 'matrix') return matrixCells(template).map((c) => ({ id: c.id, record: (i) => cellRecord(c, i as never) }))
  return []
}

/**
 * Makes the template layer's shape records match the template and the current action paths:
 * writes what is missing or changed, removes pieces that are gone. Idempotent, and it writes
 * only changed properties, so two facilitators running it at once converge.
 */
export function syncTemplateLayer(doc: Y.Doc): void {
  const meta = readMeta(doc)
  if (!meta) return
  doc.transact(() => {
    const records = recordsOf(doc)
    const current = readAllRecords(doc)
    const byId = new Map(current.map((r) => [r.id, r]))
    const wanted = templateLayer(meta.template, readPaths(doc))
    const wantedIds = new Set(wanted.map((s) => s.id))
    const pageIndices = current.filter((r) => r.typeName === 'shape' && typeof r.index === 'string').map((r) => r.index as string)
    for (const piece of wanted) {
      const existing = byId.get(piece.id)
      // An existing piece keeps its index; a new one goes below everything, so it never covers a card.
      const index = typeof existing?.index === 'string' ? existing.index : indexBelowAll(pageIndices)
      if (!existing) pageIndices.push(index)
      writeRecord(records, piece.record(index))
    }
    for (const record of current) {
      if (isTemplateShape(record) && !wantedIds.has(record.id)) deleteRecord(records, record.id)
    }
  })
}

export function isTemplateShape(record: JsonRecord): boolean {
  return record.typeName === 'shape' && (record.meta as Record<string, unknown> | undefined)?.template === true
}
