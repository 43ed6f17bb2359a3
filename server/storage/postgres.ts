import pg from 'pg'
import type { Logger } from '../log.ts'
import type { BoardInfo, Storage, StoredBoard } from './storage.ts'

/**
 * Schema migrations, applied in order and recorded in `schema_migrations`. Append, never edit:
 * a deployed database has already run the earlier ones. The tables mirror SQLite's, plus
 * `boards.last_seq`, the per-board counter that numbers the log across instances.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE boards (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     template_id TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_seq BIGINT NOT NULL DEFAULT 0
   );
   CREATE TABLE snapshots (
     board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
     state BYTEA NOT NULL,
     upto_seq BIGINT NOT NULL
   );
   CREATE TABLE updates (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     seq BIGINT NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (board_id, seq)
   );
   CREATE TABLE board_state (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (board_id, key)
   );
   CREATE TABLE versions (
     board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     name TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     state BYTEA NOT NULL,
     PRIMARY KEY (board_id, id)
   );`,
  `CREATE TABLE deleted_boards (
     id TEXT PRIMARY KEY,
     deleted_at BIGINT NOT NULL
   );`,
]

// Advisory lock namespaces (the first key of pg_advisory_lock(int, int)); the second key is
// hashtext(board or room). A hash collision only makes two boards wait for each other.
const LOCK_MIGRATIONS = 0x536e7500 // "Snu\0"
const LOCK_COMPACT = 0x536e7501
const LOCK_EXCLUSIVE = 0x536e7502

export interface PostgresOptions {
  log: Logger
  /** Connections for queries (default 10). */
  poolSize?: number
}

/**
 * The storage interface on PostgreSQL, for several instances sharing boards. Safe across
 * instances: an append numbers its update from the board's counter row in the same statement,
 * so one board's sequence is gap-free in commit order; compaction takes an advisory lock and
 * never replaces a snapshot with an older one.
 */
