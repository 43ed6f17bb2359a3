import type { Logger } from '../log.ts'
import { openPostgresStorage } from './postgres.ts'
import { openSqliteStorage } from './sqlite.ts'
import type { Storage } from './storage.ts'

/** The configured store: PostgreSQL when a DATABASE_URL is given, else SQLite in the data directory. */
export async function openStorage(opts: { dataDir: string; databaseUrl?: string; log: Logger }): Promise<Storage> {
  return opts.databaseUrl ? openPostgresStorage(opts.databaseUrl, { log: opts.log }) : openSqliteStorage(opts.dataDir)
}
