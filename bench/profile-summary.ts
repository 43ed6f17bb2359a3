/**
 * `node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]`
 *
 * Summarises a V8 CPU profile (from `npm run bench -- --profile`, which writes one per Snurra
 * server child to bench/results/profiles/): self time per function and the total time under
 * each of the project's own functions, so the largest cost is visible without DevTools.
 */
import { readFileSync } from 'node:fs'

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}
interface Profile {
  nodes: Node[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

const [file, topArg] = process.argv.slice(2)
if (!file) {
  console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]')
  process.exit(2)
}
const top = Number(topArg ?? 25)
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

// Time per sample (µs), attributed to the sampled node.
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const totalUs = profile.endTime - profile.startTime

const label = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '')
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, 'nm/')}:${n.callFrame.lineNumber + 1}` : ''}`.trim()
}

const self = new Map<string, number>()
const inclusive = new Map<string, number>()
for (const [id, us] of selfUs) {
  const node = byId.get(id)!
  self.set(label(node), (self.get(label(node)) ?? 0) + us)
  // Inclusive time for every distinct function on the stack (counted once per sample).
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at)!)
    if (seen.has(l)) continue
    seen.add(l)
    inclusive.set(l, (inclusive.get(l) ?? 0) + us)
  }
}

const print = (title: string, map: Map<string, number>, filter: (l: string) => boolean = () => true) => {
  console.log(`\n${title}`)
  for (const [l, us] of [...map].filter(([l]) => filter(l)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${l}`)
  }
}
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled`)
print('Self time', self)
print("Total time under the project's own functions", inclusive, (l) => /\s(server|core)\//.test(l))
