/**
 * Per-update caps, so that any frame within MAX_PAYLOAD_BYTES is judged and applied in bounded
 * time. Yjs's cost grows faster than linearly with both (measured in bench/RESULTS.md, "hostile"):
 * 1,000 splitting deletions cost ~20 ms, 10,000 several seconds; 5,000 items one placement pass
 * and ~30 ms in Yjs. A real client's edit is a few items; a reconnect after a long offline
 * session that passes them is refused as `too-large`, and its rebase then writes each changed
 * record once, which fits.
 */
export const UPDATE_LIMITS = {
  /** Structs (items and garbage-collected ranges) in one update. */
  structs: 5_000,
  /** Delete ranges that cut a live item in two. */
  splits: 1_000,
  /**
   * Ranges in the delete set, counted before decoding. A client's sync sends its whole delete
   * set, merged into ranges: a board with years of edits has thousands, not tens of thousands.
   */
  deleteRanges: 50_000,
} as const
