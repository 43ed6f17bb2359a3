import { ballotSize, initialFacilitation, MAX_VOTER_NAME, timerRemaining, type AgendaStep, type Ballot, type FacilitationState } from './facilitation.ts'
import type { Role } from './roles.ts'

/**
 * What a client may ask of the facilitation state. Decoding checks the shape of untrusted
 * input; `applyIntent` checks the rules (who may, and whether it makes sense now).
 */
export type Intent =
  | { type: 'timer.start'; durationMs: number }
  | { type: 'timer.pause' }
  | { type: 'timer.resume' }
  | { type: 'timer.add'; ms: number }
  | { type: 'timer.stop' }
  | { type: 'vote.open'; votesPerPerson: number; allowMultiplePerCard: boolean; hideResultsUntilEnd: boolean; cardIds: string[] | null; requireName?: boolean }
  | { type: 'vote.close' }
  | { type: 'vote.cast'; cardId: string; name?: string }
  | { type: 'vote.retract'; cardId: string }
  | { type: 'private.set'; on: boolean }
  | { type: 'private.reveal' }
  | { type: 'lock.set'; locked: boolean }
  | { type: 'agenda.set'; steps: AgendaStep[] }
  | { type: 'agenda.go'; index: number }
  | { type: 'attention.summon'; camera: { x: number; y: number; z: number } }

export type IntentType = Intent['type']

export const INTENT_ERRORS = ['invalid', 'forbidden', 'no-identity', 'no-vote', 'no-votes-left', 'one-per-card', 'not-voted', 'unknown-card', 'name-required'] as const
export type IntentError = (typeof INTENT_ERRORS)[number]

const PARTICIPANT_INTENTS: ReadonlySet<IntentType> = new Set(['vote.cast', 'vote.retract'])
const MAX_TIMER_MS = 24 * 3600_000
const MAX_STEPS = 30
const MAX_CARDS = 5000

export class IntentDecodeError extends Error {
  override name = 'IntentDecodeError'
}

/** Untrusted JSON → Intent, or throws IntentDecodeError naming the problem. */
export function decodeIntent(value: unknown): Intent {
  const o = obj(value, 'intent')
  const type = o.type
  switch (type) {
    case 'timer.start':
      return { type, durationMs: int(o.durationMs, 'durationMs', 1000, MAX_TIMER_MS) }
    case 'timer.add':
      return { type, ms: int(o.ms, 'ms', -MAX_TIMER_MS, MAX_TIMER_MS) }
    case 'timer.pause':
    case 'timer.resume':
    case 'timer.stop':
    case 'vote.close':
    case 'private.reveal':
      return { type }
    case 'vote.open': {
      const cardIds = o.cardIds === null || o.cardIds === undefined ? null : strings(o.cardIds, 'cardIds', MAX_CARDS)
      return {
        type,
        votesPerPerson: int(o.votesPerPerson ?? 3, 'votesPerPerson', 1, 100),
        allowMultiplePerCard: bool(o.allowMultiplePerCard ?? false, 'allowMultiplePerCard'),
        hideResultsUntilEnd: bool(o.hideResultsUntilEnd ?? true, 'hideResultsUntilEnd'),
        cardIds,
        requireName: bool(o.requireName ?? false, 'requireName'),
      }
    }
    case 'vote.cast': {
      const name = o.name === undefined ? undefined : str(o.name, 'name', MAX_VOTER_NAME).trim()
      return name ? { type, cardId: str(o.cardId, 'cardId', 200), name } : { type, cardId: str(o.cardId, 'cardId', 200) }
    }
    case 'vote.retract':
      return { type, cardId: str(o.cardId, 'cardId', 200) }
    case 'private.set':
      return { type, on: bool(o.on, 'on') }
    case 'lock.set':
      return { type, locked: bool(o.locked, 'locked') }
    case 'agenda.set': {
      if (!Array.isArray(o.steps) || o.steps.length > MAX_STEPS) throw new IntentDecodeError(`steps must be an array of at most ${MAX_STEPS}`)
      const steps = o.steps.map((raw, i) => {
        const s = obj(raw, `steps[${i}]`)
        const step: AgendaStep = { id: str(s.id, `steps[${i}].id`, 64), title: str(s.title, `steps[${i}].title`, 200) }
        if (s.privateMode !== undefined) step.privateMode = bool(s.privateMode, `steps[${i}].privateMode`)
        if (s.openVote !== undefined) step.openVote = bool(s.openVote, `steps[${i}].openVote`)
        return step
      })
      return { type, steps }
    }
    case 'agenda.go':
      return { type, index: int(o.index, 'index', -1, MAX_STEPS - 1) }
    case 'attention.summon': {
      const c = obj(o.camera, 'camera')
      return { type, camera: { x: num(c.x, 'camera.x'), y: num(c.y, 'camera.y'), z: num(c.z, 'camera.z') } }
    }
    default:
      throw new IntentDecodeError(`unknown intent type ${JSON.stringify(type)?.slice(0, 40)}`)
  }
}

