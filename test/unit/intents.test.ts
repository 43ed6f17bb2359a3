/**
 * core/intents.ts: `decodeIntent` on untrusted input (it never throws anything but
 * IntentDecodeError, and what it returns is a clean intent) and `applyIntent`'s rules.
 */
import { describe, expect, it } from 'vitest'
import { canEditContent, initialFacilitation, tally, timerRemaining, type Ballot, type FacilitationState } from '../../core/facilitation.ts'
import { applyIntent, decodeIntent, IntentDecodeError, type Intent, type IntentContext } from '../../core/intents.ts'
import type { Role } from '../../core/roles.ts'

const VALID: Array<[unknown, Intent]> = [
  [{ type: 'timer.start', durationMs: 60_000 }, { type: 'timer.start', durationMs: 60_000 }],
  [{ type: 'timer.start', durationMs: 1000 }, { type: 'timer.start', durationMs: 1000 }],
  [{ type: 'timer.start', durationMs: 24 * 3600_000 }, { type: 'timer.start', durationMs: 24 * 3600_000 }],
  [{ type: 'timer.add', ms: -24 * 3600_000 }, { type: 'timer.add', ms: -24 * 3600_000 }],
  [{ type: 'timer.pause', extra: 'dropped' }, { type: 'timer.pause' }],
  [{ type: 'timer.resume' }, { type: 'timer.resume' }],
  [{ type: 'timer.stop' }, { type: 'timer.stop' }],
  [{ type: 'vote.open' }, { type: 'vote.open', votesPerPerson: 3, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, requireName: false }],
  [
    { type: 'vote.open', votesPerPerson: 100, allowMultiplePerCard: true, hideResultsUntilEnd: false, cardIds: ['shape:a'], requireName: true },
    { type: 'vote.open', votesPerPerson: 100, allowMultiplePerCard: true, hideResultsUntilEnd: false, cardIds: ['shape:a'], requireName: true },
  ],
  [{ type: 'vote.open', cardIds: null }, { type: 'vote.open', votesPerPerson: 3, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, requireName: false }],
  [{ type: 'vote.cast', cardId: 'shape:card-1', name: '  Anna ' }, { type: 'vote.cast', cardId: 'shape:card-1', name: 'Anna' }],
  [{ type: 'vote.close' }, { type: 'vote.close' }],
  [{ type: 'vote.cast', cardId: 'shape:card-1' }, { type: 'vote.cast', cardId: 'shape:card-1' }],
  [{ type: 'vote.retract', cardId: 'x'.repeat(200) }, { type: 'vote.retract', cardId: 'x'.repeat(200) }],
  [{ type: 'private.set', on: false }, { type: 'private.set', on: false }],
  [{ type: 'private.reveal', on: true }, { type: 'private.reveal' }],
  [{ type: 'lock.set', locked: true }, { type: 'lock.set', locked: true }],
  [
    { type: 'agenda.set', steps: [{ id: 'a', title: 'Inventera', privateMode: true, color: 'red' }, { id: 'b', title: 'Prioritera', openVote: true }] },
    { type: 'agenda.set', steps: [{ id: 'a', title: 'Inventera', privateMode: true }, { id: 'b', title: 'Prioritera', openVote: true }] },
  ],
  [{ type: 'agenda.set', steps: [] }, { type: 'agenda.set', steps: [] }],
  [{ type: 'agenda.go', index: -1 }, { type: 'agenda.go', index: -1 }],
  [{ type: 'agenda.go', index: 29 }, { type: 'agenda.go', index: 29 }],
  [{ type: 'attention.summon', camera: { x: -1.5, y: 0, z: 2, w: 9 } }, { type: 'attention.summon', camera: { x: -1.5, y: 0, z: 2 } }],
]

