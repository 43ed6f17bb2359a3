/** 20 batches a second: as often as Snurra's client publishes a cursor. */
export const AWARENESS_INTERVAL_MS = 50

/**
 * The interval for a room of `connections`: 50 ms up to 50 people, then 1 ms per person. A batch
 * holds up to one state per person, so this keeps the presence bytes each client receives (and,
 * since y-websocket echoes them, sends back) about the same however big the room gets — well
 * inside the per-connection byte limit — at the cost of slower cursors in very big rooms.
 */
export function awarenessInterval(connections: number): number {
  return Math.max(AWARENESS_INTERVAL_MS, connections)
}

/**
 * Collects the awareness client ids that changed in a room and hands them out at most once per
 * interval. Without it every cursor move of every client is forwarded to every other client at
 * once: 200 people in a board moving their cursors 20 times a second would be 800,000 frames a
 * second. Batched, each client gets at most one awareness frame per interval, holding the latest
 * state of everyone who changed, however many that is.
 *
 * The first change after a quiet interval goes out at once (no added latency for a lone
 * cursor); changes that follow within the interval wait for its end.
 */
export class AwarenessBatch {
  private readonly pending = new Set<number>()
  private timer: NodeJS.Timeout | null = null
  private lastFlush = -Infinity

  private readonly intervalMs: () => number

  /** `intervalMs`: fixed, or read at each batch (it may follow the room's size). */
  constructor(
    intervalMs: number | (() => number),
    private readonly flush: (clientIds: number[]) => void,
  ) {
    this.intervalMs = typeof intervalMs === 'number' ? () => intervalMs : intervalMs
  }

  add(clientIds: Iterable<number>): void {
    for (const id of clientIds) this.pending.add(id)
    if (this.timer || this.pending.size === 0) return
    const wait = this.lastFlush + this.intervalMs() - performance.now()
    if (wait <= 0) this.run()
    else {
      this.timer = setTimeout(() => this.run(), wait)
      this.timer.unref()
    }
  }

  /** Drops what is pending (the room is unloading). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending.clear()
  }

  private run(): void {
    this.timer = null
    this.lastFlush = performance.now()
    const ids = [...this.pending]
    this.pending.clear()
    this.flush(ids)
  }
}
