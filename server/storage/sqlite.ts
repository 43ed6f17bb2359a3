import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { BoardInfo, Storage, StoredBoard } from './storage.ts'

/**
 * Schema migrations, applied in order and recorded in `user_version`. Append, never edit: a
 * deployed database has already run the earlier ones.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     template_id TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE snapshots (
     board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
     state BLOB NOT NULL,
     upto_seq INTEGER NOT NULL
   );
   CREATE TABLE updates (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (board_id, seq)
   ) WITHOUT ROWID;`,
  `CREATE TABLE board_state (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (board_id, key)
   ) WITHOUT ROWID;`,
]

export function openSqliteStorage(dataDir: string): Storage {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, 'snurra.sqlite'))
  db.pragma('journal_mode = WAL')
  // FULL: a commit is fsynced before it returns, so "appended before broadcast" holds across
  // power loss too, not only across a crash of this process.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)

  const q = {
    insertBoard: db.prepare('INSERT INTO boards (id, title, template_id, created_at) VALUES (?, ?, ?, ?)'),
    getBoard: db.prepare<[string], { id: string; title: string; template_id: string; created_at: number }>(
      'SELECT id, title, template_id, created_at FROM boards WHERE id = ?',
    ),
    getSnapshot: db.prepare<[string], { state: Buffer; upto_seq: number }>('SELECT state, upto_seq FROM snapshots WHERE board_id = ?'),
    getUpdates: db.prepare<[string, number], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE board_id = ? AND seq > ? ORDER BY seq',
    ),
    maxSeq: db.prepare<[{ id: string }], { seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM (SELECT MAX(seq) AS seq FROM updates WHERE board_id = @id UNION ALL SELECT upto_seq FROM snapshots WHERE board_id = @id)',
    ),
    insertUpdate: db.prepare('INSERT INTO updates (board_id, seq, data) VALUES (?, ?, ?)'),
    upsertSnapshot: db.prepare(
      'INSERT INTO snapshots (board_id, state, upto_seq) VALUES (?, ?, ?) ON CONFLICT(board_id) DO UPDATE SET state = excluded.state, upto_seq = excluded.upto_seq',
    ),
    deleteUpdatesUpTo: db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
    deleteBoard: db.prepare('DELETE FROM boards WHERE id = ?'),
    getState: db.prepare<[string, string], { value: string }>('SELECT value FROM board_state WHERE board_id = ? AND key = ?'),
    setState: db.prepare(
      'INSERT INTO board_state (board_id, key, value) VALUES (?, ?, ?) ON CONFLICT(board_id, key) DO UPDATE SET value = excluded.value',
    ),
    deleteState: db.prepare('DELETE FROM board_state WHERE board_id = ? AND key = ?'),
    listState: db.prepare<[{ id: string; prefix: string }], { key: string }>(
      'SELECT key FROM board_state WHERE board_id = @id AND substr(key, 1, length(@prefix)) = @prefix ORDER BY key',
    ),
  }

  // The next sequence number per loaded board, so an append is one INSERT, not a MAX() scan.
  const nextSeq = new Map<string, number>()
  const seqFor = (id: string): number => {
    let seq = nextSeq.get(id)
    if (seq === undefined) seq = (q.maxSeq.get({ id })?.seq ?? 0) + 1
    nextSeq.set(id, seq + 1)
    return seq
  }

  const createBoard = db.transaction((info: BoardInfo, state: Uint8Array) => {
    q.insertBoard.run(info.id, info.title, info.templateId, info.createdAt)
    q.upsertSnapshot.run(info.id, state, 0)
  })
  const compact = db.transaction((id: string, snapshot: Uint8Array, uptoSeq: number) => {
    q.upsertSnapshot.run(id, snapshot, uptoSeq)
    q.deleteUpdatesUpTo.run(id, uptoSeq)
  })

  return {
    async createBoard(info, state) {
      createBoard(info, state)
    },
    async getBoard(id) {
      const row = q.getBoard.get(id)
      return row ? { id: row.id, title: row.title, templateId: row.template_id, createdAt: row.created_at } : null
    },
    async loadBoard(id): Promise<StoredBoard> {
      const snap = q.getSnapshot.get(id)
      const uptoSeq = snap?.upto_seq ?? 0
      const rows = q.getUpdates.all(id, uptoSeq)
      return {
        snapshot: snap ? new Uint8Array(snap.state) : null,
        updates: rows.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.length ? rows[rows.length - 1].seq : uptoSeq,
      }
    },
    async appendUpdate(id, update) {
      const seq = seqFor(id)
      q.insertUpdate.run(id, seq, update)
      return seq
    },
    async compact(id, snapshot, uptoSeq) {
      compact(id, snapshot, uptoSeq)
    },
    async getState(id, key) {
      const row = q.getState.get(id, key)
      return row ? JSON.parse(row.value) : null
    },
    async setState(id, key, value) {
      if (value === null || value === undefined) q.deleteState.run(id, key)
      else q.setState.run(id, key, JSON.stringify(value))
    },
    async listStateKeys(id, prefix) {
      return q.listState.all({ id, prefix }).map((r) => r.key)
    },
    async deleteBoard(id) {
      q.deleteBoard.run(id)
      nextSeq.delete(id)
    },
    async ping() {
      db.prepare('SELECT 1').get()
    },
    async close() {
      db.close()
    },
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v])
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
