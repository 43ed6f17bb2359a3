/**
 * Which of a board's log entries a loaded document holds. Sequence numbers are gap-free per
 * board (see Storage.appendUpdate), so "every update up to `covered`" is exact; updates that
 * arrived early (another instance's message overtook an earlier one, or one was lost) wait in
 * `ahead` until the hole before them is filled.
 */
export class SeqWindow {
  private upTo = 0
  private readonly ahead = new Set<number>()

  /** Every update with a sequence number up to this one is in the document. */
  get covered(): number {
    return this.upTo
  }

  /** Whether the document holds an update while an earlier one is missing. */
  get hasGap(): boolean {
    return this.ahead.size > 0
  }

  /** One update is in the document. */
  add(seq: number): void {
    if (seq <= this.upTo) return
    this.ahead.add(seq)
    this.advance()
  }

  /** Everything up to `seq` is in the document (loaded or caught up from storage). */
  coverTo(seq: number): void {
    if (seq <= this.upTo) return
    this.upTo = seq
    for (const s of this.ahead) if (s <= seq) this.ahead.delete(s)
    this.advance()
  }

  private advance(): void {
    while (this.ahead.delete(this.upTo + 1)) this.upTo++
  }
}
