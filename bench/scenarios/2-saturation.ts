/**
 * Scenario 2: throughput at saturation. The same 50 clients as scenario 1, with the move rate
 * per client raised step by step until the p99 latency passes 100 ms (or the server drops
 * clients, or fails to deliver what was sent). The figure is the highest rate of moves per
 * second — each fanned out to 49 clients — that still held p99 ≤ 100 ms.
 * Target: Snurra ≥ the reference.
 *
 * On this two-core machine the load generators and the server share the CPUs, so the ceiling
 * found is the whole system's; it is the same for every server, which keeps the ratio fair.
 */
import { withFanout, type StepResult } from '../lib/fanout.ts'
import type { BenchOptions, Row, Scenario, ScenarioResult } from '../lib/report.ts'
import { TARGETS, type TargetKind } from '../lib/servers.ts'

const CLIENTS = 50
const P99_LIMIT_MS = 100
/** Moves per second per client; × 50 clients = offered updates per second. */
const RATES_FULL = [10, 20, 40, 60, 80, 100, 130, 160, 200, 250, 320, 400]
const RATES_QUICK = [10, 40, 100]

interface Ramp {
  steps: StepResult[]
  /** The last step within the limit (null if even the first missed it). */
  best: StepResult | null
  stoppedBecause: string
}

export const scenario: Scenario = {
  id: 2,
  title: 'Throughput at saturation',
  async run(opts: BenchOptions): Promise<ScenarioResult> {
    const rates = opts.quick ? RATES_QUICK : RATES_FULL
    const durationMs = opts.quick ? 1_000 : 5_000
    const warmupMs = opts.quick ? 300 : 1_000
    const ramps: Partial<Record<TargetKind, Ramp>> = {}
    for (const kind of TARGETS) {
      ramps[kind] = await withFanout(kind, CLIENTS, opts, async (session) => {
        const steps: StepResult[] = []
        let best: StepResult | null = null
        let stoppedBecause = `reached the last step (${rates[rates.length - 1]}/s per client)`
        for (const rate of rates) {
          const step = await session.run({ rate, durationMs, warmupMs, drainMs: 500 })
          steps.push(step)
          console.log(
            `  [2] ${kind.padEnd(11)} ${String(rate).padStart(3)}/s/client: ${Math.round(step.updatesPerSecond)} updates/s, ` +
              `${Math.round(step.deliveriesPerSecond)} deliveries/s (${(step.delivered * 100).toFixed(1)} %), p99 ${step.latency.p99.toFixed(1)} ms` +
              (step.closedCodes.length ? `, ${step.closedCodes.length} clients closed (${[...new Set(step.closedCodes)].join(',')})` : ''),
          )
          if (step.closedCodes.length) {
            stoppedBecause = `clients disconnected at ${rate}/s per client (codes ${[...new Set(step.closedCodes)].join(',')})`
            break
          }
          if (step.latency.p99 > P99_LIMIT_MS) {
            stoppedBecause = `p99 ${step.latency.p99.toFixed(0)} ms at ${rate}/s per client`
            break
          }
          if (step.delivered < 0.95) {
            stoppedBecause = `only ${(step.delivered * 100).toFixed(0)} % delivered at ${rate}/s per client`
            break
          }
          best = step
        }
        return { steps, best, stoppedBecause }
      })
    }
    const pick = (f: (r: Ramp) => number) => Object.fromEntries(TARGETS.map((k) => [k, f(ramps[k]!)]))
    const rows: Row[] = [
      {
        scenario: 2,
        metric: 'updates fanned out at p99 ≤ 100 ms',
        unit: 'updates/s',
        values: pick((r) => r.best?.updatesPerSecond ?? 0),
        target: { kind: 'gte-ref', text: '≥ reference' },
      },
      { scenario: 2, metric: 'deliveries at that rate', unit: '/s', values: pick((r) => r.best?.deliveriesPerSecond ?? 0), target: { kind: 'info' } },
    ]
    const stopped = TARGETS.map((k) => `${k}: ${ramps[k]!.stoppedBecause}`).join('; ')
    console.log(`  [2] stopped — ${stopped}`)
    return { id: 2, title: this.title, rows, details: { clients: CLIENTS, rates, durationMs, warmupMs, p99LimitMs: P99_LIMIT_MS, ramps } }
  },
}
