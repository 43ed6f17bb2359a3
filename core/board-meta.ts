import * as Y from 'yjs'
import type { SerializedSchema } from '@tldraw/store'
import type { Template } from './template.ts'

/**
 * The board's own data beside the canvas records: title, the template it was made from (a copy,
 * so later edits of the template file never change an existing board), the tldraw schema the
 * records were written with, and the action paths as the facilitator set them up.
 */
export const META_KEY = 'meta'
export const PATHS_KEY = 'paths'

export interface BoardMeta {
  title: string
  template: Template
  createdAt: number
  schema: SerializedSchema | null
}

export interface ActionPath {
  id: string
  label: string
  order: number
  /** The main task this path is nested under (drawn within that task's part of the ring), if any. */
  taskId?: string
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_KEY)
}

export function pathsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap(PATHS_KEY) as Y.Map<Y.Map<unknown>>
}

export function readMeta(doc: Y.Doc): BoardMeta | null {
  const meta = metaOf(doc)
  const template = meta.get('template') as Template | undefined
  if (!template) return null
  return {
    title: String(meta.get('title') ?? ''),
    template,
    createdAt: Number(meta.get('createdAt') ?? 0),
    schema: (meta.get('schema') as SerializedSchema | undefined) ?? null,
  }
}

/** Paths in their display order (ties broken by id so every peer agrees). */
export function readPaths(doc: Y.Doc): ActionPath[] {
  const out: ActionPath[] = []
  pathsOf(doc).forEach((entry, id) => {
    if (!(entry instanceof Y.Map)) return
    const label = entry.get('label')
    const order = entry.get('order')
    if (typeof label !== 'string' || typeof order !== 'number') return
    const taskId = entry.get('taskId')
    out.push(typeof taskId === 'string' && taskId ? { id, label, order, taskId } : { id, label, order })
  })
  return out.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1))
}

/** Splits pasted text into path names: one per line, trimmed, blank lines and bullets dropped. */
export function parsePathList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•–]|\d+[.)])\s+/, '').trim())
    .filter((line) => line.length > 0)
    .map((line) => line.slice(0, 200))
}
