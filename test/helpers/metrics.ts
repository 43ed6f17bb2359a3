/** Reads a server's GET /metrics (Prometheus text) for assertions. */

export async function scrape(url: string, token?: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  const text = await res.text()
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${text}`)
  return text
}

/** The sum of every sample of `name` whose labels include `labels`. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]))
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3])
  }
  return sum
}

/** Storage calls made so far, every method but the health check's ping. */
export function storageCalls(text: string): number {
  return sample(text, 'snurra_storage_seconds_count') - sample(text, 'snurra_storage_seconds_count', { op: 'ping' })
}
