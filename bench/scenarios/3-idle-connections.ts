/**
 * Scenario 3: scale of idle boards. 2,000 connections over 200 boards (quick: 400 over 40),
 * each synced and with an awareness state, then idle; the server's resident memory (VmRSS of
 * the server child, from /proc) before and with them. Target: Snurra ≤ 400 MB.
 *
 * Snurra's boards are made through `POST /api/boards` (seeded from the template on the server);
 * the reference's rooms are seeded by their first client with the same content.
 */
import { join } from 'node:path'
import { deviceKey, serverArgs } from '../lib/fanout.ts'
import type { BenchOptions, Row, Scenario, ScenarioResult } from '../lib/report.ts'
import { ROOT, sleep, startServer, TARGETS, type BenchRoom, type TargetKind } from '../lib/servers.ts'
import { split, startWorker } from '../lib/workers.ts'

const MB = 1024 * 1024
const PER_BOARD = 10

interface Memory {
  connections: number
  boards: number
  rssBeforeMB: number
  rssIdleMB: number
  peakMB: number
  perConnectionKB: number
  connectSeconds: number
  closed: number
}

export const scenario: Scenario = {
  id: 3,
  title: 'Idle connections: server memory',
  async run(opts: BenchOptions): Promise<ScenarioResult> {
    const boards = opts.quick ? 40 : 200
    const settleMs = opts.quick ? 500 : 3_000
    const memory: Partial<Record<TargetKind, Memory>> = {}
    for (const kind of TARGETS) {
      const server = await startServer(kind, { nodeArgs: serverArgs(opts, kind) })
      const workers = [0, 1].map(() => startWorker(join(ROOT, 'bench', 'workers', 'idle.ts')))
      try {
        const rooms: BenchRoom[] = []
        for (let i = 0; i < boards; i++) rooms.push(await server.newRoom())
        await sleep(500)
        const rssBefore = server.rss()
        const urls = rooms.map((room) => Array.from({ length: PER_BOARD }, () => room.wsUrl('participant', deviceKey())))
        const parts = split(urls, workers.length)
        const connected = await Promise.all(
          parts.map((part, i) => workers[i].call<{ connected: number; seconds: number }>('connect', { rooms: part, seed: kind !== 'snurra' })),
        )
        await sleep(settleMs)
        const status = await Promise.all(workers.map((w) => w.call<{ open: number; closed: number[]; rejections: string[] }>('status')))
        const open = status.reduce((n, s) => n + s.open, 0)
        const rssIdle = server.rss()
        memory[kind] = {
          connections: open,
          boards,
          rssBeforeMB: rssBefore / MB,
          rssIdleMB: rssIdle / MB,
          peakMB: server.peakRss() / MB,
          perConnectionKB: (rssIdle - rssBefore) / open / 1024,
          connectSeconds: Math.max(...connected.map((c) => c.seconds)),
          closed: status.reduce((n, s) => n + s.closed.length, 0),
        }
        const m = memory[kind]!
        console.log(
          `  [3] ${kind.padEnd(11)} ${open} open connections over ${boards} boards: RSS ${m.rssBeforeMB.toFixed(0)} → ${m.rssIdleMB.toFixed(0)} MB ` +
            `(peak ${m.peakMB.toFixed(0)} MB, ${m.perConnectionKB.toFixed(1)} KB per connection), connected in ${m.connectSeconds.toFixed(1)} s`,
        )
      } finally {
        await Promise.all(workers.map((w) => w.call('close').catch(() => {})))
        await Promise.all(workers.map((w) => w.stop()))
        await server.stop()
      }
    }
    const pick = (f: (m: Memory) => number) => Object.fromEntries(TARGETS.map((k) => [k, f(memory[k]!)]))
    const connections = boards * PER_BOARD
    const rows: Row[] = [
      { scenario: 3, metric: `RSS with ${connections} idle connections`, unit: 'MB', values: pick((m) => m.rssIdleMB), target: { kind: 'lte', limit: 400, text: '≤ 400 MB' } },
      { scenario: 3, metric: 'RSS per connection (above start)', unit: 'KB', values: pick((m) => m.perConnectionKB), target: { kind: 'info' } },
      { scenario: 3, metric: 'open connections', unit: '', values: pick((m) => m.connections), target: { kind: 'info', text: `${connections}` } },
    ]
    return { id: 3, title: this.title, rows, details: { boards, perBoard: PER_BOARD, settleMs, memory } }
  },
}
