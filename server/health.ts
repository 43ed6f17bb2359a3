/**
 * What `/healthz` reports beyond "storage answers": damage found in the data (a database that
 * failed its integrity check when opened, a board whose stored log has a hole or an update
 * that does not decode). A fault stays until the server restarts: it needs a person (restore
 * from a backup), not a retry. Never holds board content; a board fault names its id.
 */
export interface Fault {
  /** `database`, or `board:<id>`. */
  scope: string
  reason: string
  since: string
}

/** Board faults listed at most (each one is also in the log); the count says how many in all. */
const MAX_LISTED = 50

export class Health {
  private readonly faults = new Map<string, Fault>()
  private total = 0

  /** Records a fault (once per scope and reason). */
  fault(scope: string, reason: string): void {
    const key = `${scope}\n${reason}`
    if (this.faults.has(key)) return
    this.total++
    if (this.faults.size < MAX_LISTED) this.faults.set(key, { scope, reason, since: new Date().toISOString() })
  }

  /** A board whose stored state failed server/storage/integrity.ts's check. */
  boardFault(boardId: string, problems: string[]): void {
    for (const problem of problems) this.fault(`board:${boardId}`, problem)
  }

  report(): { ok: boolean; faults: Fault[]; faultCount: number } {
    return { ok: this.total === 0, faults: [...this.faults.values()], faultCount: this.total }
  }
}
