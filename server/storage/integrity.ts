import * as Y from 'yjs'
import type { StoredBoard } from './storage.ts'

/**
 * Is a board as loaded from storage whole? Its log must continue from the snapshot without a
 * hole (seq base+1, base+2, …, lastSeq), and the snapshot and every update must decode as Yjs.
 * A fault here means acknowledged edits are missing or unreadable: the board must not be edited
 * on top of it as if nothing happened (it opens read-only, the facilitator is told, /healthz
 * says so). Pure: no storage, no clock; cost is one decode per stored update.
 */
export type BoardIntegrity = { ok: true } | { ok: false; problems: string[] }

/** At most this many problems are listed (a board with a thousand bad updates needs one line). */
const MAX_PROBLEMS = 10

export function checkStoredBoard(stored: StoredBoard): BoardIntegrity {
  const problems: string[] = []
  const note = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem)
  }
  if (stored.snapshot && !decodes(stored.snapshot)) note('the snapshot does not decode')
  if (stored.seqs) {
    if (stored.seqs.length !== stored.updates.length) note(`${stored.updates.length} updates but ${stored.seqs.length} sequence numbers`)
    let expected = (stored.baseSeq ?? 0) + 1
    for (const seq of stored.seqs) {
      if (seq !== expected) note(seq > expected ? `updates ${expected}–${seq - 1} are missing` : `update ${seq} is out of order`)
      expected = seq + 1
    }
    if (stored.seqs.length && stored.lastSeq !== stored.seqs[stored.seqs.length - 1]) note(`the log ends at ${stored.seqs[stored.seqs.length - 1]}, not at ${stored.lastSeq}`)
  }
  stored.updates.forEach((update, i) => {
    if (!decodes(update)) note(`update ${stored.seqs?.[i] ?? `#${i + 1}`} does not decode`)
  })
  return problems.length ? { ok: false, problems } : { ok: true }
}

function decodes(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update)
    return true
  } catch {
    return false
  }
}
