/**
 * Polls a server's `/healthz` every ~20 ms and keeps each answer's latency and status: how long
 * the server's event loop was blocked, seen from outside. A request still unanswered counts
 * with the time it has waited so far, so a server stalled for minutes is noticed at once
 * (`worst()` grows while it waits) and a test need not wait for the stall to end.
 */
export interface HealthSample {
  ms: number
  /** HTTP status, or 0 when the request failed or timed out. */
  status: number
}

export class HealthProbe {
  readonly samples: HealthSample[] = []
  private running = true
  private inFlightSince: number | null = null
  private readonly loop: Promise<void>

  constructor(
    private readonly url: string,
    private readonly intervalMs = 20,
    private readonly timeoutMs = 120_000,
  ) {
    this.loop = this.run()
  }

  /** The worst latency so far, counting the request still waiting. */
  worst(): number {
    const pending = this.inFlightSince === null ? 0 : performance.now() - this.inFlightSince
    return Math.max(pending, ...this.samples.map((s) => s.ms))
  }

  /** Statuses other than 200 seen so far. */
  failures(): HealthSample[] {
    return this.samples.filter((s) => s.status !== 200)
  }

  /** Stops after the request in flight (never longer than its timeout). */
  async stop(): Promise<void> {
    this.running = false
    await this.loop
  }

  /** Stops without waiting for the request in flight (a stalled server may never answer). */
  abandon(): void {
    this.running = false
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = performance.now()
      this.inFlightSince = started
      let status = 0
      try {
        const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(this.timeoutMs) })
        await res.arrayBuffer()
        status = res.status
      } catch {
        status = 0
      }
      this.inFlightSince = null
      this.samples.push({ ms: performance.now() - started, status })
      if (this.running) await new Promise((r) => setTimeout(r, this.intervalMs))
    }
  }
}