const MALFORMED: unknown[] = [
  undefined,
  null,
  0,
  'timer.start',
  true,
  [],
  [{ type: 'timer.stop' }],
  {},
  { type: null },
  { type: 42 },
  { type: 'TIMER.STOP' },
  { type: 'timer.stop ' },
  { type: 'toString' },
  { type: 'constructor' },
  { type: '__proto__' },
  JSON.parse('{"__proto__":{"type":"timer.stop"}}'),
  { type: 'timer.start' },
  { type: 'timer.start', durationMs: 999 },
  { type: 'timer.start', durationMs: 24 * 3600_000 + 1 },
  { type: 'timer.start', durationMs: 1500.5 },
  { type: 'timer.start', durationMs: '60000' },
  { type: 'timer.start', durationMs: 1e400 },
  { type: 'timer.add', ms: 24 * 3600_000 + 1 },
  { type: 'timer.add', ms: null },
  { type: 'vote.open', votesPerPerson: 0 },
  { type: 'vote.open', votesPerPerson: 101 },
  { type: 'vote.open', votesPerPerson: 2.5 },
  { type: 'vote.open', allowMultiplePerCard: 'yes' },
  { type: 'vote.open', hideResultsUntilEnd: 1 },
  { type: 'vote.open', cardIds: 'shape:a' },
  { type: 'vote.open', cardIds: [1] },
  { type: 'vote.open', cardIds: [''] },
  { type: 'vote.open', cardIds: ['x'.repeat(201)] },
  { type: 'vote.open', cardIds: Array.from({ length: 5001 }, (_, i) => `c${i}`) },
  { type: 'vote.cast' },
  { type: 'vote.cast', cardId: '' },
  { type: 'vote.cast', cardId: 'x'.repeat(201) },
  { type: 'vote.cast', cardId: ['shape:a'] },
  { type: 'vote.retract', cardId: { id: 'a' } },
  { type: 'private.set' },
  { type: 'private.set', on: 'true' },
  { type: 'lock.set', locked: 0 },
  { type: 'agenda.set' },
  { type: 'agenda.set', steps: {} },
  { type: 'agenda.set', steps: [null] },
  { type: 'agenda.set', steps: [[]] },
  { type: 'agenda.set', steps: [{ id: 'a' }] },
  { type: 'agenda.set', steps: [{ id: '', title: 'x' }] },
  { type: 'agenda.set', steps: [{ id: 'x'.repeat(65), title: 'x' }] },
  { type: 'agenda.set', steps: [{ id: 'a', title: 'x'.repeat(201) }] },
  { type: 'agenda.set', steps: [{ id: 'a', title: 't', privateMode: 'on' }] },
  { type: 'agenda.set', steps: [{ id: 'a', title: 't', openVote: null }] },
  { type: 'agenda.set', steps: Array.from({ length: 31 }, (_, i) => ({ id: `s${i}`, title: 't' })) },
  { type: 'agenda.go', index: 30 },
  { type: 'agenda.go', index: -2 },
  { type: 'agenda.go', index: '1' },
  { type: 'attention.summon' },
  { type: 'attention.summon', camera: null },
  { type: 'attention.summon', camera: [1, 2, 3] },
  { type: 'attention.summon', camera: { x: 1, y: 2 } },
  { type: 'attention.summon', camera: { x: 1, y: 2, z: '3' } },
]

/** Decodes; anything thrown must be an IntentDecodeError. */
function tryDecode(value: unknown): Intent | IntentDecodeError {
  try {
    return decodeIntent(value)
  } catch (err) {
    if (err instanceof IntentDecodeError) return err
    throw new Error(`decodeIntent threw ${(err as Error)?.name}: ${(err as Error)?.message} for ${JSON.stringify(value)?.slice(0, 200)}`)
  }
}

// A small seeded generator, so a failure is reproducible.
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomJson(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * (depth > 2 ? 6 : 9))
  switch (pick) {
    case 0:
      return null
    case 1:
      return r() < 0.5
    case 2:
      return [0, -1, 1, 999, 1000, 1001, 3, 29, 30, 100, 101, 86_400_000, 86_400_001, -86_400_001, 1.5, 1e308, -0][Math.floor(r() * 17)]
    case 3:
      return ['', 'a', 'x'.repeat(201), 'shape:card-1', 'timer.start', '__proto__', 'ü', '\u0000'][Math.floor(r() * 8)]
    case 4:
      return Math.floor(r() * 2 ** 40) - 2 ** 39
    case 5:
      return String(r())
    case 6:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1))
    default: {
      const keys = ['type', 'id', 'title', 'x', 'y', 'z', 'on', 'locked', 'steps', 'camera', 'cardId', 'cardIds', 'index', 'ms', 'durationMs', 'votesPerPerson', 'privateMode', 'openVote']
      const o: Record<string, unknown> = {}
      for (let i = Math.floor(r() * 4); i > 0; i--) o[keys[Math.floor(r() * keys.length)]] = randomJson(r, depth + 1)
      return o
    }
  }
}