export async function openPostgresStorage(connectionString: string, opts: PostgresOptions): Promise<Storage> {
  const { log } = opts
  const common = { connectionString, connectionTimeoutMillis: 5000, query_timeout: 15_000, statement_timeout: 15_000 }
  const pool = new pg.Pool({ ...common, max: opts.poolSize ?? 10 })
  // Held while `exclusive` runs: a separate pool, so lock holders can never take every
  // connection the work inside the lock needs. lock_timeout bounds the wait for a lock whose
  // holder hangs (a holder that dies loses its connection, and PostgreSQL frees the lock).
  const lockPool = new pg.Pool({ ...common, max: 10, lock_timeout: 10_000 })
  // An idle connection that PostgreSQL drops (restart, failover) emits 'error' on the pool;
  // unhandled, it would take the process down. The next query opens a new connection.
  for (const p of [pool, lockPool]) p.on('error', (err) => log.warn('postgresql connection lost', { error: err.message }))

  try {
    await migrate(pool)
  } catch (err) {
    await Promise.all([pool.end(), lockPool.end()])
    throw err
  }

  const loadSince = async (id: string, afterSeq: number): Promise<StoredBoard> => {
    // One statement is one MVCC snapshot: a compaction cannot fall between snapshot and log.
    const { rows } = await pool.query<{ seq: string | null; upto: string | null; data: Buffer }>(
      `SELECT NULL AS seq, upto_seq AS upto, state AS data FROM snapshots WHERE board_id = $1 AND upto_seq > $2
       UNION ALL
       SELECT seq, NULL, data FROM updates WHERE board_id = $1 AND seq > $2`,
      [id, afterSeq],
    )
    const snap = rows.find((r) => r.seq === null)
    const from = snap ? Number(snap.upto) : Math.max(afterSeq, 0)
    const logged = rows
      .filter((r) => r.seq !== null && Number(r.seq) > from)
      .map((r) => ({ seq: Number(r.seq), data: new Uint8Array(r.data) }))
      .sort((a, b) => a.seq - b.seq)
    return {
      snapshot: snap ? new Uint8Array(snap.data) : null,
      updates: logged.map((r) => r.data),
      lastSeq: logged.length ? logged[logged.length - 1].seq : from,
      seqs: logged.map((r) => r.seq),
      baseSeq: from,
    }
  }

  return {
    async createBoard(info, state) {
      // One statement, so a board never exists without its first state.
      await pool.query(
        `WITH b AS (INSERT INTO boards (id, title, template_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id)
         INSERT INTO snapshots (board_id, state, upto_seq) SELECT id, $5, 0 FROM b`,
        [info.id, info.title, info.templateId, info.createdAt, Buffer.from(state)],
      )
    },
    async getBoard(id) {
      const { rows } = await pool.query<BoardRow>('SELECT id, title, template_id, created_at FROM boards WHERE id = $1', [id])
      return rows[0] ? boardInfo(rows[0]) : null
    },
    async listBoards() {
      const { rows } = await pool.query<BoardRow>('SELECT id, title, template_id, created_at FROM boards ORDER BY created_at, id')
      return rows.map(boardInfo)
    },
    loadBoard: (id) => loadSince(id, -1),
    loadSince,
    async appendUpdates(id, updates) {
      if (updates.length === 0) return []
      // One statement: the counter row moves by the batch's size and is locked until commit, so
      // appends to one board (from any instance) commit one batch at a time in sequence order:
      // nobody can see seq 8 while 7 is still in flight, and a failed statement takes no numbers.
      const { rows } = await pool.query<{ seq: string }>(
        `WITH next AS (UPDATE boards SET last_seq = last_seq + cardinality($2::bytea[]) WHERE id = $1 RETURNING last_seq)
         INSERT INTO updates (board_id, seq, data)
         SELECT $1, next.last_seq - cardinality($2::bytea[]) + u.ord, u.data FROM next, unnest($2::bytea[]) WITH ORDINALITY AS u(data, ord)
         RETURNING seq`,
        [id, updates.map((u) => Buffer.from(u))],
      )
      if (rows.length === 0) throw new Error(`no such board: ${id}`)
      return rows.map((r) => Number(r.seq)).sort((a, b) => a - b)
    },
    async compact(id, snapshot, uptoSeq) {
      await transaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_COMPACT, id])
        await client.query(
          `INSERT INTO snapshots (board_id, state, upto_seq) VALUES ($1, $2, $3)
           ON CONFLICT (board_id) DO UPDATE SET state = excluded.state, upto_seq = excluded.upto_seq
           WHERE snapshots.upto_seq < excluded.upto_seq`,
          [id, Buffer.from(snapshot), uptoSeq],
        )
        // Safe whether or not ours was written: the stored snapshot now covers uptoSeq.
        await client.query('DELETE FROM updates WHERE board_id = $1 AND seq <= $2', [id, uptoSeq])
      })
    },
    async getState(id, key) {
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM board_state WHERE board_id = $1 AND key = $2', [id, key])
      return rows[0] ? JSON.parse(rows[0].value) : null
    },
    async setState(id, key, value) {
      if (value === null || value === undefined) {
        await pool.query('DELETE FROM board_state WHERE board_id = $1 AND key = $2', [id, key])
      } else {
        await pool.query(
          'INSERT INTO board_state (board_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (board_id, key) DO UPDATE SET value = excluded.value',
          [id, key, JSON.stringify(value)],
        )
      }
    },
    async listStateKeys(id, prefix) {
      const { rows } = await pool.query<{ key: string }>(
        'SELECT key FROM board_state WHERE board_id = $1 AND starts_with(key, $2) ORDER BY key COLLATE "C"',
        [id, prefix],
      )
      return rows.map((r) => r.key)
    },
    async saveVersion(boardId, info, state) {
      await pool.query('INSERT INTO versions (board_id, id, name, created_at, state) VALUES ($1, $2, $3, $4, $5)', [
        boardId,
        info.id,
        info.name,
        info.createdAt,
        Buffer.from(state),
      ])
    },
    async listVersions(boardId) {
      const { rows } = await pool.query<{ id: string; name: string; created_at: string }>(
        'SELECT id, name, created_at FROM versions WHERE board_id = $1 ORDER BY created_at, id',
        [boardId],
      )
      return rows.map((r) => ({ id: r.id, name: r.name, createdAt: Number(r.created_at) }))
    },
    async getVersion(boardId, versionId) {
      const { rows } = await pool.query<{ id: string; name: string; created_at: string; state: Buffer }>(
        'SELECT id, name, created_at, state FROM versions WHERE board_id = $1 AND id = $2',
        [boardId, versionId],
      )
      const row = rows[0]
      return row ? { info: { id: row.id, name: row.name, createdAt: Number(row.created_at) }, state: new Uint8Array(row.state) } : null
    },
    async deleteBoard(id) {
      // ON DELETE CASCADE takes the log, snapshot, versions and private state with it. The
      // dead rows are unreadable at once and their space is reused after (auto)vacuum.
      await pool.query(
        'WITH gone AS (DELETE FROM boards WHERE id = $1) INSERT INTO deleted_boards (id, deleted_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
        [id, Date.now()],
      )
    },
    async wasDeleted(id) {
      const { rows } = await pool.query('SELECT 1 FROM deleted_boards WHERE id = $1', [id])
      return rows.length > 0
    },
    async exclusive(key, fn) {
      const client = await checkout(lockPool, log)
      let healthy = true
      try {
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [LOCK_EXCLUSIVE, key])
        try {
          return await fn()
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_EXCLUSIVE, key]).catch(() => (healthy = false))
        }
      } catch (err) {
        healthy = false
        throw err
      } finally {
        // A connection whose unlock may not have run is closed, which frees any lock it holds.
        client.release(!healthy)
      }
    },
    async ping() {
      await pool.query('SELECT 1')
    },
    async close() {
      await Promise.all([pool.end(), lockPool.end()])
    },
  }
}

