import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * A consistent copy of the whole SQLite database, taken with SQLite's online backup API: safe
 * beside a running server (it copies one committed state, whatever is being written meanwhile),
 * and the copy is checked before it counts. This is what a nightly job keeps: restoring it
 * brings every board back with the same ids, so the links keep working (with the same secret).
 */
export async function backupSqliteFile(dataDir: string, outDir: string): Promise<string> {
  const target = join(outDir, 'snurra.sqlite')
  // A stale copy from an earlier run must not be mistaken for this one if the backup fails.
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(target + suffix)) rmSync(target + suffix)
  const source = new Database(join(dataDir, 'snurra.sqlite'), { readonly: true, fileMustExist: true })
  try {
    await source.backup(target)
  } finally {
    source.close()
  }
  const copy = new Database(target, { fileMustExist: true })
  try {
    // One self-contained file (the copy inherits WAL mode): nothing beside it to forget when copying it on.
    copy.pragma('journal_mode = DELETE')
    const result = (copy.pragma('quick_check(10)') as { quick_check: string }[]).map((r) => r.quick_check)
    if (result.length !== 1 || result[0] !== 'ok') throw new Error(`the copy fails quick_check: ${result.join('; ')}`)
  } finally {
    copy.close()
  }
  return target
}