const baseCtx = (over: Partial<IntentContext> = {}): IntentContext => ({
  state: initialFacilitation(),
  role: 'facilitator',
  personId: 'person-a',
  ballot: {},
  now: 1_000_000,
  cardExists: (id) => id.startsWith('shape:card-'),
  ...over,
})

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

describe('decodeIntent', () => {
  it.each(VALID.map(([input, out]) => [JSON.stringify(input).slice(0, 80), input, out] as const))('accepts %s', (_, input, out) => {
    expect(decodeIntent(JSON.parse(JSON.stringify(input)))).toEqual(out)
  })

  it.each(MALFORMED.map((input) => [JSON.stringify(input)?.slice(0, 80) ?? String(input), input] as const))('refuses %s with IntentDecodeError', (_, input) => {
    const out = tryDecode(input)
    expect(out).toBeInstanceOf(IntentDecodeError)
    expect((out as IntentDecodeError).message.length).toBeGreaterThan(0)
  })

  it('never throws anything else on random JSON and mutated intents, and what it returns is clean and applies', () => {
    const r = rng(20240607)
    const roles: Role[] = ['facilitator', 'participant', 'viewer']
    let decoded = 0
    let refused = 0
    for (let i = 0; i < 6000; i++) {
      let value: unknown
      if (i % 2 === 0) {
        value = randomJson(r)
      } else {
        // A valid intent with one field replaced, removed or added.
        const [base] = VALID[Math.floor(r() * VALID.length)]
        const o = { ...(base as Record<string, unknown>) }
        const keys = Object.keys(o)
        const key = r() < 0.7 && keys.length ? keys[Math.floor(r() * keys.length)] : ['camera', 'steps', 'extra', 'cardIds'][Math.floor(r() * 4)]
        if (r() < 0.2) delete o[key]
        else o[key] = randomJson(r, 1)
        value = o
      }
      // Only what JSON.parse can produce reaches the server.
      value = JSON.parse(JSON.stringify(value) ?? 'null')
      const out = tryDecode(value)
      if (out instanceof IntentDecodeError) {
        refused++
        continue
      }
      decoded++
      // Clean: plain JSON, decoding it again gives the same intent (nothing unchecked passed through).
      expect(JSON.parse(JSON.stringify(out))).toEqual(out)
      expect(decodeIntent(out)).toEqual(out)
      // And applying it never throws, whatever the role.
      for (const role of roles) expect(() => applyIntent(baseCtx({ role }), out)).not.toThrow()
    }
    expect(decoded).toBeGreaterThan(200)
    expect(refused).toBeGreaterThan(200)
  })
})

describe('applyIntent: who may', () => {
  const everyIntent: Intent[] = VALID.map(([, out]) => out)

  it('a viewer may do nothing', () => {
    for (const intent of everyIntent) expect(applyIntent(baseCtx({ role: 'viewer' }), intent), intent.type).toEqual({ ok: false, error: 'forbidden' })
  })

  it('a participant may only cast and retract votes', () => {
    for (const intent of everyIntent) {
      const out = applyIntent(baseCtx({ role: 'participant' }), intent)
      if (intent.type === 'vote.cast' || intent.type === 'vote.retract') expect(out, intent.type).not.toEqual({ ok: false, error: 'forbidden' })
      else expect(out, intent.type).toEqual({ ok: false, error: 'forbidden' })
    }
  })

  it('never changes the state it was given', () => {
    const open = applyIntent(baseCtx(), { type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null })
    expect(open.ok).toBe(true)
    const state = deepFreeze((open as { state: FacilitationState }).state)
    for (const intent of [...everyIntent, { type: 'vote.cast', cardId: 'shape:card-1' } as Intent]) {
      for (const role of ['facilitator', 'participant'] as Role[]) {
        expect(() => applyIntent(baseCtx({ state, role, ballot: deepFreeze({ 'shape:card-1': 1 }) }), intent)).not.toThrow()
      }
    }
  })
})

