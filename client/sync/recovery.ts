import type { IndexeddbPersistence } from 'y-indexeddb'
import type * as Y from 'yjs'
import { replaceLocalCopy } from './local-copies.ts'
import { countChanges, rebase } from './rebase.ts'
import type { RefusalReport } from './refusal-report.ts'
import { fetchServerState } from './server-state.ts'
import type { Refusal } from './snurra-channel.ts'

// IndexedDB can hang (some private modes): the rebased state is handed over in memory as well.
const IDB_WAIT_MS = 3000
const RETRY_MAX_MS = 30_000

/** One of a board's two documents whose update the server refused. */
export interface RefusedCopy {
  doc: Y.Doc
  idb: IndexeddbPersistence
  /** Its IndexedDB database (local-copies.ts). */
  dbName: string
  /** Its room on the server: the board id, or `<board>/private`. */
  room: string
  /** The refusal as it stands now (later refusals before we stopped sending are merged in). */
  refusal(): Refusal | null
}

export interface Recovered {
  /** The rebased document, for the next connection to start from. */
  state: Uint8Array
  report: RefusalReport
}

/**
 * After the server refused one of our updates (and we stopped sending): fetches the server's
 * state, rebases our own changes onto it without the refused records (rebase.ts), and makes
 * that the browser's copy, IndexedDB included, so the refused update is never offered again.
 * Fetching is retried (we may be offline again) until `signal` aborts.
 */
export async function recoverFromRefusal(copy: RefusedCopy, params: Record<string, string>, signal: AbortSignal): Promise<Recovered> {
  const server = await fetchWithRetry(copy.room, params, signal)
  const refusal = copy.refusal() ?? { reason: 'invalid' as const }
  const result = rebase(copy.doc, server, refusal.records)
  // Nothing more from the old document may reach IndexedDB: it holds the refused update.
  // (destroy() stops that at once; its promise only closes the database.)
  const closed = copy.idb.destroy()
  try {
    await Promise.race([closed.then(() => replaceLocalCopy(copy.dbName, result.state)), timeout(IDB_WAIT_MS)])
  } catch (error) {
    console.warn('[snurra] could not replace the local copy after a refusal', (error as Error).message)
  }
  const titles = result.dropped.filter((d) => d.typeName === 'shape' && d.title).map((d) => d.title)
  console.info('[snurra] rebased after a refused update', { room: copy.room, reason: refusal.reason, kept: result.kept.length, dropped: result.dropped.length })
  return { state: result.state, report: { reason: refusal.reason, count: countChanges(result.dropped), titles } }
}

async function fetchWithRetry(room: string, params: Record<string, string>, signal: AbortSignal): Promise<Uint8Array> {
  for (let attempt = 0; ; attempt++) {
    if (signal.aborted) throw new Error('aborted')
    try {
      return await fetchServerState(room, params)
    } catch (error) {
      console.warn('[snurra] could not fetch the server state after a refusal; retrying', (error as Error).message)
      await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_MAX_MS, 1000 * 2 ** attempt)))
    }
  }
}

const timeout = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))
