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

function sqlitePlace(): StoragePlace {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-sqlite-'))
  return {
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
}

storageContract('SQLite', async () => sqlitePlace(), { groupCommit: true })

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
    await s1.appendUpdate(A, updates[0])
    const s2 = await open(p)
    await s2.appendUpdate(A, updates[1])
    await expect(s1.appendUpdate(A, updates[2])).rejects.toThrow()
  })
})