describe('applyIntent: timer', () => {
  const now = 5_000_000
  const run = (state: FacilitationState, intent: Intent, at = now) => {
    const out = applyIntent(baseCtx({ state, now: at }), intent)
    if (!out.ok) throw new Error(out.error)
    return out.state
  }

  it('start, pause, add, resume, stop', () => {
    let s = run(initialFacilitation(), { type: 'timer.start', durationMs: 60_000 })
    expect(s.timer).toEqual({ status: 'running', endsAt: now + 60_000, remainingMs: 60_000, durationMs: 60_000 })
    expect(timerRemaining(s.timer, now + 10_000)).toBe(50_000)
    expect(timerRemaining(s.timer, now + 70_000)).toBe(0)

    s = run(s, { type: 'timer.pause' }, now + 10_000)
    expect(s.timer).toEqual({ status: 'paused', endsAt: null, remainingMs: 50_000, durationMs: 60_000 })
    expect(timerRemaining(s.timer, now + 99_000)).toBe(50_000)
    expect(applyIntent(baseCtx({ state: s }), { type: 'timer.pause' })).toEqual({ ok: false, error: 'invalid' })

    s = run(s, { type: 'timer.add', ms: 30_000 }, now + 20_000)
    expect(s.timer).toEqual({ status: 'paused', endsAt: null, remainingMs: 80_000, durationMs: 60_000 })
    s = run(s, { type: 'timer.add', ms: -100_000 }, now + 20_000)
    expect(s.timer.remainingMs).toBe(0)
    s = run(s, { type: 'timer.add', ms: 40_000 }, now + 20_000)

    s = run(s, { type: 'timer.resume' }, now + 30_000)
    expect(s.timer).toEqual({ status: 'running', endsAt: now + 70_000, remainingMs: 40_000, durationMs: 60_000 })
    expect(applyIntent(baseCtx({ state: s }), { type: 'timer.resume' })).toEqual({ ok: false, error: 'invalid' })
    s = run(s, { type: 'timer.add', ms: 15_000 }, now + 35_000)
    expect(s.timer.endsAt).toBe(now + 85_000)
    s = run(s, { type: 'timer.add', ms: -1_000_000 }, now + 36_000)
    expect(s.timer).toMatchObject({ status: 'running', endsAt: now + 36_000 })

    s = run(s, { type: 'timer.stop' }, now + 40_000)
    expect(s.timer).toEqual({ status: 'idle', endsAt: null, remainingMs: 60_000, durationMs: 60_000 })
    expect(applyIntent(baseCtx({ state: s }), { type: 'timer.pause' })).toEqual({ ok: false, error: 'invalid' })
    expect(applyIntent(baseCtx({ state: s }), { type: 'timer.resume' })).toEqual({ ok: false, error: 'invalid' })
  })

  it('a running timer past its end pauses at zero and adds from zero', () => {
    let s = run(initialFacilitation(), { type: 'timer.start', durationMs: 1000 })
    expect(run(s, { type: 'timer.pause' }, now + 5000).timer.remainingMs).toBe(0)
    s = run(s, { type: 'timer.add', ms: 2000 }, now + 5000)
    expect(s.timer.endsAt).toBe(now + 7000)
  })
})

