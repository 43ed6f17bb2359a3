/**
 * Scenario 1: fan-out latency. 50 clients in one board, each moving its card 10 times a second
 * for 30 s (quick: 1.5 s); latency from a move's send to its arrival at every other client.
 * Target: Snurra's p99 ≤ the reference's.
 *
 * Snurra stores every update in SQLite (fsynced) before it broadcasts it; the reference in
 * memory broadcasts at once, and with LevelDB it broadcasts at once and writes in the
 * background without fsync. The figures show what Snurra's durability costs.
 */
import { withFanout, type StepResult } from '../lib/fanout.ts'
import type { BenchOptions, Row, Scenario, ScenarioResult } from '../lib/report.ts'
import { TARGETS, type TargetKind } from '../lib/servers.ts'

const CLIENTS = 50
const RATE = 10

export const scenario: Scenario = {
  id: 1,
  title: 'Fan-out latency',
  async run(opts: BenchOptions): Promise<ScenarioResult> {
    const durationMs = opts.quick ? 1_500 : 30_000
    const warmupMs = opts.quick ? 500 : 2_000
    const steps: Partial<Record<TargetKind, StepResult>> = {}
    for (const kind of TARGETS) {
      steps[kind] = await withFanout(kind, CLIENTS, opts, (s) => s.run({ rate: RATE, durationMs, warmupMs }))
      log(kind, steps[kind]!)
    }
    const pick = (f: (s: StepResult) => number) => Object.fromEntries(TARGETS.map((k) => [k, f(steps[k]!)]))
    const rows: Row[] = [
      { scenario: 1, metric: 'latency p50', unit: 'ms', values: pick((s) => s.latency.p50), target: { kind: 'info' } },
      { scenario: 1, metric: 'latency p95', unit: 'ms', values: pick((s) => s.latency.p95), target: { kind: 'info' } },
      { scenario: 1, metric: 'latency p99', unit: 'ms', values: pick((s) => s.latency.p99), target: { kind: 'lte-ref', text: '≤ reference' } },
      { scenario: 1, metric: 'deliveries', unit: '/s', values: pick((s) => s.deliveriesPerSecond), target: { kind: 'info', text: `${CLIENTS}×${RATE}/s × ${CLIENTS - 1}` } },
    ]
    return { id: 1, title: this.title, rows, details: { clients: CLIENTS, ratePerClient: RATE, durationMs, warmupMs, steps } }
  },
}

function log(kind: TargetKind, s: StepResult): void {
  const l = s.latency
  console.log(
    `  [1] ${kind.padEnd(11)} p50 ${l.p50.toFixed(2)} p95 ${l.p95.toFixed(2)} p99 ${l.p99.toFixed(2)} max ${l.max.toFixed(1)} ms; ` +
      `${Math.round(s.updatesPerSecond)} updates/s, ${Math.round(s.deliveriesPerSecond)} deliveries/s (${(s.delivered * 100).toFixed(1)} %), n=${l.n}` +
      (s.closedCodes.length ? `, closed ${s.closedCodes.join(',')}` : '') +
      (s.rejections.length ? `, REJECTED ${s.rejections.length}` : ''),
  )
}
