/**
 * "Nothing a user has seen is ever lost": 20 clients write continuously while the server is
 * killed with SIGKILL at random (seeded) moments: three times in `npm test`, ten in
 * `npm run test:soak` (vitest.soak.config.ts sets DURABILITY_KILLS). Just before each kill the test
 * notes every record some client has received from another one — the server broadcast it, so
 * it claimed it stored it — and after the restart a fresh client must find all of them.
 *
 * The writers are disconnected in the same tick as the kill and reconnect only after the check,
 * so their re-sent local state cannot hide a loss: only storage can bring the records back.
 * Runs on SQLite, and on PostgreSQL when it is reachable (DATABASE_URL, or the local service).
 * Replay the timing with DURABILITY_SEED=<seed> (printed).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { recordsOf } from '../../core/record-store.ts'
import { connectClient, connectSynced, destroyAllClients, waitSynced, type Client } from '../helpers/clients.ts'
import { prng } from '../helpers/fuzz-frames.ts'
import { write } from '../helpers/records.ts'
import { ROOT, sleep, startTestServer, stopAllServers } from '../helpers/server.ts'
import { createScratchDatabase, servicesAvailable, type ScratchDatabase } from '../helpers/services.ts'

const SEED = process.env.DURABILITY_SEED ? Number(process.env.DURABILITY_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0
const WRITERS = 20
const KILLS = Number(process.env.DURABILITY_KILLS || 3)
const WRITE_EVERY_MS = 100

afterEach(destroyAllClients)
afterAll(stopAllServers)

const postgresModule = existsSync(join(ROOT, 'server', 'storage', 'postgres.ts'))
const postgres = postgresModule && (await servicesAvailable(['postgres']))
if (!postgresModule) {
  console.warn(`\n${'!'.repeat(100)}\n!! SKIPPING the PostgreSQL variant of durability-kill: server/storage/postgres.ts does not exist yet\n${'!'.repeat(100)}\n`)
}

/** Each writer adds its own records, `shape:d<writer>-<n>`, one every WRITE_EVERY_MS. */
function startWriting(writers: Client[], counters: number[]): () => void {
  const timers = writers.map((w, i) =>
    setInterval(() => {
      const n = counters[i]++
      write(w.doc, { id: `shape:d${i}-${n}`, typeName: 'shape', type: 'snurra-card', parentId: 'page:page', x: n, y: i })
    }, WRITE_EVERY_MS),
  )
  return () => timers.forEach(clearInterval)
}

/** Every record some writer holds that another writer wrote: it came from the server. */
function seenByOthers(writers: Client[]): Set<string> {
  const seen = new Set<string>()
  writers.forEach((w, j) => {
    for (const id of recordsOf(w.doc).keys()) {
      const m = /^shape:d(\d+)-/.exec(id)
      if (m && Number(m[1]) !== j) seen.add(id)
    }
  })
  return seen
}

describe.each([['SQLite', false] as const, ...(postgres ? ([['PostgreSQL', true]] as const) : [])])('durability under kill -9 (%s)', (name, usePostgres) => {
  let scratch: ScratchDatabase | null = null
  afterAll(async () => {
    await stopAllServers()
    await scratch?.drop()
  })

  it(`${WRITERS} writers, ${KILLS} kills at random moments: every record a client saw is there after each restart`, async () => {
    console.log(`durability-kill (${name}) seed ${SEED} (replay the timing with DURABILITY_SEED=${SEED})`)
    const rand = prng(SEED)
    if (usePostgres) scratch = await createScratchDatabase()
    const server = await startTestServer({ env: scratch ? { DATABASE_URL: scratch.url } : {} })
    const board = await server.createBoard('Kill -9')
    const writers: Client[] = []
    for (let i = 0; i < WRITERS; i++) writers.push(connectClient(server.wsUrl, board.id, board.tokens.participant))
    await Promise.all(writers.map((w) => waitSynced(w, 20_000)))
    const counters = new Array<number>(WRITERS).fill(0)
    const figures: string[] = []
    const started = performance.now()

    for (let round = 1; round <= KILLS; round++) {
      const stopWriting = startWriting(writers, counters)
      await sleep(300 + rand() * 1200)
      // In one tick: note what the clients have seen, kill the server, cut the writers off.
      const seen = seenByOthers(writers)
      server.proc.kill('SIGKILL')
      stopWriting()
      for (const w of writers) w.provider.disconnect()
      const written = counters.reduce((a, b) => a + b, 0)
      expect((await server.kill()).signal).toBe('SIGKILL')

      const restartStarted = performance.now()
      await server.restart()
      const checker = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
      const restartMs = performance.now() - restartStarted
      const stored = new Set(recordsOf(checker.doc).keys())
      const missing = [...seen].filter((id) => !stored.has(id))
      checker.destroy()
      figures.push(`kill ${round}: ${written} written, ${seen.size} seen by another client, ${stored.size} records after the restart (${Math.round(restartMs)} ms)`)
      expect(missing, `kill ${round}: records clients had seen, lost by the kill`).toEqual([])

      for (const w of writers) w.provider.connect()
      await Promise.all(writers.map((w) => waitSynced(w, 20_000)))
    }
    console.log(`durability-kill (${name}): ${((performance.now() - started) / 1000).toFixed(1)} s\n  ${figures.join('\n  ')}`)
  }, 60_000 + KILLS * 60_000) // a guard against a hang: under a load of 25 a round took 50 s
})