describe('applyIntent: voting', () => {
  const open = (over: Partial<Extract<Intent, { type: 'vote.open' }>> = {}, state = initialFacilitation()) => {
    const out = applyIntent(baseCtx({ state }), { type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, ...over })
    if (!out.ok) throw new Error(out.error)
    return out.state
  }
  const vote = (state: FacilitationState, intent: Intent, ballot: Ballot, over: Partial<IntentContext> = {}) =>
    applyIntent(baseCtx({ state, role: 'participant', ballot, ...over }), intent)
  const cast = (cardId: string): Intent => ({ type: 'vote.cast', cardId })
  const retract = (cardId: string): Intent => ({ type: 'vote.retract', cardId })

  it('opening starts a new round with fresh results; closing needs an open vote', () => {
    const s = open()
    expect(s.vote).toEqual({ status: 'open', round: 1, votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, results: {}, voters: 0, requireName: false, ballotsByName: [] })
    const again = open({ votesPerPerson: 5 }, { ...s, vote: { ...s.vote, results: { a: 1 }, voters: 1 } })
    expect(again.vote).toMatchObject({ round: 2, votesPerPerson: 5, results: {}, voters: 0 })
    const closed = applyIntent(baseCtx({ state: s }), { type: 'vote.close' })
    expect(closed).toMatchObject({ ok: true, state: { vote: { status: 'closed', round: 1 } } })
    expect(applyIntent(baseCtx({ state: (closed as { state: FacilitationState }).state }), { type: 'vote.close' })).toEqual({ ok: false, error: 'no-vote' })
    expect(applyIntent(baseCtx(), { type: 'vote.close' })).toEqual({ ok: false, error: 'no-vote' })
    expect(applyIntent(baseCtx(), { type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: ['shape:card-1', 'shape:task-x'] })).toEqual({
      ok: false,
      error: 'unknown-card',
    })
  })

  it('casting: needs an open vote, an identity, a known card, votes left, and one per card unless allowed', () => {
    const s = open()
    expect(vote(initialFacilitation(), cast('shape:card-1'), {})).toEqual({ ok: false, error: 'no-vote' })
    expect(vote(s, cast('shape:card-1'), {}, { personId: null })).toEqual({ ok: false, error: 'no-identity' })
    expect(vote(s, cast('shape:task-1'), {})).toEqual({ ok: false, error: 'unknown-card' })
    const first = vote(s, cast('shape:card-1'), {})
    expect(first).toEqual({ ok: true, state: s, ballot: { 'shape:card-1': 1 } })
    expect(vote(s, cast('shape:card-1'), { 'shape:card-1': 1 })).toEqual({ ok: false, error: 'one-per-card' })
    expect(vote(s, cast('shape:card-2'), { 'shape:card-1': 1 })).toEqual({ ok: true, state: s, ballot: { 'shape:card-1': 1, 'shape:card-2': 1 } })
    expect(vote(s, cast('shape:card-3'), { 'shape:card-1': 1, 'shape:card-2': 1 })).toEqual({ ok: false, error: 'no-votes-left' })

    const multi = open({ allowMultiplePerCard: true, votesPerPerson: 3 })
    expect(vote(multi, cast('shape:card-1'), { 'shape:card-1': 2 })).toMatchObject({ ok: true, ballot: { 'shape:card-1': 3 } })
    expect(vote(multi, cast('shape:card-1'), { 'shape:card-1': 3 })).toEqual({ ok: false, error: 'no-votes-left' })

    const selection = open({ cardIds: ['shape:card-1'] })
    expect(vote(selection, cast('shape:card-2'), {})).toEqual({ ok: false, error: 'unknown-card' })
    expect(vote(selection, cast('shape:card-1'), {})).toMatchObject({ ok: true })
  })

  it('retracting: only what was cast, one at a time', () => {
    const s = open({ allowMultiplePerCard: true })
    expect(vote(s, retract('shape:card-1'), {})).toEqual({ ok: false, error: 'not-voted' })
    expect(vote(s, retract('shape:card-1'), { 'shape:card-1': 2 })).toEqual({ ok: true, state: s, ballot: { 'shape:card-1': 1 } })
    expect(vote(s, retract('shape:card-1'), { 'shape:card-1': 1, 'shape:card-2': 1 })).toEqual({ ok: true, state: s, ballot: { 'shape:card-2': 1 } })
    expect(vote(s, retract('shape:card-1'), { 'shape:card-1': 1 }, { personId: null })).toEqual({ ok: false, error: 'no-identity' })
    expect(vote(initialFacilitation(), retract('shape:card-1'), { 'shape:card-1': 1 })).toEqual({ ok: false, error: 'no-vote' })
  })

  it('a card id named like a prototype property is just an unknown card: the vote limit holds', () => {
    const s = open({ votesPerPerson: 2 })
    for (const id of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(vote(s, retract(id), { 'shape:card-1': 1 }), id).toEqual({ ok: false, error: 'not-voted' })
      expect(vote(s, cast(id), {}, { cardExists: () => true }), id).toMatchObject({ ok: true, ballot: { [id]: 1 } })
    }
    expect(vote(s, retract('__proto__'), JSON.parse('{"__proto__": 2}'))).toEqual({ ok: true, state: s, ballot: JSON.parse('{"__proto__": 1}') })
    // Two votes cast: a third is refused whatever the card id.
    expect(vote(s, cast('shape:card-3'), JSON.parse('{"shape:card-1": 1, "__proto__": 1}'))).toEqual({ ok: false, error: 'no-votes-left' })
  })

  it('tally counts votes per card and people who voted', () => {
    // Card ids are own keys of the result, even "__proto__"; no prototype is touched.
    expect(tally([JSON.parse('{"__proto__": 2, "constructor": 1}'), { constructor: 1 }])).toEqual({ results: JSON.parse('{"__proto__": 2, "constructor": 2}'), voters: 2 })
    expect(Object.prototype).not.toHaveProperty('2')
    expect(tally([{ a: 2, b: 1 }, { b: 1 }, {}, { a: 0 }])).toEqual({ results: { a: 2, b: 2 }, voters: 2 })
    expect(tally([])).toEqual({ results: {}, voters: 0 })
  })
})

