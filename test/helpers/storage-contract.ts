/**
 * The storage contract: what every implementation of `server/storage/storage.ts` must do, run
 * against SQLite (test/unit/storage-sqlite.test.ts) and PostgreSQL
 * (test/integration/storage-postgres.test.ts). Rooms rely on exactly this, whichever is configured.
 */
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { Storage, StoredBoard } from '../../server/storage/storage.ts'

/** One place to keep data (a directory, a database), which can be opened several times. */
export interface StoragePlace {
  open(): Promise<Storage>
  /** Rows that still mention `boardId`, per table (to prove a deletion erased everything). */
  rowsOf(boardId: string): Promise<Record<string, number>>
  /** The schema as the database describes it (migration version and tables), to compare across reopens. */
  schema(): Promise<unknown>
  dispose(): Promise<void>
}

export const A = 'aaaaaaaaaaaaaaaa'
export const B = 'bbbbbbbbbbbbbbbb'

export const info = (id: string, createdAt = 1_700_000_000_000) => ({ id, title: `Tavla ${id}`, templateId: 'hallunda-norsborg', createdAt })

/** A doc with a map entry per step, and the update each step produced. */
export function updatesFor(n: number, clientId = 1): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < n; i++) doc.getMap('m').set(`k${clientId}-${i}`, i)
  return { updates, doc }
}