interface BoardRow {
  id: string
  title: string
  template_id: string
  created_at: string
}

const boardInfo = (row: BoardRow): BoardInfo => ({ id: row.id, title: row.title, templateId: row.template_id, createdAt: Number(row.created_at) })

/**
 * A connection taken from the pool. pg emits 'error' on a checked-out connection that the
 * server drops between queries (a restart, a terminated backend); without a listener that
 * error would take the whole process down. The next query on it fails instead.
 */
async function checkout(pool: pg.Pool, log?: Logger): Promise<pg.PoolClient> {
  const client = await pool.connect()
  const onError = (err: Error) => log?.warn('postgresql connection lost', { error: err.message })
  client.on('error', onError)
  const release = client.release.bind(client)
  client.release = (destroy?: boolean | Error) => {
    client.off('error', onError)
    release(destroy)
  }
  return client
}

async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await checkout(pool)
  try {
    await client.query('BEGIN')
    const result = await fn(client)
    await client.query('COMMIT')
    client.release()
    return result
  } catch (err) {
    // A failed ROLLBACK means the connection is unusable: drop it rather than return it.
    await client.query('ROLLBACK').then(
      () => client.release(),
      () => client.release(true),
    )
    throw err
  }
}

/**
 * Runs the migrations not yet recorded, each in its own transaction, under an advisory lock:
 * two instances starting together never both run one.
 */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await checkout(pool)
  let healthy = true
  try {
    await client.query('SELECT pg_advisory_lock($1, 0)', [LOCK_MIGRATIONS])
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())')
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations')
      const done = new Set(rows.map((r) => r.version))
      for (let v = 1; v <= MIGRATIONS.length; v++) {
        if (done.has(v)) continue
        await client.query('BEGIN')
        try {
          await client.query(MIGRATIONS[v - 1])
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v])
          await client.query('COMMIT')
        } catch (err) {
          await client.query('ROLLBACK').catch(() => (healthy = false))
          throw err
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_MIGRATIONS]).catch(() => (healthy = false))
    }
  } finally {
    client.release(!healthy)
  }
}
