import type { Quotas } from './config.ts'
import { HttpError } from './http-util.ts'
import type { Metrics } from './metrics.ts'

/**
 * What one board may hold (MAX_BOARD_BYTES, MAX_VERSIONS_PER_BOARD, MAX_BACKUP_BYTES; a person's
 * drafts have MAX_DRAFTS_BYTES in the drafts room). A request that would pass one is refused
 * whole, before anything is written, with a code the client words in the user's language, and
 * counted in `snurra_api_refused_total{reason}`. Together they bound a board's disk use: its
 * document plus at most `maxVersions` frozen copies, each no larger than `maxBoardBytes`.
 */
export const QUOTA_ERRORS = {
  boardBytes: 'board-too-large',
  versions: 'too-many-versions',
  backupBytes: 'backup-too-large',
} as const

export class QuotaGuard {
  constructor(
    readonly quotas: Quotas,
    private readonly metrics: Metrics,
  ) {}

  /** A board document (now, restored, or to be frozen as a version) of `bytes`. */
  checkBoardBytes(bytes: number): void {
    if (bytes <= this.quotas.maxBoardBytes) return
    this.metrics.apiRefused.inc({ reason: 'board_bytes' })
    throw new HttpError(413, `the board is larger than this server allows (${bytes} of at most ${this.quotas.maxBoardBytes} bytes); nothing was changed`, {
      code: QUOTA_ERRORS.boardBytes,
      limit: this.quotas.maxBoardBytes,
    })
  }

  /** A board that would hold `count` versions. */
  checkVersions(count: number): void {
    if (count <= this.quotas.maxVersions) return
    this.metrics.apiRefused.inc({ reason: 'versions' })
    throw new HttpError(409, `a board keeps at most ${this.quotas.maxVersions} versions; nothing was changed`, {
      code: QUOTA_ERRORS.versions,
      limit: this.quotas.maxVersions,
    })
  }

  /** Turns readBody's 413 for a backup into the backup quota's error. */
  backupTooLarge(): HttpError {
    this.metrics.apiRefused.inc({ reason: 'backup_bytes' })
    return new HttpError(413, `a backup may be at most ${this.quotas.maxBackupBytes} bytes; nothing was restored`, {
      code: QUOTA_ERRORS.backupBytes,
      limit: this.quotas.maxBackupBytes,
    })
  }
}
