import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'

const dirs: string[] = []
const opened: Storage[] = []

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-sqlite-'))
  dirs.push(dir)
  return dir
}

function open(dir: string): Storage {
  const s = openSqliteStorage(dir)
  opened.push(s)
  return s
}

afterEach(async () => {
  for (const s of opened.splice(0)) await s.close().catch(() => {})
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const info = (id: string) => ({ id, title: `Tavla ${id}`, templateId: 'hallunda-norsborg', createdAt: 1_700_000_000_000 })

/** A doc with a map entry per step, and the update each step produced. */
function updatesFor(n: number, clientId = 1): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc()
  doc.clientID = clientId
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  for (let i = 0; i < n; i++) doc.getMap('m').set(`k${i}`, i)
  return { updates, doc }
}

function replay(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(doc, u)
  return doc
}

describe('SQLite storage', () => {
  it('createBoard stores the info and the initial state as the snapshot', async () => {
    const s = open(freshDir())
    const init = new Y.Doc()
    init.getMap('meta').set('title', 'Första')
    await s.createBoard(info('aaaaaaaaaaaaaaaa'), Y.encodeStateAsUpdate(init))
    expect(await s.getBoard('aaaaaaaaaaaaaaaa')).toEqual(info('aaaaaaaaaaaaaaaa'))
    expect(await s.getBoard('bbbbbbbbbbbbbbbb')).toBeNull()
    const stored = await s.loadBoard('aaaaaaaaaaaaaaaa')
    expect(stored.updates).toEqual([])
    expect(stored.lastSeq).toBe(0)
    expect(replay(stored).getMap('meta').get('title')).toBe('Första')
  })

  it('createBoard twice with one id fails and leaves the first intact', async () => {
    const s = open(freshDir())
    await s.createBoard(info('aaaaaaaaaaaaaaaa'), Y.encodeStateAsUpdate(new Y.Doc()))
    await expect(s.createBoard({ ...info('aaaaaaaaaaaaaaaa'), title: 'Dubblett' }, new Uint8Array([0, 0]))).rejects.toThrow()
    expect((await s.getBoard('aaaaaaaaaaaaaaaa'))!.title).toBe('Tavla aaaaaaaaaaaaaaaa')
  })

  it('append returns increasing sequence numbers per board; load returns the updates in order', async () => {
    const s = open(freshDir())
    await s.createBoard(info('aaaaaaaaaaaaaaaa'), Y.encodeStateAsUpdate(new Y.Doc()))
    await s.createBoard(info('bbbbbbbbbbbbbbbb'), Y.encodeStateAsUpdate(new Y.Doc()))
    const { updates, doc } = updatesFor(10)
    const seqs: number[] = []
    for (const u of updates) seqs.push(await s.appendUpdate('aaaaaaaaaaaaaaaa', u))
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(await s.appendUpdate('bbbbbbbbbbbbbbbb', updates[0])).toBe(1)
    const stored = await s.loadBoard('aaaaaaaaaaaaaaaa')
    expect(stored.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(updates.map((u) => Buffer.from(u).toString('hex')))
    expect(stored.lastSeq).toBe(10)
    expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
  })

  it('compact replaces the snapshot, drops covered updates only, and keeps later ones', async () => {
    const s = open(freshDir())
    const id = 'aaaaaaaaaaaaaaaa'
    await s.createBoard(info(id), Y.encodeStateAsUpdate(new Y.Doc()))
    const { updates, doc } = updatesFor(8)
    const partial = new Y.Doc()
    for (const [i, u] of updates.entries()) {
      await s.appendUpdate(id, u)
      if (i < 5) Y.applyUpdate(partial, u)
    }
    await s.compact(id, Y.encodeStateAsUpdate(partial), 5)
    const stored = await s.loadBoard(id)
    expect(stored.updates).toHaveLength(3)
    expect(stored.lastSeq).toBe(8)
    expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    // Appending after a compaction continues the sequence.
    expect(await s.appendUpdate(id, updatesFor(1, 2).updates[0])).toBe(9)
  })

  it('reload: a reopened store has everything, continues the sequence after the snapshot, and compacting everything leaves no log', async () => {
    const dir = freshDir()
    const id = 'aaaaaaaaaaaaaaaa'
    let s = open(dir)
    await s.createBoard(info(id), Y.encodeStateAsUpdate(new Y.Doc()))
    const { updates, doc } = updatesFor(6)
    for (const u of updates) await s.appendUpdate(id, u)
    await s.compact(id, Y.encodeStateAsUpdate(doc), 6)
    await s.close()

    s = open(dir)
    let stored = await s.loadBoard(id)
    expect(stored.updates).toEqual([])
    expect(stored.lastSeq).toBe(6)
    expect(replay(stored).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    // The sequence continues after the snapshot even though the log is empty.
    const more = updatesFor(1, 3).updates[0]
    expect(await s.appendUpdate(id, more)).toBe(7)
    await s.close()

    s = open(dir)
    stored = await s.loadBoard(id)
    expect(stored.updates).toHaveLength(1)
    expect(stored.lastSeq).toBe(7)
    expect(await s.appendUpdate(id, updatesFor(1, 4).updates[0])).toBe(8)
  })

  it('delete removes the board, its snapshot and its log (and only those)', async () => {
    const dir = freshDir()
    const s = open(dir)
    await s.createBoard(info('aaaaaaaaaaaaaaaa'), Y.encodeStateAsUpdate(new Y.Doc()))
    await s.createBoard(info('bbbbbbbbbbbbbbbb'), Y.encodeStateAsUpdate(new Y.Doc()))
    for (const u of updatesFor(3).updates) {
      await s.appendUpdate('aaaaaaaaaaaaaaaa', u)
      await s.appendUpdate('bbbbbbbbbbbbbbbb', u)
    }
    await s.deleteBoard('aaaaaaaaaaaaaaaa')
    expect(await s.getBoard('aaaaaaaaaaaaaaaa')).toBeNull()
    const gone = await s.loadBoard('aaaaaaaaaaaaaaaa')
    expect(gone).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
    const kept = await s.loadBoard('bbbbbbbbbbbbbbbb')
    expect(kept.updates).toHaveLength(3)
    const db = new Database(join(dir, 'snurra.sqlite'), { readonly: true })
    expect(db.prepare("SELECT COUNT(*) AS n FROM updates WHERE board_id = 'aaaaaaaaaaaaaaaa'").get()).toEqual({ n: 0 })
    expect(db.prepare("SELECT COUNT(*) AS n FROM snapshots WHERE board_id = 'aaaaaaaaaaaaaaaa'").get()).toEqual({ n: 0 })
    db.close()
  })

  it('appending to a board that does not exist fails (foreign key), nothing is stored', async () => {
    const s = open(freshDir())
    await expect(s.appendUpdate('zzzzzzzzzzzzzzzz', updatesFor(1).updates[0])).rejects.toThrow()
    expect((await s.loadBoard('zzzzzzzzzzzzzzzz')).updates).toEqual([])
  })

  it('migrations are idempotent on reopen: schema version set once, data kept, tables as documented', async () => {
    const dir = freshDir()
    let s = open(dir)
    await s.createBoard(info('aaaaaaaaaaaaaaaa'), Y.encodeStateAsUpdate(new Y.Doc()))
    await s.appendUpdate('aaaaaaaaaaaaaaaa', updatesFor(1).updates[0])
    await s.close()
    const versionOf = () => {
      const db = new Database(join(dir, 'snurra.sqlite'), { readonly: true })
      try {
        return {
          version: db.pragma('user_version', { simple: true }),
          tables: (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name),
          snapshotCols: (db.prepare('PRAGMA table_info(snapshots)').all() as { name: string }[]).map((c) => c.name),
          updateCols: (db.prepare('PRAGMA table_info(updates)').all() as { name: string }[]).map((c) => c.name),
        }
      } finally {
        db.close()
      }
    }
    const first = versionOf()
    expect(first.version).toBeGreaterThanOrEqual(1)
    expect(first.tables).toEqual(expect.arrayContaining(['boards', 'snapshots', 'updates']))
    expect(first.snapshotCols).toEqual(expect.arrayContaining(['board_id', 'state', 'upto_seq']))
    expect(first.updateCols).toEqual(expect.arrayContaining(['board_id', 'seq', 'data']))
    for (let i = 0; i < 3; i++) {
      s = open(dir)
      expect((await s.loadBoard('aaaaaaaaaaaaaaaa')).updates).toHaveLength(1)
      await s.close()
      expect(versionOf()).toEqual(first)
    }
  })

  it('two stores on the same file (a restart overlapping the old process): a clashing append fails instead of overwriting', async () => {
    const dir = freshDir()
    const id = 'aaaaaaaaaaaaaaaa'
    const s1 = open(dir)
    await s1.createBoard(info(id), Y.encodeStateAsUpdate(new Y.Doc()))
    const { updates } = updatesFor(4)
    await s1.appendUpdate(id, updates[0])
    const s2 = open(dir)
    await s2.appendUpdate(id, updates[1])
    await expect(s1.appendUpdate(id, updates[2])).rejects.toThrow()
  })

  it('ping works while open and fails after close', async () => {
    const s = open(freshDir())
    await expect(s.ping()).resolves.toBeUndefined()
    await s.close()
    await expect(s.ping()).rejects.toThrow()
  })
})