describe('applyIntent: private mode, lock, agenda, attention', () => {
  const run = (state: FacilitationState, intent: Intent, over: Partial<IntentContext> = {}) => {
    const out = applyIntent(baseCtx({ state, ...over }), intent)
    if (!out.ok) throw new Error(out.error)
    return out
  }

  it('private mode and reveal; the lock', () => {
    const on = run(initialFacilitation(), { type: 'private.set', on: true })
    expect(on.state.privateMode).toBe(true)
    expect(on.reveal).toBeFalsy()
    const revealed = run(on.state, { type: 'private.reveal' })
    expect(revealed).toMatchObject({ reveal: true, state: { privateMode: false } })
    const locked = run(initialFacilitation(), { type: 'lock.set', locked: true }).state
    expect(locked.locked).toBe(true)
    expect(canEditContent('participant', locked)).toBe(false)
    expect(canEditContent('facilitator', locked)).toBe(true)
    expect(canEditContent('viewer', initialFacilitation())).toBe(false)
    expect(canEditContent('participant', initialFacilitation())).toBe(true)
  })

  it('agenda: steps, going to a step (switching private mode, revealing, opening a vote), bounds', () => {
    const steps = [
      { id: 'a', title: 'Inventera', privateMode: true },
      { id: 'b', title: 'Koppla', privateMode: false },
      { id: 'c', title: 'Prioritera', openVote: true },
    ]
    let s = run(initialFacilitation(), { type: 'agenda.set', steps }).state
    expect(s.agenda).toEqual({ steps, current: -1 })
    expect(applyIntent(baseCtx({ state: s }), { type: 'agenda.go', index: 3 })).toEqual({ ok: false, error: 'invalid' })

    let out = run(s, { type: 'agenda.go', index: 0 })
    expect(out).toMatchObject({ reveal: false, state: { privateMode: true, agenda: { current: 0 } } })
    out = run(out.state, { type: 'agenda.go', index: 1 })
    expect(out).toMatchObject({ reveal: true, state: { privateMode: false, agenda: { current: 1 } } })
    out = run(out.state, { type: 'agenda.go', index: 1 })
    expect(out.reveal).toBe(false) // already public: nothing to reveal
    s = { ...out.state, vote: { ...out.state.vote, votesPerPerson: 5, allowMultiplePerCard: true, hideResultsUntilEnd: false, round: 4 } }
    out = run(s, { type: 'agenda.go', index: 2 })
    expect(out.state.vote).toEqual({ status: 'open', round: 5, votesPerPerson: 5, allowMultiplePerCard: true, hideResultsUntilEnd: false, cardIds: null, results: {}, voters: 0, requireName: false, ballotsByName: [] })
    expect(out.state.privateMode).toBe(false)
    out = run(out.state, { type: 'agenda.go', index: -1 })
    expect(out.state.agenda.current).toBe(-1)

    // Fewer steps than the current index: the current step moves to the last one.
    const at2 = run(s, { type: 'agenda.go', index: 2 }).state
    expect(run(at2, { type: 'agenda.set', steps: steps.slice(0, 1) }).state.agenda).toEqual({ steps: steps.slice(0, 1), current: 0 })
    expect(run(at2, { type: 'agenda.set', steps: [] }).state.agenda).toEqual({ steps: [], current: -1 })
  })

  it('attention: each summon is new, carries the camera and who called', () => {
    const one = run(initialFacilitation(), { type: 'attention.summon', camera: { x: 1, y: 2, z: 0.5 } }).state
    expect(one.attention).toEqual({ seq: 1, by: 'person-a', camera: { x: 1, y: 2, z: 0.5 } })
    const two = run(one, { type: 'attention.summon', camera: { x: 1, y: 2, z: 0.5 } }, { personId: null }).state
    expect(two.attention).toEqual({ seq: 2, by: '', camera: { x: 1, y: 2, z: 0.5 } })
  })
})
