/**
 * The storage contract on a real PostgreSQL (a scratch database per place), and what only
 * matters when several instances share one database: gap-free sequence numbers, compaction
 * that never drops an update missing from the snapshot, exclusive sections, concurrent migrations.
 */
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/log.ts'
import { openPostgresStorage } from '../../server/storage/postgres.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { createScratchDatabase, servicesAvailable, type ScratchDatabase } from '../helpers/services.ts'
import { A, info, replay, storageContract, updatesFor, type StoragePlace } from '../helpers/storage-contract.ts'

const available = await servicesAvailable(['postgres'])
const log = createLogger('error')
const TABLES = ['boards', 'snapshots', 'updates', 'board_state', 'versions']

async function postgresPlace(): Promise<StoragePlace & { db: ScratchDatabase }> {
  const db = await createScratchDatabase()
  return {
    db,
    open: () => openPostgresStorage(db.url, { log }),
    rowsOf: async (boardId) => {
      const counts: Record<string, number> = {}
      for (const t of TABLES) {
        const [row] = await db.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${t} WHERE ${t === 'boards' ? 'id' : 'board_id'} = $1`, [boardId])
        counts[t] = Number(row.n)
      }
      return counts
    },
    schema: async () => ({
      migrations: await db.query('SELECT version FROM schema_migrations ORDER BY version'),
      columns: await db.query(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
      ),
    }),
    dispose: () => db.drop(),
  }
}

describe.skipIf(!available)('PostgreSQL', () => {
  storageContract('PostgreSQL', postgresPlace)

  describe('PostgreSQL storage shared by several instances', () => {
    const cleanups: Array<() => Promise<void>> = []
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c().catch(() => {})
    })
    async function instances(n: number): Promise<{ place: Awaited<ReturnType<typeof postgresPlace>>; stores: Storage[] }> {
      const place = await postgresPlace()
      cleanups.push(() => place.dispose())
      // Started together: the migration lock must keep them from running a migration twice.
      const stores = await Promise.all(Array.from({ length: n }, () => place.open()))
      for (const s of stores) cleanups.push(() => s.close())
      return { place, stores }
    }

    it('instances starting together on an empty database migrate once', async () => {
      const { place, stores } = await instances(4)
      expect(await place.db.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }])
      await stores[0].createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
      expect(await stores[3].getBoard(A)).toEqual(info(A))
    })

    it('appends from three instances at once: every update stored, numbered 1..N without gaps or duplicates', async () => {
      const { stores } = await instances(3)
      await stores[0].createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
      const writers = stores.map((_, i) => updatesFor(30, i + 1))
      const seqs = (await Promise.all(writers.map(({ updates }, i) => Promise.all(updates.map((u) => stores[i].appendUpdates(A, [u]).then((s) => s[0])))))).flat()
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1))
      const doc = replay(await stores[1].loadBoard(A))
      expect(doc.getMap('m').size).toBe(90)
    })

    it('two instances compacting the same board while a third appends never lose an update', async () => {
      const { stores } = await instances(3)
      const [s1, s2, writer] = stores
      await s1.createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
      const { updates, doc: all } = updatesFor(120, 7)
      // Each compacting instance holds what it loaded: a snapshot plus the log, up to lastSeq.
      const compactFrom = async (s: Storage) => {
        const stored = await s.loadBoard(A)
        await s.compact(A, Y.encodeStateAsUpdate(replay(stored)), stored.lastSeq)
      }
      const appending = (async () => {
        for (const u of updates) await writer.appendUpdates(A, [u]).then((s) => s[0])
      })()
      const compacting = (async () => {
        for (let i = 0; i < 15; i++) await Promise.all([compactFrom(s1), compactFrom(s2)])
      })()
      await Promise.all([appending, compacting])
      await compactFrom(s2)
      const stored = await s1.loadBoard(A)
      expect(stored.lastSeq).toBe(120)
      expect(replay(stored).getMap('m').toJSON()).toEqual(all.getMap('m').toJSON())
    })

    it('a late compaction from an instance that is behind does not drop what only the newer snapshot holds', async () => {
      const { stores } = await instances(2)
      const [ahead, behind] = stores
      await ahead.createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
      const { updates, doc: all } = updatesFor(10)
      for (const u of updates) await ahead.appendUpdates(A, [u]).then((s) => s[0])
      const old = await behind.loadBoard(A) // holds 1..10
      await ahead.appendUpdates(A, [updatesFor(1, 2).updates[0]])
      all.getMap('m').set('k2-0', 0)
      const now = await ahead.loadBoard(A)
      await ahead.compact(A, Y.encodeStateAsUpdate(replay(now)), now.lastSeq) // covers 1..11
      await behind.compact(A, Y.encodeStateAsUpdate(replay(old)), old.lastSeq) // covers 1..10: not written
      expect(replay(await behind.loadBoard(A)).getMap('m').toJSON()).toEqual(all.getMap('m').toJSON())
    })

    it('exclusive: sections under one key never overlap across instances; other keys do not wait', async () => {
      const { stores } = await instances(3)
      let inside = 0
      let most = 0
      const entered: string[] = []
      const section = (s: Storage, key: string, tag: string) =>
        s.exclusive(key, async () => {
          entered.push(tag)
          if (key === 'board-x') {
            most = Math.max(most, ++inside)
            await new Promise((r) => setTimeout(r, 15))
            inside--
          }
        })
      await Promise.all(stores.flatMap((s, i) => Array.from({ length: 5 }, (_, j) => section(s, 'board-x', `${i}.${j}`))))
      expect(most).toBe(1)
      expect(entered).toHaveLength(15)
      // A holder that never finishes blocks its own key only.
      let release!: () => void
      const held = stores[0].exclusive('board-y', () => new Promise<void>((r) => (release = r)))
      await new Promise((r) => setTimeout(r, 50))
      const other = await Promise.race([stores[1].exclusive('board-z', async () => 'free'), new Promise((r) => setTimeout(() => r('blocked'), 3000))])
      expect(other).toBe('free')
      let waited = false
      const sameKey = stores[2].exclusive('board-y', async () => {
        waited = true
      })
      await new Promise((r) => setTimeout(r, 200))
      expect(waited).toBe(false)
      release()
      await held
      await sameKey
      expect(waited).toBe(true)
    })

    it('a lock holder whose process dies frees the lock (PostgreSQL ends its session)', async () => {
      const { place, stores } = await instances(1)
      const dying = await place.open()
      let hang!: () => void
      const gate = new Promise<void>((r) => (hang = r))
      const holding = dying.exclusive('board-k', () => gate).catch(() => {})
      await new Promise((r) => setTimeout(r, 100))
      // Kill the holder's backend, as a crash of its instance would.
      await place.db.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()")
      const result = await Promise.race([stores[0].exclusive('board-k', async () => 'got it'), new Promise((r) => setTimeout(() => r('still locked'), 5000))])
      expect(result).toBe('got it')
      hang()
      await holding
      await dying.close().catch(() => {})
    })
  })
})
