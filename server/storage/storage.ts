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

export interface StoredBoard {
  /** A full Yjs state (compacted log), or null when the board has never been compacted. */
  snapshot: Uint8Array | null
  /** Updates appended after the snapshot, oldest first. */
  updates: Uint8Array[]
  /** Sequence number of the last update in `updates` (or covered by the snapshot). */
  lastSeq: number
}

export interface Storage {
  /** Creates the board with its first state, atomically. */
  createBoard(info: BoardInfo, initialState: Uint8Array): Promise<void>
  getBoard(id: string): Promise<BoardInfo | null>
  loadBoard(id: string): Promise<StoredBoard>
  /** Durably appends one update; resolves only once it is on disk. Returns its sequence number. */
  appendUpdate(id: string, update: Uint8Array): Promise<number>
  /** Replaces the snapshot and drops the updates it covers (seq <= uptoSeq), in one transaction. */
  compact(id: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
  /**
   * Server-private JSON beside the document (ballots of a secret vote, private drafts): never
   * sent to clients as a whole. `null` deletes the key.
   */
  getState(id: string, key: string): Promise<unknown>
  setState(id: string, key: string, value: unknown): Promise<void>
  listStateKeys(id: string, prefix: string): Promise<string[]>
  deleteBoard(id: string): Promise<void>
  /** Cheap liveness check for /healthz. */
  ping(): Promise<void>
  close(): Promise<void>
}