export function replay(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }, into = new Y.Doc()): Y.Doc {
  if (stored.snapshot) Y.applyUpdate(into, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(into, u)
  return into
}

/** One update through the one append path. */
const appendOne = async (s: Storage, id: string, update: Uint8Array) => (await s.appendUpdates(id, [update]))[0]

const hex = (us: Uint8Array[]) => us.map((u) => Buffer.from(u).toString('hex'))
const empty = () => Y.encodeStateAsUpdate(new Y.Doc())

export function storageContract(name: string, newPlace: () => Promise<StoragePlace>): void {
  const places: StoragePlace[] = []
  const opened: Storage[] = []

  async function place(): Promise<StoragePlace> {
    const p = await newPlace()
    places.push(p)
    return p
  }
  async function open(p: StoragePlace): Promise<Storage> {
    const s = await p.open()
    opened.push(s)
    return s
  }
  const fresh = async () => open(await place())

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {})
    for (const p of places.splice(0)) await p.dispose()
  })

  describe(`${name} storage (contract)`, () => {
    it('createBoard stores the info and the initial state as the snapshot', async () => {
      const s = await fresh()
      const init = new Y.Doc()
      init.getMap('meta').set('title', 'Första')
      await s.createBoard(info(A), Y.encodeStateAsUpdate(init))
      expect(await s.getBoard(A)).toEqual(info(A))
      expect(await s.getBoard(B)).toBeNull()
      const stored = await s.loadBoard(A)
      expect(stored.updates).toEqual([])
      expect(stored.lastSeq).toBe(0)
      expect(replay(stored).getMap('meta').get('title')).toBe('Första')
    })

    it('createBoard twice with one id fails and leaves the first intact', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      await expect(s.createBoard({ ...info(A), title: 'Dubblett' }, new Uint8Array([0, 0]))).rejects.toThrow()
      expect((await s.getBoard(A))!.title).toBe(`Tavla ${A}`)
    })

    it('listBoards: every board, oldest first', async () => {
      const s = await fresh()
      expect(await s.listBoards()).toEqual([])
      await s.createBoard(info(B, 2000), empty())
      await s.createBoard(info(A, 3000), empty())
      await s.createBoard(info('cccccccccccccccc', 1000), empty())
      expect((await s.listBoards()).map((b) => b.id)).toEqual(['cccccccccccccccc', B, A])
      expect((await s.listBoards())[1]).toEqual(info(B, 2000))
    })

    it('append returns 1, 2, 3… per board; load returns the updates in order', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      await s.createBoard(info(B), empty())
      const { updates, doc } = updatesFor(10)
      const seqs: number[] = []
      for (const u of updates) seqs.push(await appendOne(s, A, u))
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      expect(await appendOne(s, B, updates[0])).toBe(1)
      const stored = await s.loadBoard(A)
      expect(hex(stored.updates)).toEqual(hex(updates))
      expect(stored.lastSeq).toBe(10)
      expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    })

    it('appendUpdates (group commit) numbers a batch on from single appends', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      const { updates, doc } = updatesFor(6)
      expect(await appendOne(s, A, updates[0])).toBe(1)
      expect(await s.appendUpdates(A, updates.slice(1, 5))).toEqual([2, 3, 4, 5])
      expect(await appendOne(s, A, updates[5])).toBe(6)
      const stored = await s.loadBoard(A)
      expect(hex(stored.updates)).toEqual(hex(updates))
      expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      // All or nothing: a batch for a board that does not exist stores none of it.
      await expect(s.appendUpdates('no-such-board', updates.slice(0, 2))).rejects.toThrow()
      expect((await s.loadBoard('no-such-board')).updates).toEqual([])
    })

    it('concurrent appends to one board get distinct, gap-free sequence numbers', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      const { updates, doc } = updatesFor(40)
      const seqs = await Promise.all(updates.map((u) => appendOne(s, A, u)))
      expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      expect(replay(await s.loadBoard(A)).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    })

    it('compact replaces the snapshot, drops covered updates only, and keeps later ones', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      const { updates, doc } = updatesFor(8)
      const partial = new Y.Doc()
      for (const [i, u] of updates.entries()) {
        await appendOne(s, A, u)
        if (i < 5) Y.applyUpdate(partial, u)
      }
      await s.compact(A, Y.encodeStateAsUpdate(partial), 5)
      const stored = await s.loadBoard(A)
      expect(stored.updates).toHaveLength(3)
      expect(stored.lastSeq).toBe(8)
      expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      // Appending after a compaction continues the sequence.
      expect(await appendOne(s, A, updatesFor(1, 2).updates[0])).toBe(9)
    })

    it('compact never replaces a snapshot with an older one (a slower instance compacting late)', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      const { updates, doc } = updatesFor(6)
      const upTo = (n: number) => {
        const d = new Y.Doc()
        for (const u of updates.slice(0, n)) Y.applyUpdate(d, u)
        return Y.encodeStateAsUpdate(d)
      }
      for (const u of updates) await appendOne(s, A, u)
      await s.compact(A, upTo(5), 5)
      await s.compact(A, upTo(2), 2)
      const stored = await s.loadBoard(A)
      expect(stored.updates).toHaveLength(1)
      expect(stored.lastSeq).toBe(6)
      expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      expect(replay({ snapshot: stored.snapshot, updates: [] }).getMap('m').size).toBe(5)
    })

    it('loadSince: only the updates after the given seq, and the snapshot once a compaction passed it', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      const { updates, doc } = updatesFor(9)
      for (const u of updates) await appendOne(s, A, u)

      let since: StoredBoard = await s.loadSince(A, 6)
      expect(since.snapshot).toBeNull()
      expect(hex(since.updates)).toEqual(hex(updates.slice(6)))
      expect(since.lastSeq).toBe(9)
      expect(await s.loadSince(A, 9)).toEqual({ snapshot: null, updates: [], lastSeq: 9, seqs: [], baseSeq: 9 })

      // A reader that holds 1..3 while the log was compacted to 7: it gets the snapshot.
      const upTo7 = new Y.Doc()
      for (const u of updates.slice(0, 7)) Y.applyUpdate(upTo7, u)
      await s.compact(A, Y.encodeStateAsUpdate(upTo7), 7)
      const reader = new Y.Doc()
      for (const u of updates.slice(0, 3)) Y.applyUpdate(reader, u)
      since = await s.loadSince(A, 3)
      expect(since.snapshot).not.toBeNull()
      expect(since.updates).toHaveLength(2)
      expect(since.lastSeq).toBe(9)
      expect(replay(since, reader).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      // A reader already past the snapshot gets the log only.
      since = await s.loadSince(A, 8)
      expect(since.snapshot).toBeNull()
      expect(hex(since.updates)).toEqual(hex(updates.slice(8)))
    })

    it('reload: a reopened store has everything and continues the sequence after the snapshot', async () => {
      const p = await place()
      let s = await open(p)
      await s.createBoard(info(A), empty())
      const { updates, doc } = updatesFor(6)
      for (const u of updates) await appendOne(s, A, u)
      await s.compact(A, Y.encodeStateAsUpdate(doc), 6)
      await s.close()

      s = await open(p)
      let stored = await s.loadBoard(A)
      expect(stored.updates).toEqual([])
      expect(stored.lastSeq).toBe(6)
      expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
      // The sequence continues after the snapshot even though the log is empty.
      expect(await appendOne(s, A, updatesFor(1, 3).updates[0])).toBe(7)
      await s.close()

      s = await open(p)
      stored = await s.loadBoard(A)
      expect(stored.updates).toHaveLength(1)
      expect(stored.lastSeq).toBe(7)
      expect(await appendOne(s, A, updatesFor(1, 4).updates[0])).toBe(8)
    })

    it('server-private state: JSON values per board and key, null deletes, keys listed by prefix', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      await s.createBoard(info(B), empty())
      expect(await s.getState(A, 'ballots')).toBeNull()
      await s.setState(A, 'ballots', { round: 2, byPerson: { p: { c: 1 } } })
      await s.setState(A, 'private:p2', 'AAE=')
      await s.setState(A, 'private:p1', 'AAA=')
      await s.setState(A, 'privateer', 1)
      await s.setState(B, 'private:p9', 'x')
      expect(await s.getState(A, 'ballots')).toEqual({ round: 2, byPerson: { p: { c: 1 } } })
      expect(await s.listStateKeys(A, 'private:')).toEqual(['private:p1', 'private:p2'])
      await s.setState(A, 'ballots', { round: 3, byPerson: {} })
      expect(await s.getState(A, 'ballots')).toEqual({ round: 3, byPerson: {} })
      await s.setState(A, 'private:p1', null)
      expect(await s.listStateKeys(A, 'private:')).toEqual(['private:p2'])
      expect(await s.getState(B, 'ballots')).toBeNull()
    })

    it('versions: saved whole, listed oldest first, fetched by id; an id is used once per board', async () => {
      const s = await fresh()
      await s.createBoard(info(A), empty())
      await s.createBoard(info(B), empty())
      const { doc } = updatesFor(3)
      const state = Y.encodeStateAsUpdate(doc)
      await s.saveVersion(A, { id: 'v2', name: 'Uppföljning 2027', createdAt: 2000 }, state)
      await s.saveVersion(A, { id: 'v1', name: 'Workshop 2026-11-23', createdAt: 1000 }, new Uint8Array([0, 0]))
      expect(await s.listVersions(A)).toEqual([
        { id: 'v1', name: 'Workshop 2026-11-23', createdAt: 1000 },
        { id: 'v2', name: 'Uppföljning 2027', createdAt: 2000 },
      ])
      const got = await s.getVersion(A, 'v2')
      expect(got!.info).toEqual({ id: 'v2', name: 'Uppföljning 2027', createdAt: 2000 })
      expect(Buffer.from(got!.state).equals(Buffer.from(state))).toBe(true)
      expect(await s.getVersion(A, 'nope')).toBeNull()
      expect(await s.getVersion(B, 'v2')).toBeNull()
      expect(await s.listVersions(B)).toEqual([])
      await expect(s.saveVersion(A, { id: 'v1', name: 'Igen', createdAt: 3000 }, state)).rejects.toThrow()
    })

    it('deleteBoard erases everything stored with the board (log, snapshot, versions, private state), and only that', async () => {
      const p = await place()
      const s = await open(p)
      await s.createBoard(info(A), empty())
      await s.createBoard(info(B), empty())
      for (const id of [A, B]) {
        for (const u of updatesFor(3).updates) await appendOne(s, id, u)
        await s.compact(id, Y.encodeStateAsUpdate(updatesFor(2).doc), 2)
        await s.saveVersion(id, { id: 'v1', name: 'Före', createdAt: 1 }, new Uint8Array([0, 0]))
        await s.setState(id, 'ballots', { round: 1, byPerson: { someone: { c: 1 } } })
        await s.setState(id, 'private:someone', 'AAA=')
      }
      const before = await p.rowsOf(A)
      expect(Object.values(before).every((n) => n > 0), JSON.stringify(before)).toBe(true)

      expect(await s.wasDeleted(A)).toBe(false)
      await s.deleteBoard(A)
      expect(await s.getBoard(A)).toBeNull()
      // Only the id is remembered, so "deleted" can be told from "never existed".
      expect(await s.wasDeleted(A)).toBe(true)
      expect(await s.wasDeleted(B)).toBe(false)
      expect(await s.wasDeleted('never-existed')).toBe(false)
      expect(await s.loadBoard(A)).toEqual({ snapshot: null, updates: [], lastSeq: 0, seqs: [], baseSeq: 0 })
      expect(await s.listVersions(A)).toEqual([])
      expect(await s.getState(A, 'ballots')).toBeNull()
      expect(await s.listStateKeys(A, '')).toEqual([])
      expect((await s.listBoards()).map((b) => b.id)).toEqual([B])
      const after = await p.rowsOf(A)
      expect(Object.values(after).every((n) => n === 0), JSON.stringify(after)).toBe(true)
      expect(Object.keys(after)).toEqual(Object.keys(before))
      // The other board is untouched.
      expect(await p.rowsOf(B)).toEqual(before)
      expect((await s.loadBoard(B)).updates).toHaveLength(1)
    })

    it('appending to a board that does not exist fails, nothing is stored', async () => {
      const s = await fresh()
      await expect(appendOne(s, 'zzzzzzzzzzzzzzzz', updatesFor(1).updates[0])).rejects.toThrow()
      expect((await s.loadBoard('zzzzzzzzzzzzzzzz')).updates).toEqual([])
    })

    it('migrations are idempotent on reopen: schema unchanged, data kept', async () => {
      const p = await place()
      let s = await open(p)
      await s.createBoard(info(A), empty())
      await appendOne(s, A, updatesFor(1).updates[0])
      await s.close()
      const first = await p.schema()
      for (let i = 0; i < 3; i++) {
        s = await open(p)
        expect((await s.loadBoard(A)).updates).toHaveLength(1)
        await s.close()
        expect(await p.schema()).toEqual(first)
      }
    })

    it('exclusive runs the function, returns its value, and is free again after a throw', async () => {
      const s = await fresh()
      expect(await s.exclusive(A, async () => 42)).toBe(42)
      await expect(s.exclusive(A, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
      expect(await s.exclusive(A, async () => 'again')).toBe('again')
    })

    it('ping works while open and fails after close', async () => {
      const p = await place()
      const s = await p.open()
      await expect(s.ping()).resolves.toBeUndefined()
      await s.close()
      await expect(s.ping()).rejects.toThrow()
    })
  })
}