export interface IntentContext {
  state: FacilitationState
  role: Role
  /** The sender's person id (from their device key), or null for an anonymous connection. */
  personId: string | null
  /** The sender's ballot in the current vote. */
  ballot: Ballot
  now: number
  cardExists(id: string): boolean
}

export type IntentOutcome =
  | { ok: true; state: FacilitationState; ballot?: Ballot; reveal?: boolean }
  | { ok: false; error: IntentError }

export function applyIntent(ctx: IntentContext, intent: Intent): IntentOutcome {
  const { role, now } = ctx
  if (role === 'viewer') return fail('forbidden')
  if (role !== 'facilitator' && !PARTICIPANT_INTENTS.has(intent.type)) return fail('forbidden')
  const state = structuredClone(ctx.state)
  const timer = state.timer
  switch (intent.type) {
    case 'timer.start':
      state.timer = { status: 'running', durationMs: intent.durationMs, remainingMs: intent.durationMs, endsAt: now + intent.durationMs }
      return done(state)
    case 'timer.pause':
      if (timer.status !== 'running') return fail('invalid')
      state.timer = { ...timer, status: 'paused', remainingMs: timerRemaining(timer, now), endsAt: null }
      return done(state)
    case 'timer.resume':
      if (timer.status !== 'paused') return fail('invalid')
      state.timer = { ...timer, status: 'running', endsAt: now + timer.remainingMs }
      return done(state)
    case 'timer.add': {
      const left = Math.max(0, timerRemaining(timer, now) + intent.ms)
      state.timer = timer.status === 'running' ? { ...timer, endsAt: now + left } : { ...timer, remainingMs: left }
      return done(state)
    }
    case 'timer.stop':
      state.timer = { status: 'idle', endsAt: null, remainingMs: timer.durationMs, durationMs: timer.durationMs }
      return done(state)
    case 'vote.open': {
      if (intent.cardIds?.some((id) => !ctx.cardExists(id))) return fail('unknown-card')
      state.vote = {
        status: 'open',
        round: state.vote.round + 1,
        votesPerPerson: intent.votesPerPerson,
        allowMultiplePerCard: intent.allowMultiplePerCard,
        hideResultsUntilEnd: intent.hideResultsUntilEnd,
        cardIds: intent.cardIds,
        results: {},
        voters: 0,
        requireName: intent.requireName ?? false,
        ballotsByName: [],
      }
      return done(state)
    }
    case 'vote.close':
      if (state.vote.status !== 'open') return fail('no-vote')
      state.vote = { ...state.vote, status: 'closed' }
      return done(state)
    case 'vote.cast': {
      const vote = state.vote
      if (vote.status !== 'open') return fail('no-vote')
      if (!ctx.personId) return fail('no-identity')
      if (vote.requireName && !intent.name) return fail('name-required')
      if (!ctx.cardExists(intent.cardId) || (vote.cardIds && !vote.cardIds.includes(intent.cardId))) return fail('unknown-card')
      if (ballotSize(ctx.ballot) >= vote.votesPerPerson) return fail('no-votes-left')
      const onCard = votesOn(ctx.ballot, intent.cardId)
      if (onCard > 0 && !vote.allowMultiplePerCard) return fail('one-per-card')
      return { ok: true, state, ballot: { ...ctx.ballot, [intent.cardId]: onCard + 1 } }
    }
    case 'vote.retract': {
      if (state.vote.status !== 'open') return fail('no-vote')
      if (!ctx.personId) return fail('no-identity')
      const onCard = votesOn(ctx.ballot, intent.cardId)
      if (onCard === 0) return fail('not-voted')
      // Rebuilt rather than assigned: `ballot['__proto__'] = n` would not set an own key.
      const ballot = Object.fromEntries(Object.entries(ctx.ballot).flatMap(([id, n]) => (id !== intent.cardId ? [[id, n]] : onCard > 1 ? [[id, onCard - 1]] : [])))
      return { ok: true, state, ballot }
    }
    case 'private.set':
      state.privateMode = intent.on
      return done(state)
    case 'private.reveal':
      state.privateMode = false
      return { ok: true, state, reveal: true }
    case 'lock.set':
      state.locked = intent.locked
      return done(state)
    case 'agenda.set': {
      const current = Math.min(state.agenda.current, intent.steps.length - 1)
      state.agenda = { steps: intent.steps, current }
      return done(state)
    }
    case 'agenda.go': {
      if (intent.index >= state.agenda.steps.length) return fail('invalid')
      state.agenda = { ...state.agenda, current: intent.index }
      const step = state.agenda.steps[intent.index]
      let reveal = false
      if (step?.privateMode !== undefined) {
        // Leaving private mode through the agenda reveals, as the facilitator's button does.
        reveal = state.privateMode && !step.privateMode
        state.privateMode = step.privateMode
      }
      if (step?.openVote) {
        const base = state.vote
        state.vote = { ...initialFacilitation().vote, votesPerPerson: base.votesPerPerson, allowMultiplePerCard: base.allowMultiplePerCard, hideResultsUntilEnd: base.hideResultsUntilEnd, status: 'open', round: base.round + 1 }
      }
      return { ok: true, state, reveal }
    }
    case 'attention.summon':
      state.attention = { seq: state.attention.seq + 1, by: ctx.personId ?? '', camera: intent.camera }
      return done(state)
  }
}

/**
 * Votes on one card. The card id is the client's: read as an own key only, or "toString"
 * would read a function and turn the ballot into NaN, which no vote limit ever stops.
 */
const votesOn = (ballot: Ballot, cardId: string): number => (Object.hasOwn(ballot, cardId) && typeof ballot[cardId] === 'number' ? ballot[cardId] : 0)

const done = (state: FacilitationState): IntentOutcome => ({ ok: true, state })
const fail = (error: IntentError): IntentOutcome => ({ ok: false, error })

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new IntentDecodeError(`${field} must be an object`)
  return v as Record<string, unknown>
}
function str(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new IntentDecodeError(`${field} must be a string of 1 to ${max} characters`)
  return v
}
function strings(v: unknown, field: string, max: number): string[] {
  if (!Array.isArray(v) || v.length > max) throw new IntentDecodeError(`${field} must be an array of at most ${max}`)
  return v.map((s, i) => str(s, `${field}[${i}]`, 200))
}
function int(v: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new IntentDecodeError(`${field} must be a whole number from ${min} to ${max}`)
  return v as number
}
function num(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new IntentDecodeError(`${field} must be a finite number`)
  return v
}
function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new IntentDecodeError(`${field} must be true or false`)
  return v
}
