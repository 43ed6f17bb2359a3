import * as Y from 'yjs'
import { pathsOf, readPaths } from './board-meta.ts'
import { isCardRecord } from './board-view.ts'
import { newLocalId } from './ids.ts'
import { readAllRecords, recordsOf, writeRecord } from './record-store.ts'
import { syncTemplateLayer } from './template-layer.ts'

/**
 * The facilitator's editing of the action paths. Every change is one transaction that also
 * redraws the template layer, so peers never see a path without its segment or the reverse.
 */
export const MAX_PATH_LABEL = 200

export function addPath(doc: Y.Doc, label: string, order: number, id = newLocalId(), taskId?: string): string {
  const entry = new Y.Map<unknown>()
  entry.set('label', label)
  entry.set('order', order)
  if (taskId) entry.set('taskId', taskId)
  pathsOf(doc).set(id, entry)
  return id
}

/** Appends pasted action paths after the existing ones and redraws the ring. */
export function appendPaths(doc: Y.Doc, labels: string[], taskId?: string): string[] {
  let ids: string[] = []
  doc.transact(() => {
    const existing = readPaths(doc)
    const start = existing.length ? existing[existing.length - 1].order + 1 : 0
    ids = labels.map((label, i) => addPath(doc, label, start + i, undefined, taskId))
    syncTemplateLayer(doc)
  })
  return ids
}

/** Renames a path. Returns false (and changes nothing) for an unknown path or an empty name. */
export function renamePath(doc: Y.Doc, id: string, label: string): boolean {
  const entry = pathsOf(doc).get(id)
  const clean = label.trim().slice(0, MAX_PATH_LABEL)
  if (!(entry instanceof Y.Map) || !clean) return false
  doc.transact(() => {
    if (entry.get('label') !== clean) entry.set('label', clean)
    syncTemplateLayer(doc)
  })
  return true
}

/**
 * Moves a path `delta` places in the display order and renumbers all paths 0…n-1, which also
 * settles ties left by concurrent appends. Returns false when it cannot move that way.
 */
export function movePath(doc: Y.Doc, id: string, delta: number): boolean {
  const paths = readPaths(doc)
  const from = paths.findIndex((p) => p.id === id)
  const to = from + delta
  if (from < 0 || to < 0 || to >= paths.length || delta === 0) return false
  const [moved] = paths.splice(from, 1)
  paths.splice(to, 0, moved)
  doc.transact(() => {
    paths.forEach((path, order) => {
      if (path.order !== order) pathsOf(doc).get(path.id)?.set('order', order)
    })
    syncTemplateLayer(doc)
  })
  return true
}

/** Nests a path under one main task, or (null) lets it stand across all of them. */
export function setPathTask(doc: Y.Doc, id: string, taskId: string | null): boolean {
  const entry = pathsOf(doc).get(id)
  if (!(entry instanceof Y.Map)) return false
  doc.transact(() => {
    if (taskId) {
      if (entry.get('taskId') !== taskId) entry.set('taskId', taskId)
    } else if (entry.has('taskId')) entry.delete('taskId')
    syncTemplateLayer(doc)
  })
  return true
}

/** The cards (activity ids) that hit a path. */
export function cardsHittingPath(doc: Y.Doc, id: string): string[] {
  return readAllRecords(doc)
    .filter((r) => isCardRecord(r) && (r.props as { paths?: Record<string, unknown> } | undefined)?.paths?.[id] === true)
    .map((r) => r.id)
}

/**
 * Deletes a path and, in the same transaction, its id from every card's `paths`, so no card
 * keeps a reference to a path that is gone. Only that one key of each card is written, so a
 * concurrent edit of the card's other fields survives. Returns the number of cards changed.
 */
export function deletePath(doc: Y.Doc, id: string): number {
  let changed = 0
  doc.transact(() => {
    const records = recordsOf(doc)
    for (const record of readAllRecords(doc)) {
      const props = record.props as { paths?: Record<string, unknown> } | undefined
      if (!isCardRecord(record) || props?.paths?.[id] !== true) continue
      const paths = { ...props.paths }
      delete paths[id]
      writeRecord(records, { ...record, props: { ...props, paths } })
      changed++
    }
    pathsOf(doc).delete(id)
    syncTemplateLayer(doc)
  })
  return changed
}
