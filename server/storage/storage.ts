/**
 * The one storage interface. SQLite (embedded default) and PostgreSQL (scale-out) sit behind it;
 * rooms never know which. Every method is async so a networked store fits the same shape.
 */
export interface BoardInfo {
  id: string
  title: string
  templateId: string
  createdAt: number
}

/** A named, frozen copy of a board's document ("Workshop 2026-11-23", "Uppföljning 2027"). */
export interface VersionInfo {
  id: string
  name: string
  createdAt: number
}

export interface StoredBoard {
  /** A full Yjs state (compacted log), or null when the board has never been compacted. */
  snapshot: Uint8Array | null
  /** Updates appended after the snapshot, oldest first. */
  updates: Uint8Array[]
  /** Sequence number of the last update in `updates` (or covered by the snapshot). */
  lastSeq: number
  /**
   * For the integrity check (server/storage/integrity.ts): the sequence number of each update,
   * and the one the log continues from (the snapshot's, or the `afterSeq` asked for).
   */
  seqs?: number[]
  baseSeq?: number
}

export interface Storage {
  /** Creates the board with its first state, atomically. */
  createBoard(info: BoardInfo, initialState: Uint8Array): Promise<void>
  getBoard(id: string): Promise<BoardInfo | null>
  /** Every board, oldest first (backups). */
  listBoards(): Promise<BoardInfo[]>
  loadBoard(id: string): Promise<StoredBoard>
  /**
   * What a loaded document that already holds every update up to `afterSeq` may lack: the
   * updates after it, and the snapshot too when a compaction has dropped some of those from the
   * log. Another instance's updates are caught up this way (the database is the source of truth).
   */
  loadSince(id: string, afterSeq: number): Promise<StoredBoard>
  /**
   * Durably appends updates in one transaction (one fsync); resolves only once they are on disk.
   * Returns their sequence numbers: one board's are 1, 2, 3… without gaps, in commit order,
   * across every instance sharing the storage, so "every update up to N" is a well-defined point
   * to catch up from or compact to. A failed append stores nothing and takes no numbers.
   */
  appendUpdates(id: string, updates: Uint8Array[]): Promise<number[]>
  /**
   * Replaces the snapshot and drops the updates it covers (seq <= uptoSeq), in one transaction.
   * `snapshot` must hold every update up to `uptoSeq`. A snapshot older than the stored one is
   * not written (another instance compacted further meanwhile); the covered updates still go.
   */
  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
  /**
   * Server-private JSON beside the document (ballots of a secret vote, private drafts): never
   * sent to clients as a whole. `null` deletes the key.
   */
  getState(id: string, key: string): Promise<unknown>
  setState(id: string, key: string, value: unknown): Promise<void>
  listStateKeys(id: string, prefix: string): Promise<string[]>
  saveVersion(boardId: string, info: VersionInfo, state: Uint8Array): Promise<void>
  /** The board's versions, oldest first. */
  listVersions(boardId: string): Promise<VersionInfo[]>
  getVersion(boardId: string, versionId: string): Promise<{ info: VersionInfo; state: Uint8Array } | null>
  /**
   * Removes the board and everything stored with it — log, snapshot, versions, server-private
   * state (ballots, drafts, person-linked data) — so an erasure request can be honoured.
   */
  deleteBoard(id: string): Promise<void>
  /**
   * Whether a board of this id was deleted (a tombstone of the id alone, nothing else): lets
   * the server say "gone" rather than "never existed", and so lets browsers drop their copies.
   */
  wasDeleted(id: string): Promise<boolean>
  /**
   * Runs `fn` while no other process sharing this storage runs one under the same key (a board's
   * facilitation intents, a person's private drafts): check-then-act across instances. Within
   * one process callers serialise on their own (a room's queue).
   */
  exclusive<T>(key: string, fn: () => Promise<T>): Promise<T>
  /** Cheap liveness check for /healthz. */
  ping(): Promise<void>
  /**
   * Damage found when the store was opened (SQLite: a WAL whose committed frames were
   * discarded, PRAGMA quick_check): one sentence each, for the log and /healthz. Empty: none.
   */
  integrityProblems?(): Promise<string[]>
  close(): Promise<void>
}
