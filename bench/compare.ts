/**
 * `node --import tsx bench/compare.ts --b=<dir> [--a=<dir>] [--rates=10,20,40] [--rounds=6] [--seconds=8]`
 *
 * Before/after figures for a change to the server: the fan-out workload of scenarios 1 and 2
 * (50 clients in one board, every client moving its card `rate` times a second) against two
 * Snurra checkouts — A (default: this one) and B (e.g. an exported copy with a proposed fix and
 * node_modules linked) — in interleaved rounds, A then B, then B then A, and so on. On a machine
 * shared with other work the load changes from minute to minute; interleaving puts both
 * variants through the same conditions, which one run after the other does not.
 *
 * Prints, per rate and variant, the latency over all rounds pooled and each round's p99.
 */
import { resolve } from 'node:path'
import { stopFanoutWorkers, withFanout } from './lib/fanout.ts'
import { ROOT, stopAll } from './lib/servers.ts'
import { summarize } from './lib/stats.ts'

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const b = arg('b')
if (!b) {
  console.error('usage: node --import tsx bench/compare.ts --b=<dir> [--a=<dir>] [--rates=10,20,40] [--rounds=6] [--seconds=8]')
  process.exit(2)
}
const variants = { A: resolve(arg('a') ?? ROOT), B: resolve(b) }
const rates = (arg('rates') ?? '10').split(',').map(Number)
const rounds = Number(arg('rounds') ?? 6)
const seconds = Number(arg('seconds') ?? 8)
const CLIENTS = 50

console.log(`A = ${variants.A}\nB = ${variants.B}\n${rounds} rounds × ${seconds} s per rate and variant, rates ${rates.join(', ')}/s per client, ${CLIENTS} clients`)
const samples: Record<string, number[]> = {}
const roundP99: Record<string, number[]> = {}
const delivered: Record<string, number[]> = {}
const storage: Record<string, { seconds: number; commits: number; updates: number }> = {}
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)
  for (const name of order) {
    await withFanout(
      'snurra',
      CLIENTS,
      { quick: false, profile: false },
      async (session) => {
        for (const rate of rates) {
          const step = await session.run({ rate, durationMs: seconds * 1000, warmupMs: 1000, drainMs: 500 })
          const key = `${rate} ${name}`
          ;(roundP99[key] ??= []).push(step.latency.p99)
          ;(delivered[key] ??= []).push(step.delivered)
          for (const v of step.samples) (samples[key] ??= []).push(v)
          console.log(`  round ${round + 1} ${name} ${rate}/s: p50 ${step.latency.p50.toFixed(1)} p99 ${step.latency.p99.toFixed(1)} ms, ${(step.delivered * 100).toFixed(1)} % delivered`)
        }
        // Storage time from the server's own /metrics: how long appends kept it busy, and in how many commits.
        const text = await (await fetch(`${session.server.url}/metrics`)).text()
        const metric = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0)
        const st = (storage[name] ??= { seconds: 0, commits: 0, updates: 0 })
        st.seconds += metric(/^snurra_storage_seconds_sum\{op="appendUpdates?"\} (\S+)$/gm)
        st.commits += metric(/^snurra_storage_seconds_count\{op="appendUpdates?"\} (\S+)$/gm)
        st.updates += metric(/^snurra_updates_received_total (\S+)$/gm)
      },
      { root: variants[name] },
    )
  }
}
await stopFanoutWorkers()
await stopAll()

console.log('\n| rate/client | variant | p50 ms | p95 ms | p99 ms | p99 per round (ms) | delivered |')
console.log('|---|---|---|---|---|---|---|')
for (const rate of rates) {
  for (const name of ['A', 'B'] as const) {
    const key = `${rate} ${name}`
    const s = summarize(samples[key] ?? [])
    const d = delivered[key].reduce((x, y) => x + y, 0) / delivered[key].length
    console.log(`| ${rate} | ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${roundP99[key].map((v) => v.toFixed(0)).join(', ')} | ${(d * 100).toFixed(1)} % |`)
  }
}

console.log('\n| variant | updates received | storage commits | updates per commit | seconds in appends | ms per update |')
console.log('|---|---|---|---|---|---|')
for (const name of ['A', 'B'] as const) {
  const st = storage[name]
  if (!st) continue
  console.log(`| ${name} | ${st.updates} | ${st.commits} | ${(st.updates / st.commits).toFixed(1)} | ${st.seconds.toFixed(1)} | ${((st.seconds * 1000) / st.updates).toFixed(3)} |`)
}
