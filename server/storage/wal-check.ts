/**
 * Reads a SQLite write-ahead log the way SQLite's recovery does, to tell a log that simply ends
 * (a crash mid-transaction: nothing acknowledged is lost) from one that was damaged (a frame
 * fails its checksum, yet committed frames of the same generation follow it). SQLite silently
 * drops everything after the first bad frame, so in the second case acknowledged commits would
 * vanish without a word: this is how we notice. Format: https://www.sqlite.org/fileformat.html#walformat
 */
export interface WalReport {
  /** Frames of the current generation (matching salts) that SQLite will replay. */
  validFrames: number
  /** Commit frames of the current generation after the first bad frame: commits SQLite drops. */
  lostCommits: number
  /** Index (0-based) of the first bad frame of the current generation, or null. */
  firstBadFrame: number | null
}

const HEADER = 32
const FRAME_HEADER = 24

export function checkWal(wal: Uint8Array): WalReport | null {
  if (wal.length < HEADER) return null
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength)
  const magic = view.getUint32(0)
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return null
  // The low bit of the magic says in which byte order the checksum reads its words.
  const bigEndian = (magic & 1) === 1
  const pageSize = view.getUint32(8) || 65536
  const salt1 = view.getUint32(16)
  const salt2 = view.getUint32(20)
  let sums = checksum(view, 0, 24, [0, 0], bigEndian)
  if (sums[0] !== view.getUint32(24) || sums[1] !== view.getUint32(28)) return null // header itself damaged: SQLite ignores the log

  const frameSize = FRAME_HEADER + pageSize
  const report: WalReport = { validFrames: 0, lostCommits: 0, firstBadFrame: null }
  let lastCommitValid = 0
  for (let i = 0, at = HEADER; at + frameSize <= wal.length; i++, at += frameSize) {
    if (view.getUint32(at + 8) !== salt1 || view.getUint32(at + 12) !== salt2) break // an older generation's leftovers
    const isCommit = view.getUint32(at + 4) !== 0
    const stored: [number, number] = [view.getUint32(at + 16), view.getUint32(at + 20)]
    // Each frame's checksum continues from the one stored in the frame before it, so a frame can
    // be judged on its own even after a bad one.
    const computed = checksum(view, at + FRAME_HEADER, pageSize, checksum(view, at, 8, sums, bigEndian), bigEndian)
    const ok = view.getUint32(at) !== 0 && computed[0] === stored[0] && computed[1] === stored[1]
    if (report.firstBadFrame === null) {
      if (ok) {
        if (isCommit) lastCommitValid = i + 1
      } else report.firstBadFrame = i
    } else if (ok && isCommit) report.lostCommits++
    sums = stored
  }
  report.validFrames = lastCommitValid
  return report
}

/** SQLite's WAL checksum: two running 32-bit sums over pairs of 32-bit words. */
function checksum(view: DataView, offset: number, length: number, start: [number, number], bigEndian: boolean): [number, number] {
  let [s1, s2] = start
  for (let i = offset; i < offset + length; i += 8) {
    s1 = (s1 + view.getUint32(i, !bigEndian) + s2) >>> 0
    s2 = (s2 + view.getUint32(i + 4, !bigEndian) + s1) >>> 0
  }
  return [s1, s2]
}
