/**
 * What a scenario returns and how the run prints it: one row per figure, with a column per
 * server, Snurra/reference ratios, the issue's target and whether it was met. A missed target
 * is a finding (printed as "MISS"), never a failure of the run.
 */
import type { TargetKind } from './servers.ts'
import { round } from './stats.ts'

export interface BenchOptions {
  quick: boolean
  /** Write a CPU profile of every Snurra server child to bench/results/profiles/. */
  profile: boolean
}

/** How a row's Snurra figure is judged. */
export type Target =
  | { kind: 'lte-ref'; text: string } // Snurra ≤ each reference (lower is better)
  | { kind: 'gte-ref'; text: string } // Snurra ≥ each reference (higher is better)
  | { kind: 'lte'; limit: number; text: string; on?: 'snurra' | 'value' } // an absolute limit
  | { kind: 'info'; text?: string }

export interface Row {
  scenario: number
  metric: string
  unit: string
  /** One figure per server; `value` for rows not run against servers (scenarios 5–7). */
  values: Partial<Record<TargetKind | 'value', number | string>>
  target: Target
  note?: string
}

export interface ScenarioResult {
  id: number
  title: string
  rows: Row[]
  /** Everything else worth keeping in the JSON (parameters, per-step figures, raw summaries). */
  details: Record<string, unknown>
  /** Set when the scenario could not run (e.g. scenario 7 before server/export lands). */
  skipped?: string
}

export interface Scenario {
  id: number
  title: string
  run(opts: BenchOptions): Promise<ScenarioResult>
}

export type Verdict = 'ok' | 'MISS' | '—'

/** Judges a row against its target; for reference targets, against each reference that has a figure. */
export function verdict(row: Row): Verdict {
  const t = row.target
  const main = num(row.values.snurra ?? row.values.value)
  if (t.kind === 'info' || main === null) return '—'
  if (t.kind === 'lte') return main <= t.limit ? 'ok' : 'MISS'
  const refs = [num(row.values.ref), num(row.values['ref-leveldb'])].filter((v): v is number => v !== null)
  if (refs.length === 0) return '—'
  const better = (ref: number) => (t.kind === 'lte-ref' ? main <= ref : main >= ref)
  return refs.every(better) ? 'ok' : 'MISS'
}

const num = (v: number | string | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

function ratio(a: number | string | undefined, b: number | string | undefined): string {
  const x = num(a)
  const y = num(b)
  if (x === null || y === null || y === 0) return ''
  return `${round(x / y)}×`
}

function fmt(v: number | string | undefined): string {
  if (v === undefined) return ''
  if (typeof v === 'string') return v
  if (!Number.isFinite(v)) return 'n/a'
  return String(round(v))
}

/** The results as a Markdown table (printed to the terminal and pasted into RESULTS.md). */
export function table(results: ScenarioResult[]): string {
  const header = ['#', 'Metric', 'Snurra', 'ref (memory)', 'ref (LevelDB)', 'Snurra / ref mem', 'Snurra / ref LevelDB', 'Target', 'Verdict']
  const lines: string[][] = []
  for (const result of results) {
    if (result.skipped) {
      lines.push([String(result.id), result.title, '', '', '', '', '', '', `not run: ${result.skipped}`])
      continue
    }
    for (const row of result.rows) {
      const v = row.values
      const main = v.snurra ?? v.value
      lines.push([
        String(row.scenario),
        `${row.metric}${row.unit ? ` (${row.unit})` : ''}`,
        fmt(main),
        fmt(v.ref),
        fmt(v['ref-leveldb']),
        ratio(main, v.ref),
        ratio(main, v['ref-leveldb']),
        row.target.kind === 'info' ? (row.target.text ?? '') : row.target.text,
        verdict(row),
      ])
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(line)].join('\n')
}
