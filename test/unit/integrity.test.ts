import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { checkStoredBoard } from '../../server/storage/integrity.ts'
import { checkWal } from '../../server/storage/wal-check.ts'

function updates(n: number): Uint8Array[] {
  const doc = new Y.Doc()
  const out: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => out.push(u))
  for (let i = 0; i < n; i++) doc.getMap('m').set(`k${i}`, `value ${i}`)
  return out
}

describe('checkStoredBoard', () => {
  const [a, b, c] = updates(3)
  const snapshot = Y.mergeUpdates([a])

  it('a whole board passes: snapshot, then the log continuing from it without a hole', () => {
    expect(checkStoredBoard({ snapshot, updates: [b, c], lastSeq: 6, seqs: [5, 6], baseSeq: 4 })).toEqual({ ok: true })
    expect(checkStoredBoard({ snapshot: null, updates: [a, b], lastSeq: 2, seqs: [1, 2], baseSeq: 0 })).toEqual({ ok: true })
    expect(checkStoredBoard({ snapshot, updates: [], lastSeq: 4, seqs: [], baseSeq: 4 })).toEqual({ ok: true })
  })

  it('a hole in the sequence, an update out of order, and a log that ends short are faults', () => {
    expect(checkStoredBoard({ snapshot, updates: [b, c], lastSeq: 8, seqs: [5, 8], baseSeq: 4 })).toEqual({ ok: false, problems: ['updates 6–7 are missing'] })
    expect(checkStoredBoard({ snapshot, updates: [b], lastSeq: 7, seqs: [7], baseSeq: 4 })).toMatchObject({ ok: false, problems: ['updates 5–6 are missing'] })
    expect(checkStoredBoard({ snapshot: null, updates: [b, c], lastSeq: 2, seqs: [2, 1], baseSeq: 0 })).toMatchObject({ ok: false })
    expect(checkStoredBoard({ snapshot: null, updates: [a, b], lastSeq: 5, seqs: [1, 2], baseSeq: 0 })).toMatchObject({ ok: false, problems: ['the log ends at 2, not at 5'] })
  })

  it('an update or a snapshot that does not decode is a fault, named by its sequence number', () => {
    const broken = b.slice(0, b.length - 2)
    expect(checkStoredBoard({ snapshot, updates: [broken, c], lastSeq: 6, seqs: [5, 6], baseSeq: 4 })).toEqual({ ok: false, problems: ['update 5 does not decode'] })
    expect(checkStoredBoard({ snapshot: new Uint8Array([1, 2, 3]), updates: [], lastSeq: 4, seqs: [], baseSeq: 4 })).toEqual({ ok: false, problems: ['the snapshot does not decode'] })
  })

  it('lists at most ten problems however many there are', () => {
    const junk = Array.from({ length: 50 }, () => new Uint8Array([9, 9, 9]))
    const verdict = checkStoredBoard({ snapshot: null, updates: junk, lastSeq: 50, seqs: junk.map((_, i) => i + 1), baseSeq: 0 })
    expect(verdict.ok).toBe(false)
    expect(!verdict.ok && verdict.problems.length).toBe(10)
  })
})

describe('checkWal', () => {
  let dir: string
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** A real WAL: ten committed transactions, read while the database is still open (not checkpointed). */
  function realWal(): { wal: Buffer; pageSize: number } {
    dir = mkdtempSync(join(tmpdir(), 'snurra-wal-'))
    const db = new Database(join(dir, 'x.sqlite'))
    db.pragma('journal_mode = WAL')
    db.pragma('wal_autocheckpoint = 0')
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)')
    for (let i = 0; i < 10; i++) db.prepare('INSERT INTO t (v) VALUES (?)').run(Buffer.alloc(3000, i))
    const wal = readFileSync(join(dir, 'x.sqlite-wal'))
    const pageSize = db.pragma('page_size', { simple: true }) as number
    db.close()
    return { wal, pageSize }
  }

  it('an intact log: every frame replays, nothing lost', () => {
    const { wal, pageSize } = realWal()
    const frames = (wal.length - 32) / (24 + pageSize)
    expect(checkWal(wal)).toEqual({ validFrames: frames, lostCommits: 0, firstBadFrame: null })
  })

  it('a damaged frame with commits after it: those commits are reported lost', () => {
    const { wal, pageSize } = realWal()
    const damaged = Buffer.from(wal)
    damaged[32 + 2 * (24 + pageSize) + 24 + 100] ^= 0xff // inside frame 2's page
    const report = checkWal(damaged)!
    expect(report.firstBadFrame).toBe(2)
    expect(report.validFrames).toBeLessThanOrEqual(2)
    expect(report.lostCommits).toBeGreaterThanOrEqual(8)
  })

  it('a log that just ends mid-transaction (a crash) loses nothing that was committed', () => {
    const { wal, pageSize } = realWal()
    const cut = wal.subarray(0, wal.length - Math.floor(pageSize / 2)) // the last frame torn
    expect(checkWal(cut)).toMatchObject({ lostCommits: 0, firstBadFrame: null })
    expect(checkWal(Buffer.alloc(10))).toBeNull()
  })
})
