import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { A, info, storageContract, updatesFor, type StoragePlace } from '../helpers/storage-contract.ts'

const TABLES = ['boards', 'snapshots', 'updates', 'board_state', 'versions']

function readDb<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'snurra.sqlite'), { readonly: true, fileMustExist: true })
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

const dirs = new WeakMap<StoragePlace, string>()

/** Opens the place's database file beside the store (as another process would). */
function withRawDb(p: StoragePlace, fn: (db: Database.Database) => void): void {
  const db = new Database(join(dirs.get(p)!, 'snurra.sqlite'))
  try {
    fn(db)
  } finally {
    db.close()
  }
}

function sqlitePlace(): StoragePlace {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-sqlite-'))
  const place: StoragePlace = {
    open: async () => openSqliteStorage(dir),
    rowsOf: async (boardId) =>
      readDb(dir, (db) =>
        Object.fromEntries(
          TABLES.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE ${t === 'boards' ? 'id' : 'board_id'} = ?`).get(boardId) as { n: number }).n]),
        ),
      ),
    schema: async () =>
      readDb(dir, (db) => ({
        version: db.pragma('user_version', { simple: true }),
        tables: (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]),
      })),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  }
  dirs.set(place, dir)
  return place
}

storageContract('SQLite', async () => sqlitePlace())

describe('SQLite storage (specific)', () => {
  const places: StoragePlace[] = []
  const opened: Storage[] = []
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {})
    for (const p of places.splice(0)) await p.dispose()
  })
  const place = () => {
    const p = sqlitePlace()
    places.push(p)
    return p
  }
  const open = async (p: StoragePlace) => {
    const s = await p.open()
    opened.push(s)
    return s
  }

  it('the tables are as documented', async () => {
    const p = place()
    await open(p)
    const { version, tables } = (await p.schema()) as { version: number; tables: { name: string }[] }
    expect(version).toBeGreaterThanOrEqual(3)
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(TABLES))
  })

  it('two stores on the same file (a restart overlapping the old process): a clashing append fails instead of overwriting', async () => {
    const p = place()
    const s1 = await open(p)
    await s1.createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
    const { updates } = updatesFor(4)
    await s1.appendUpdates(A, [updates[0]])
    const s2 = await open(p)
    await s2.appendUpdates(A, [updates[1]])
    await expect(s1.appendUpdates(A, [updates[2]])).rejects.toThrow()
    // The failed append took no number: the next one follows on without a hole.
    expect(await s1.appendUpdates(A, [updates[3]])).toEqual([3])
  })

  it('a failed append leaves no hole in the sequence (compaction and catching up stop at holes)', async () => {
    const p = place()
    const s = await open(p)
    await s.createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
    const { updates } = updatesFor(3)
    expect(await s.appendUpdates(A, [updates[0]])).toEqual([1])
    // A disk that refuses one write (a trigger stands in for it).
    const poison = new Uint8Array([0xde, 0xad])
    await withRawDb(p, (db) => db.exec("CREATE TRIGGER refuse BEFORE INSERT ON updates WHEN NEW.data = X'DEAD' BEGIN SELECT RAISE(ABORT, 'disk refused (test)'); END"))
    await expect(s.appendUpdates(A, [updates[1], poison])).rejects.toThrow(/disk refused/)
    expect(await s.appendUpdates(A, [updates[2]])).toEqual([2])
    const stored = await s.loadBoard(A)
    expect(stored.lastSeq).toBe(2)
    expect(stored.updates).toHaveLength(2)
  })
})
