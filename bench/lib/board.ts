/**
 * Board content for the benchmarks, written through the real document layout: core/board-doc.ts
 * seeds a board as the server does on `POST /api/boards`, core/paths.ts adds action paths as the
 * facilitator's panel does, and cards are tldraw records of Snurra's card shape written with
 * core/record-store.ts `writeRecord` (as test/helpers/records.ts builds them for the tests).
 * Every card is checked against Snurra's tldraw schema once, so the browser never skips one as
 * invalid and scenario 6 really draws 2,000 cards.
 */
import { join } from 'node:path'
import { getIndices } from '@tldraw/utils'
import * as Y from 'yjs'
import { defaultActivity } from '../../core/activity.ts'
import { appendPaths, seedBoard } from '../../core/board-doc.ts'
import { readPaths } from '../../core/board-meta.ts'
import { PAGE_ID } from '../../core/circle.ts'
import { recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { CARD_SIZE, CARD_TYPE, createSnurraSchema } from '../../core/shapes.ts'
import type { Template } from '../../core/template.ts'
import { loadTemplates } from '../../server/templates.ts'
import { ROOT } from './servers.ts'

export const TEMPLATE_ID = 'hallunda-norsborg'
const SECTORS = ['bildning', 'sociala', 'samhallsbyggnad', 'verksamhetsstod']
/** Synthetic labels: the programme's real action paths are not in the seeds and are never invented. */
export const BENCH_PATHS = Array.from({ length: 8 }, (_, i) => `Benchmark-handlingsväg ${i + 1}`)

let templates: Map<string, Template> | null = null
export function template(id = TEMPLATE_ID): Template {
  templates ??= loadTemplates(join(ROOT, 'templates'))
  const found = templates.get(id)
  if (!found) throw new Error(`no template ${id}`)
  return found
}

/** A fresh board document as the server seeds it (meta, document, page, template layer). */
export function seededDoc(title = 'Benchmark'): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, template(), title)
  return doc
}

export const GRID_COLUMNS = 50

/** Where card `n` of `total` sits: row and column of a grid centred on the template circle. */
export function gridCell(n: number, total: number): { row: number; col: number; rows: number } {
  return { row: Math.floor(n / GRID_COLUMNS), col: n % GRID_COLUMNS, rows: Math.ceil(total / GRID_COLUMNS) }
}

/** The card at `row`, `col` of the grid (for picking cards near the middle of the view). */
export const cardIdAt = (row: number, col: number) => `shape:bench-card-${row * GRID_COLUMNS + col}`

/**
 * Card `n` of `total`: a grid centred on the template circle (which the client fits into view),
 * 50 columns wide, so the visible part is a realistic crowd of cards and the rest is culled.
 */
export function cardRecord(n: number, index: string, taskIds: string[], pathIds: string[], total = 1): JsonRecord {
  const { row, col, rows } = gridCell(n, total)
  const tasks = taskIds.length ? { [taskIds[n % taskIds.length]]: true as const } : {}
  const paths = pathIds.length ? { [pathIds[n % pathIds.length]]: true as const, [pathIds[(n * 7 + 3) % pathIds.length]]: true as const } : {}
  return {
    id: `shape:bench-card-${n}`,
    typeName: 'shape',
    type: CARD_TYPE,
    parentId: PAGE_ID,
    index,
    x: Math.round((col - GRID_COLUMNS / 2) * (CARD_SIZE.w + 24)),
    y: Math.round((row - rows / 2) * (CARD_SIZE.h + 24)),
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      ...CARD_SIZE,
      ...defaultActivity(),
      title: `Aktivitet ${n + 1}: läxhjälp och föreningsliv`,
      description: 'Fler unga når gymnasiebehörighet; samverkan mellan skola, bibliotek och föreningar.',
      sector: SECTORS[n % SECTORS.length],
      responsible: 'Utbildningsnämnden',
      partners: 'Studieförbund, bostadsbolaget',
      collaboration: n % 2 ? 'own' : 'with-others',
      timeframe: n % 3 ? 'near' : 'longer',
      year: 2025 + (n % 3),
      status: 'planned',
      childRights: n % 4 === 0,
      tasks,
      paths,
    },
  }
}

/**
 * Adds action paths and `count` cards to `doc` (a synced copy of a board), in transactions of
 * `batch` cards, and returns one update per transaction: a client sends them one frame each, as
 * a real client would when cards are pasted or imported in bulk (one frame of 2,000 cards would
 * pass Snurra's 1 MB frame limit).
 */
export function addCards(doc: Y.Doc, count: number, batch = 100): Uint8Array[] {
  const updates: Uint8Array[] = []
  const onUpdate = (u: Uint8Array) => updates.push(u)
  doc.on('update', onUpdate)
  try {
    if (readPaths(doc).length === 0) appendPaths(doc, BENCH_PATHS)
    const taskIds = template().tasks.map((t) => t.id)
    const pathIds = readPaths(doc).map((p) => p.id)
    const indices = getIndices(count + 1).slice(1) // above the template layer, which sits below 'a1'
    const schema = createSnurraSchema()
    const first = cardRecord(0, indices[0], taskIds, pathIds, count)
    schema.types.shape.validate(first) // throws if core's card props and this builder disagree
    for (let start = 0; start < count; start += batch) {
      doc.transact(() => {
        const records = recordsOf(doc)
        for (let n = start; n < Math.min(count, start + batch); n++) writeRecord(records, cardRecord(n, indices[n], taskIds, pathIds, count))
      })
    }
  } finally {
    doc.off('update', onUpdate)
  }
  return updates
}

/** Number of activity cards in a board document (cheap: counts record keys). */
export function cardCount(doc: Y.Doc): number {
  let n = 0
  for (const key of recordsOf(doc).keys()) if (key.startsWith('shape:bench-card-')) n++
  return n
}
