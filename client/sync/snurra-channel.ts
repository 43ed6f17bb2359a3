import { atom, type Atom, type Signal } from 'tldraw'
import type { WebsocketProvider } from 'y-websocket'
import type { Ballot } from '../../core/facilitation.ts'
import type { Intent, IntentError } from '../../core/intents.ts'
import { encodeSnurraMessage, MAX_REJECTED_IDS, MESSAGE_SNURRA, readSnurraPayload, type RejectReason, type ServerSnurraMessage } from '../../core/messages.ts'

export type IntentResult = { ok: true } | { ok: false; error: IntentError | 'malformed' | 'offline' | 'timeout' }
export type { RejectReason }
/** A refused update: why, and the records it was about (absent: all of it). */
export type Refusal = { reason: RejectReason; records?: string[] }

const REASONS: readonly string[] = ['locked', 'read-only', 'facilitator-only', 'server-only', 'unknown-target', 'invalid', 'too-large', 'drafts-full'] satisfies RejectReason[]

/**
 * Refusals that arrive before we stopped sending, as one: the first one's reason, the records of
 * all (or the whole update, as soon as one of them is about all of it).
 */
export function mergeRefusals(prev: Refusal | null, next: Refusal): Refusal {
  if (!prev) return next
  if (!prev.records || !next.records) return { reason: prev.reason }
  return { reason: prev.reason, records: [...new Set([...prev.records, ...next.records])] }
}

/** The refusal in a server message; an unknown reason still counts as one (the whole update). */
export function readRefusal(message: Record<string, unknown>): Refusal {
  const reason = (REASONS.includes(message.reason as string) ? message.reason : 'invalid') as RejectReason
  const records = message.records
  if (!Array.isArray(records) || records.length === 0) return { reason }
  return { reason, records: records.filter((id): id is string => typeof id === 'string').slice(0, MAX_REJECTED_IDS) }
}

/** A count from the server, as a whole number of records; anything else counts as none. */
export function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0
}

const RESULT_TIMEOUT_MS = 10_000

/**
 * Snurra's own messages (type 100) on the board's y-websocket connection: intents out,
 * results, the server's clock, this person's ballot and refused updates in. Registered as a
 * message handler on the provider, so it rides the same socket and reconnects with it.
 */
export class SnurraChannel {
  /** This person's board-scoped id, from the server's hello (null until then). */
  readonly personId: Atom<string | null> = atom('personId', null)
  /** This person's ballot and the vote round it belongs to. */
  readonly ballot: Atom<{ round: number; ballot: Ballot }> = atom('ballot', { round: 0, ballot: {} })
  /** Set when the server refused one of our updates: our local copy has diverged. */
  readonly rejected: Atom<Refusal | null> = atom('rejected', null)
  /** Stored records the server kept out of the board when it loaded it (told to the facilitator only). */
  readonly quarantined: Atom<number> = atom('quarantined', 0)
  /** The server found the board's stored data damaged: it is read-only until restored from a backup. */
  readonly damaged: Atom<boolean> = atom('damaged', false)
  private readonly offset = atom('clockOffset', 0)
  private nextId = 1
  private readonly pending = new Map<number, { resolve(result: IntentResult): void; timer: ReturnType<typeof setTimeout> }>()

  constructor(private readonly provider: WebsocketProvider) {
    provider.messageHandlers[MESSAGE_SNURRA] = (_encoder, decoder) => {
      try {
        this.receive(readSnurraPayload(decoder) as ServerSnurraMessage)
      } catch (error) {
        console.warn('[snurra] unreadable server message', (error as Error).message)
      }
    }
    provider.on('status', this.onStatus)
  }

  /** Milliseconds between the server's clock and ours, as of the last hello. */
  get clockOffset(): Signal<number> {
    return this.offset
  }

  /** The server's time now, as far as we can tell (one-way latency is the error). */
  serverNow(): number {
    return Date.now() + this.offset.get()
  }

  /** Sends an intent; resolves with the server's verdict, or offline/timeout. Never rejects. */
  send(intent: Intent): Promise<IntentResult> {
    const ws = this.provider.ws
    if (!ws || !this.provider.wsconnected || ws.readyState !== WebSocket.OPEN) return Promise.resolve({ ok: false, error: 'offline' })
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, { ok: false, error: 'timeout' }), RESULT_TIMEOUT_MS)
      this.pending.set(id, { resolve, timer })
      ws.send(encodeSnurraMessage({ t: 'intent', id, intent }))
    })
  }

  destroy(): void {
    this.provider.off('status', this.onStatus)
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, error: 'offline' })
  }

  private receive(message: ServerSnurraMessage): void {
    switch (message.t) {
      case 'hello':
        if (typeof message.now === 'number') this.offset.set(message.now - Date.now())
        this.personId.set(typeof message.personId === 'string' ? message.personId : null)
        this.setBallot(message.round, message.ballot)
        return
      case 'result':
        if (message.ok) this.settle(message.id, { ok: true })
        else this.settle(message.id, { ok: false, error: message.error })
        return
      case 'ballot':
        this.setBallot(message.round, message.ballot)
        return
      case 'rejected':
        this.rejected.set(mergeRefusals(this.rejected.get(), readRefusal(message as unknown as Record<string, unknown>)))
        return
      case 'quarantined':
        this.quarantined.set(readCount(message.count))
        return
      case 'damaged':
        this.damaged.set(true)
        return
    }
  }

  private setBallot(round: unknown, ballot: unknown): void {
    if (typeof round !== 'number' || typeof ballot !== 'object' || ballot === null) return
    // Rebuilt from entries: card ids are keys, and `clean['__proto__'] = n` would not make one.
    const clean: Ballot = Object.fromEntries(Object.entries(ballot).filter(([, n]) => typeof n === 'number' && n > 0))
    this.ballot.set({ round, ballot: clean })
  }

  private settle(id: number, result: IntentResult): void {
    const entry = this.pending.get(id)
    if (!entry) return
    this.pending.delete(id)
    clearTimeout(entry.timer)
    entry.resolve(result)
  }

  // An intent in flight on a socket that closed has no answer coming: tell the caller now.
  private onStatus = ({ status }: { status: string }) => {
    if (status === 'connected') return
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, error: 'offline' })
  }
}
