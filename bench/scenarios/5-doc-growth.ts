/**
 * Scenario 5: document growth. A card moved 10,000 times (x and y in one transaction per drag
 * step, as tldraw writes a drag) against the same card moved once: the size of the encoded
 * document (`Y.encodeStateAsUpdate`, what a joining client downloads and what Snurra stores
 * as a snapshot). Target: ≤ 10× for Snurra's layout.
 *
 * Three layouts, the first through core/record-store.ts as test/unit/record-store.test.ts
 * measures it:
 *   snurra      a Y.Array of [key, value] pairs per record (core/record-store.ts)
 *   naive map   a Y.Map per record, one key per property (per-property merging, tombstones stay)
 *   whole value the whole record as one value of a Y.Map (tldraw's own Yjs example: small,
 *               but two people editing different fields of one card lose one edit)
 * No server is involved: the growth is a property of the document, the same on every server.
 */
import * as Y from 'yjs'
import { recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { cardRecord } from '../lib/board.ts'
import type { BenchOptions, Row, Scenario, ScenarioResult } from '../lib/report.ts'

const MOVES = 10_000

interface Layout {
  create(doc: Y.Doc, card: JsonRecord): void
  move(doc: Y.Doc, card: JsonRecord, x: number, y: number): void
}

const LAYOUTS: Record<'snurra' | 'naiveMap' | 'wholeValue', Layout> = {
  snurra: {
    create: (doc, card) => doc.transact(() => writeRecord(recordsOf(doc), card)),
    move: (doc, card, x, y) => doc.transact(() => writeRecord(recordsOf(doc), { ...card, x, y })),
  },
  naiveMap: {
    create: (doc, card) =>
      doc.transact(() => {
        const m = new Y.Map<unknown>()
        for (const [k, v] of Object.entries(card)) m.set(k, v)
        doc.getMap<Y.Map<unknown>>('records').set(card.id, m)
      }),
    move: (doc, card, x, y) =>
      doc.transact(() => {
        const m = doc.getMap<Y.Map<unknown>>('records').get(card.id)!
        m.set('x', x)
        m.set('y', y)
      }),
  },
  wholeValue: {
    create: (doc, card) => doc.getMap('records').set(card.id, card),
    move: (doc, card, x, y) => doc.getMap('records').set(card.id, { ...card, x, y }),
  },
}

function grow(layout: Layout, moves: number): { oneMove: number; manyMoves: number; ms: number } {
  const card = cardRecord(0, 'a1', ['uppvaxtvillkor'], [])
  const size = (n: number) => {
    const doc = new Y.Doc()
    layout.create(doc, card)
    for (let i = 1; i <= n; i++) layout.move(doc, card, 100 + i, 200 + 2 * i)
    return Y.encodeStateAsUpdate(doc).length
  }
  const oneMove = size(1)
  const t0 = performance.now()
  const manyMoves = size(moves)
  return { oneMove, manyMoves, ms: performance.now() - t0 }
}

export const scenario: Scenario = {
  id: 5,
  title: 'Document growth of a dragged card',
  async run(_opts: BenchOptions): Promise<ScenarioResult> {
    // 10,000 moves take about a second in all: the quick run keeps the full count.
    const sizes = Object.fromEntries(Object.entries(LAYOUTS).map(([name, layout]) => [name, grow(layout, MOVES)])) as Record<keyof typeof LAYOUTS, ReturnType<typeof grow>>
    for (const [name, s] of Object.entries(sizes)) {
      console.log(`  [5] ${name.padEnd(10)} one move ${s.oneMove} B, ${MOVES} moves ${s.manyMoves} B (${(s.manyMoves / s.oneMove).toFixed(2)}×), ${s.ms.toFixed(0)} ms`)
    }
    const rows: Row[] = [
      {
        scenario: 5,
        metric: `record store: ${MOVES} moves / 1 move`,
        unit: '×',
        values: { value: sizes.snurra.manyMoves / sizes.snurra.oneMove },
        target: { kind: 'lte', limit: 10, text: '≤ 10×' },
        note: `${sizes.snurra.oneMove} → ${sizes.snurra.manyMoves} bytes`,
      },
      { scenario: 5, metric: `record store after ${MOVES} moves`, unit: 'bytes', values: { value: sizes.snurra.manyMoves }, target: { kind: 'info', text: `1 move: ${sizes.snurra.oneMove}` } },
      {
        scenario: 5,
        metric: `naive Y.Map per record: ${MOVES} moves / 1 move`,
        unit: '×',
        values: { value: sizes.naiveMap.manyMoves / sizes.naiveMap.oneMove },
        target: { kind: 'info', text: `${sizes.naiveMap.oneMove} → ${sizes.naiveMap.manyMoves} B` },
      },
      {
        scenario: 5,
        metric: `whole record as value: ${MOVES} moves / 1 move`,
        unit: '×',
        values: { value: sizes.wholeValue.manyMoves / sizes.wholeValue.oneMove },
        target: { kind: 'info', text: `${sizes.wholeValue.oneMove} → ${sizes.wholeValue.manyMoves} B` },
      },
    ]
    return { id: 5, title: this.title, rows, details: { moves: MOVES, sizes } }
  },
}
