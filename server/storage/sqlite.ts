import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BoardInfo, Storage, StoredBoard } from './storage.ts'
import { checkWal } from './wal-check.ts'

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
  `CREATE TABLE versions (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     state BLOB NOT NULL,
     PRIMARY KEY (board_id, id)
   ) WITHOUT ROWID;`,
  `CREATE TABLE deleted_boards (
     id TEXT PRIMARY KEY,
     deleted_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
]

export function openSqliteStorage(dataDir: string): Storage {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'snurra.sqlite')
  // Before SQLite opens it: once opened, a damaged log is replayed up to the damage and then
  // checkpointed away, with nothing said.
  const problems = inspectWal(file)
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  // FULL: a commit is fsynced before it returns, so "appended before broadcast" holds across
  // power loss too, not only across a crash of this process.
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // Deleted boards must really be gone from the file (GDPR erasure), not linger in free pages.
  db.pragma('secure_delete = ON')
  migrate(db)
  problems.push(...quickCheck(db))

  const q = {
    insertBoard: db.prepare('INSERT INTO boards (id, title, template_id, created_at) VALUES (?, ?, ?, ?)'),
    getBoard: db.prepare<[string], { id: string; title: string; template_id: string; created_at: number }>(
      'SELECT id, title, template_id, created_at FROM boards WHERE id = ?',
    ),
    listBoards: db.prepare<[], { id: string; title: string; template_id: string; created_at: number }>(
      'SELECT id, title, template_id, created_at FROM boards ORDER BY created_at, id',
    ),
    insertVersion: db.prepare('INSERT INTO versions (board_id, id, name, created_at, state) VALUES (?, ?, ?, ?, ?)'),
    listVersions: db.prepare<[string], { id: string; name: string; created_at: number }>(
      'SELECT id, name, created_at FROM versions WHERE board_id = ? ORDER BY created_at, id',
    ),
    getVersion: db.prepare<[string, string], { id: string; name: string; created_at: number; state: Buffer }>(
      'SELECT id, name, created_at, state FROM versions WHERE board_id = ? AND id = ?',
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
    insertTombstone: db.prepare('INSERT OR IGNORE INTO deleted_boards (id, deleted_at) VALUES (?, ?)'),
    getTombstone: db.prepare<[string], { id: string }>('SELECT id FROM deleted_boards WHERE id = ?'),
    getState: db.prepare<[string, string], { value: string }>('SELECT value FROM board_state WHERE board_id = ? AND key = ?'),
    setState: db.prepare(
      'INSERT INTO board_state (board_id, key, value) VALUES (?, ?, ?) ON CONFLICT(board_id, key) DO UPDATE SET value = excluded.value',
    ),
    deleteState: db.prepare('DELETE FROM board_state WHERE board_id = ? AND key = ?'),
    listState: db.prepare<[{ id: string; prefix: string }], { key: string }>(
      'SELECT key FROM board_state WHERE board_id = @id AND substr(key, 1, length(@prefix)) = @prefix ORDER BY key',
    ),
  }

  // The next sequence number per loaded board, so an append is one INSERT, not a MAX() scan. It
  // moves only once the transaction commits: a failed append must not leave a hole, since
  // compaction and catching up stop at the first one.
  const nextSeq = new Map<string, number>()
  const createBoard = db.transaction((info: BoardInfo, state: Uint8Array) => {
    q.insertBoard.run(info.id, info.title, info.templateId, info.createdAt)
    q.upsertSnapshot.run(info.id, state, 0)
  })
  const insertMany = db.transaction((id: string, first: number, updates: Uint8Array[]) =>
    updates.map((update, i) => {
      q.insertUpdate.run(id, first + i, update)
      return first + i
    }),
  )
  const appendMany = (id: string, updates: Uint8Array[]): number[] => {
    const first = nextSeq.get(id) ?? (q.maxSeq.get({ id })?.seq ?? 0) + 1
    try {
      const seqs = insertMany(id, first, updates)
      nextSeq.set(id, first + updates.length)
      return seqs
    } catch (err) {
      nextSeq.delete(id) // read afresh next time
      throw err
    }
  }
  const compact = db.transaction((id: string, snapshot: Uint8Array, uptoSeq: number) => {
    // Never replace a snapshot with an older one (same rule as PostgreSQL's, see storage.ts).
    if ((q.getSnapshot.get(id)?.upto_seq ?? -1) < uptoSeq) q.upsertSnapshot.run(id, snapshot, uptoSeq)
    q.deleteUpdatesUpTo.run(id, uptoSeq)
  })

  // One synchronous read transaction, so a compaction cannot fall between snapshot and log.
  const loadSince = db.transaction((id: string, afterSeq: number): StoredBoard => {
    const snap = q.getSnapshot.get(id)
    const withSnapshot = snap !== undefined && snap.upto_seq > afterSeq
    const from = withSnapshot ? snap.upto_seq : Math.max(afterSeq, 0)
    const rows = q.getUpdates.all(id, from)
    return {
      snapshot: withSnapshot ? new Uint8Array(snap.state) : null,
      updates: rows.map((r) => new Uint8Array(r.data)),
      lastSeq: rows.length ? rows[rows.length - 1].seq : from,
      seqs: rows.map((r) => r.seq),
      baseSeq: from,
    }
  })

  return {
    async createBoard(info, state) {
      createBoard(info, state)
    },
    async getBoard(id) {
      const row = q.getBoard.get(id)
      return row ? boardInfo(row) : null
    },
    async listBoards() {
      return q.listBoards.all().map(boardInfo)
    },
    async saveVersion(boardId, info, state) {
      q.insertVersion.run(boardId, info.id, info.name, info.createdAt, state)
    },
    async listVersions(boardId) {
      return q.listVersions.all(boardId).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }))
    },
    async getVersion(boardId, versionId) {
      const row = q.getVersion.get(boardId, versionId)
      return row ? { info: { id: row.id, name: row.name, createdAt: row.created_at }, state: new Uint8Array(row.state) } : null
    },
    async loadBoard(id) {
      return loadSince(id, -1)
    },
    async loadSince(id, afterSeq) {
      return loadSince(id, afterSeq)
    },
    async appendUpdates(id, updates) {
      return updates.length ? appendMany(id, updates) : []
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
      // ON DELETE CASCADE takes the log, snapshot, versions and private state with it.
      db.transaction(() => {
        q.deleteBoard.run(id)
        q.insertTombstone.run(id, Date.now())
      })()
      nextSeq.delete(id)
      // Erasure: do not leave the deleted rows readable in free pages or the WAL.
      db.pragma('wal_checkpoint(TRUNCATE)')
    },
    async exclusive(_key, fn) {
      // One process owns a SQLite file (instances cannot share it), and within a process the
      // callers already serialise: nothing to lock.
      return fn()
    },
    async wasDeleted(id) {
      return q.getTombstone.get(id) !== undefined
    },
    async ping() {
      db.prepare('SELECT 1').get()
    },
    async integrityProblems() {
      return [...problems]
    },
    async close() {
      db.close()
    },
  }
}

const boardInfo = (row: { id: string; title: string; template_id: string; created_at: number }) => ({
  id: row.id,
  title: row.title,
  templateId: row.template_id,
  createdAt: row.created_at,
})

/**
 * A write-ahead log left by a server that stopped without checkpointing: if committed frames
 * follow a damaged one, SQLite will drop them. Says so, and keeps a copy of the log beside the
 * database (the dropped commits are still in it, for whoever recovers them).
 */
function inspectWal(file: string): string[] {
  const walFile = `${file}-wal`
  if (!existsSync(walFile)) return []
  const report = checkWal(readFileSync(walFile))
  if (!report || report.lostCommits === 0) return []
  const copy = `${walFile}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`
  copyFileSync(walFile, copy)
  return [
    `the write-ahead log is damaged at frame ${report.firstBadFrame}: ${report.lostCommits} committed transaction(s) after it cannot be replayed and are missing from the database (a copy of the log is kept in ${copy}); restore from a backup`,
  ]
}

/** SQLite's own check of the file's structure (quick_check: pages, b-trees, records; not indexes' contents). */
function quickCheck(db: Database.Database): string[] {
  let messages: string[]
  try {
    messages = (db.pragma('quick_check(10)') as { quick_check: string }[]).map((r) => r.quick_check)
  } catch (err) {
    // Damage bad enough that the check itself stops (SQLITE_CORRUPT) is a finding too.
    messages = [(err as Error).message]
  }
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages.map((m) => `PRAGMA quick_check: ${m}`)
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
