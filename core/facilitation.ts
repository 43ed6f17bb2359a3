import { jsonEqual } from './record-store.ts'
import type { Role } from './roles.ts'

/**
 * Facilitation: the rules of a live session, as pure functions. The server is the only writer
 * of this state (in the board document's `facilitation` map); clients send intents, the server
 * runs `applyIntent` with the sender's role and identity, and writes the result. Keeping the
 * rules here, not in the server, lets the client explain why a button is disabled with the
 * same logic that will judge its intent.
 */
export const FACILITATION_KEY = 'facilitation'

export interface TimerState {
  status: 'idle' | 'running' | 'paused'
  /** Server time when a running timer reaches zero. */
  endsAt: number | null
  /** Time left while paused (or the full duration when idle). */
  remainingMs: number
  durationMs: number
}

export interface VoteState {
  status: 'idle' | 'open' | 'closed'
  /** Changes with every new vote, so ballots of an old vote never count in a new one. */
  round: number
  votesPerPerson: number
  allowMultiplePerCard: boolean
  hideResultsUntilEnd: boolean
  /** Cards that can be voted on; null means every activity on the board. */
  cardIds: string[] | null
  /** Totals per card: live when results are not hidden, else written when the vote closes. */
  results: Record<string, number>
  /**
   * How many have voted (shown even while results are hidden). Without accounts this counts
   * devices (device keys), not people: one person with two browsers votes twice.
   */
  voters: number
  /** The facilitator asked for a display name with every vote. */
  requireName: boolean
  /**
   * Ballots per display name, most first, so the facilitator can spot one name voting from
   * several devices. Never which cards: only how many ballots carried the name.
   */
  ballotsByName: NameCount[]
}

export interface NameCount {
  /** As the voter gave it; '' for ballots cast without a name. */
  name: string
  ballots: number
}

export interface AgendaStep {
  id: string
  title: string
  /** Switching to this step turns private mode on or off (undefined leaves it). */
  privateMode?: boolean
  /** Switching to this step opens a vote on all activities. */
  openVote?: boolean
}

export interface AgendaState {
  steps: AgendaStep[]
  current: number
}

export interface AttentionState {
  /** Increases every time the facilitator calls everyone: clients react to a new value. */
  seq: number
  by: string
  camera: { x: number; y: number; z: number } | null
}

export interface FacilitationState {
  locked: boolean
  privateMode: boolean
  timer: TimerState
  vote: VoteState
  agenda: AgendaState
  attention: AttentionState
}

export function initialFacilitation(): FacilitationState {
  return {
    locked: false,
    privateMode: false,
    timer: { status: 'idle', endsAt: null, remainingMs: 5 * 60_000, durationMs: 5 * 60_000 },
    vote: { status: 'idle', round: 0, votesPerPerson: 3, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, results: {}, voters: 0, requireName: false, ballotsByName: [] },
    agenda: { steps: [], current: -1 },
    attention: { seq: 0, by: '', camera: null },
  }
}

/** Milliseconds left on the timer at server time `now`. */
export function timerRemaining(timer: TimerState, now: number): number {
  if (timer.status === 'running' && timer.endsAt !== null) return Math.max(0, timer.endsAt - now)
  return timer.remainingMs
}

/** A person's ballot in the current vote: card id → number of votes. */
export type Ballot = Record<string, number>

export function ballotSize(ballot: Ballot): number {
  let n = 0
  for (const v of Object.values(ballot)) n += v
  return n
}

export function tally(ballots: Iterable<Ballot>): { results: Record<string, number>; voters: number } {
  // Counted in a Map: card ids are keys a client chose, and `results[id] ??=` would read prototypes.
  const results = new Map<string, number>()
  let voters = 0
  for (const ballot of ballots) {
    if (ballotSize(ballot) > 0) voters++
    for (const [card, n] of Object.entries(ballot)) if (n > 0) results.set(card, (results.get(card) ?? 0) + n)
  }
  return { results: Object.fromEntries(results), voters }
}

/** The longest display name kept with a vote. */
export const MAX_VOTER_NAME = 80

/**
 * Ballots per display name: each non-empty ballot counts once under the name its voter gave
 * (names compared without case and surrounding space), most first, then by name.
 */
export function ballotsByName(ballots: Iterable<{ ballot: Ballot; name: string | undefined }>): NameCount[] {
  const counts = new Map<string, NameCount>()
  for (const { ballot, name } of ballots) {
    if (ballotSize(ballot) === 0) continue
    const shown = (name ?? '').trim().replace(/\s+/g, ' ')
    const key = shown.toLocaleLowerCase('sv')
    const entry = counts.get(key) ?? { name: shown, ballots: 0 }
    entry.ballots++
    counts.set(key, entry)
  }
  return [...counts.values()].sort((a, b) => b.ballots - a.ballots || a.name.localeCompare(b.name, 'sv'))
}

/** Whether a participant may edit the board's content right now. */
export function canEditContent(role: Role, state: Pick<FacilitationState, 'locked'>): boolean {
  if (role === 'viewer') return false
  return role === 'facilitator' || !state.locked
}

/** The facilitation state as stored in the document, with defaults for anything missing. */
export function readFacilitation(doc: import('yjs').Doc): FacilitationState {
  const map = doc.getMap(FACILITATION_KEY)
  const state = initialFacilitation() as unknown as Record<string, unknown>
  for (const key of Object.keys(state)) {
    const value = map.get(key)
    if (value !== undefined) state[key] = value
  }
  return state as unknown as FacilitationState
}

/** Writes the keys of `next` that differ from what the document holds (server only). */
export function writeFacilitation(doc: import('yjs').Doc, next: FacilitationState): void {
  const map = doc.getMap(FACILITATION_KEY)
  for (const [key, value] of Object.entries(next)) {
    if (!jsonEqual(map.get(key), value)) map.set(key, value)
  }
}
