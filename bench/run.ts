/**
 * `npm run bench [-- --quick] [-- --only=1,3] [-- --profile]`
 *
 * Runs the scenarios of issue 7 in order — 1–4 against Snurra and the reference server (in
 * memory, then LevelDB), alternating within each scenario — prints one table with
 * Snurra/reference ratios and the targets, and writes every figure to
 * bench/results/<date>-<quick|full>.json (and latest.json).
 *
 * --quick  smaller counts and durations, same code paths (a smoke check, under a minute)
 * --only   a comma-separated list of scenario numbers or names (`--only=hostile` is scenario 8)
 * --profile  also write a V8 CPU profile of each Snurra server child to bench/results/profiles/
 *
 * A missed target is a finding and still exits 0; the run exits 1 only when a benchmark broke.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, freemem, totalmem } from 'node:os'
import { join } from 'node:path'
import { table, verdict, type BenchOptions, type Scenario, type ScenarioResult } from './lib/report.ts'
import { stopFanoutWorkers } from './lib/fanout.ts'
import { ROOT, SNURRA_ROOT, stopAll } from './lib/servers.ts'
import { scenario as fanoutLatency } from './scenarios/1-fanout-latency.ts'
import { scenario as saturation } from './scenarios/2-saturation.ts'
import { scenario as idleConnections } from './scenarios/3-idle-connections.ts'
import { scenario as coldLoad } from './scenarios/4-cold-load.ts'
import { scenario as docGrowth } from './scenarios/5-doc-growth.ts'
import { scenario as browser } from './scenarios/6-browser.ts'
import { scenario as exportRegister } from './scenarios/7-export.ts'
import { scenario as hostile } from './scenarios/hostile.ts'

const SCENARIOS: Array<Scenario & { name?: string }> = [fanoutLatency, saturation, idleConnections, coldLoad, docGrowth, browser, exportRegister, hostile]

const args = process.argv.slice(2)
const opts: BenchOptions = { quick: args.includes('--quick'), profile: args.includes('--profile') }
const onlyArg = args.find((a) => a.startsWith('--only='))
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null
const unknown = args.filter((a) => a !== '--quick' && a !== '--profile' && !a.startsWith('--only='))
if (unknown.length) {
  console.error(`unknown arguments: ${unknown.join(' ')}\nusage: npm run bench -- [--quick] [--only=1,3|hostile] [--profile]`)
  process.exit(2)
}

// Ctrl-C or a kill: stop the servers and remove their temporary data directories on the way out.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void stopAll()
    process.exit(130)
  })
}

if (SNURRA_ROOT !== ROOT) console.log(`Snurra server from ${SNURRA_ROOT}`)
const started = Date.now()
const results: ScenarioResult[] = []
let broken = false
for (const s of SCENARIOS) {
  if (only && !only.has(String(s.id)) && !(s.name && only.has(s.name))) continue
  console.log(`\n== ${s.id}. ${s.title}${opts.quick ? ' (quick)' : ''}`)
  const t0 = performance.now()
  try {
    results.push(await s.run(opts))
  } catch (err) {
    broken = true
    console.error(`scenario ${s.id} broke:`, err)
    results.push({ id: s.id, title: s.title, rows: [], details: { error: String((err as Error).stack ?? err) }, skipped: 'broke (see log)' })
  }
  console.log(`   (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
}
await stopFanoutWorkers()
await stopAll()

const mode = opts.quick ? 'quick' : 'full'
const out = table(results)
console.log(`\n${out}\n`)
console.log(`${mode} run, ${((Date.now() - started) / 1000).toFixed(0)} s, ${new Date().toISOString()}`)

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  totalMemGiB: Math.round(totalmem() / 2 ** 30),
  freeMemGiB: Math.round(freemem() / 2 ** 30),
  node: process.version,
}
const dir = join(ROOT, 'bench', 'results')
mkdirSync(dir, { recursive: true })
const json = JSON.stringify(
  {
    date: new Date().toISOString(),
    mode,
    argv: args,
    snurraRoot: SNURRA_ROOT === ROOT ? undefined : SNURRA_ROOT,
    machine,
    seconds: Math.round((Date.now() - started) / 1000),
    table: out,
    results: results.map((r) => ({ ...r, rows: r.rows.map((row) => ({ ...row, verdict: verdict(row) })) })),
  },
  (_k, v) => (v instanceof Float64Array ? undefined : v),
  2,
)
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
writeFileSync(join(dir, `${stamp}-${mode}.json`), json)
writeFileSync(join(dir, 'latest.json'), json)
console.log(`figures written to bench/results/${stamp}-${mode}.json`)
process.exit(broken ? 1 : 0)
