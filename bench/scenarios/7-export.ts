/**
 * Scenario 7: export of a 2,000-activity board (quick: 500) to the activity register as CSV
 * and XLSX, with the server's own export functions (server/export/): from the stored document
 * state to the file's bytes — decoding the board (`viewOf`), building the register and the
 * coverage sheet, and formatting. Target: ≤ 2 s each.
 *
 * Timed in this process, without HTTP: the work is CPU-bound and the same whoever calls it
 * (the export route and `npx snurra export` share `exportBoardFile`, which adds only the
 * storage read). The first run includes warming up the code, as a planner's first click does
 * on a fresh server; the median of the following runs is the steady state.
 */
import * as Y from 'yjs'
import { registerCsv, registerXlsx } from '../../server/export/register-files.ts'
import { viewOf } from '../../server/export/board-export.ts'
import { addCards, seededDoc } from '../lib/board.ts'
import type { BenchOptions, Row, Scenario, ScenarioResult } from '../lib/report.ts'
import { median } from '../lib/stats.ts'

interface Timing {
  firstMs: number
  medianMs: number
  bytes: number
}

async function time(runs: number, make: () => Promise<string | Buffer> | string | Buffer): Promise<Timing> {
  const ms: number[] = []
  let bytes = 0
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const body = await make()
    ms.push(performance.now() - t0)
    bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length
  }
  return { firstMs: ms[0], medianMs: median(ms.slice(1)), bytes }
}

export const scenario: Scenario = {
  id: 7,
  title: 'Export of a 2,000-activity board',
  async run(opts: BenchOptions): Promise<ScenarioResult> {
    const cards = opts.quick ? 500 : 2_000
    const runs = opts.quick ? 3 : 6
    const doc = seededDoc('Exportbenchmark')
    addCards(doc, cards)
    const state = Y.encodeStateAsUpdate(doc)
    const csv = await time(runs, () => {
      const { view, votes } = viewOf(state)
      if (view.activities.length !== cards) throw new Error(`export saw ${view.activities.length} activities, expected ${cards}`)
      return registerCsv(view, votes, 'sv', ';')
    })
    const xlsx = await time(runs, () => {
      const { view, votes } = viewOf(state)
      return registerXlsx(view, votes, 'sv')
    })
    for (const [name, t] of [['CSV', csv], ['XLSX', xlsx]] as const) {
      console.log(`  [7] ${name.padEnd(4)} ${cards} activities: first ${t.firstMs.toFixed(0)} ms, then median ${t.medianMs.toFixed(0)} ms (${(t.bytes / 1024).toFixed(0)} KB)`)
    }
    const rows: Row[] = [
      { scenario: 7, metric: `CSV export, ${cards} activities (first)`, unit: 'ms', values: { value: csv.firstMs }, target: { kind: 'lte', limit: 2000, text: '≤ 2 s' } },
      { scenario: 7, metric: `XLSX export, ${cards} activities (first)`, unit: 'ms', values: { value: xlsx.firstMs }, target: { kind: 'lte', limit: 2000, text: '≤ 2 s' } },
      { scenario: 7, metric: 'CSV export (median after the first)', unit: 'ms', values: { value: csv.medianMs }, target: { kind: 'info' } },
      { scenario: 7, metric: 'XLSX export (median after the first)', unit: 'ms', values: { value: xlsx.medianMs }, target: { kind: 'info' } },
    ]
    return { id: 7, title: this.title, rows, details: { cards, runs, stateBytes: state.length, csv, xlsx } }
  },
}
