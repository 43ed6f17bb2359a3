/**
 * Facilitation over the wire, with raw clients per role: the lock, the timer (on server time,
 * with the server's clock deliberately off from the test's) and dot voting (ballots per person,
 * hidden results that never travel, results that match the ballots and survive a restart).
 */
import { pathToFileURL } from 'node:url'
import { join as joinPath } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { tally, timerRemaining, type Ballot, type TimerState } from '../../core/facilitation.ts'
import { deleteRecord, recordsOf, writeRecord } from '../../core/record-store.ts'
import { destroyAllClients } from '../helpers/clients.ts'
import { cardRecord, read, taskSegmentIds } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { ROOT, sleep, startTestServer, stopAllServers, type CreatedBoard, type ServerHandle, type TestServer } from '../helpers/server.ts'
import { destroyAllSnurraClients, deviceKey, resultsKeyCounts, snurraSynced, storedBytes, storedDoc, storedState, type SnurraClient } from '../helpers/snurra.ts'

let server: ServerHandle

beforeAll(async () => {
  server = await startInProcessServer()
})
afterEach(() => {
  destroyAllSnurraClients()
  destroyAllClients()
})
afterAll(stopAllServers)

type Role = 'facilitator' | 'participant' | 'viewer'
const joinOn = (srv: ServerHandle, board: CreatedBoard, role: Role, person: string | null = deviceKey()) =>
  snurraSynced(srv.wsUrl, board.id, board.tokens[role], { person })
const join = (board: CreatedBoard, role: Role, person: string | null = deviceKey()) => joinOn(server, board, role, person)

const card = (n: string) => `shape:card-${n}`

describe('lock', () => {
  it('locks participants out of the content (the facilitator still edits), and unlocking lets them back', async () => {
    const board = await server.createBoard('Lås')
    const facilitator = await join(board, 'facilitator')
    const viewer = await join(board, 'viewer')
    const participant = await join(board, 'participant')
    participant.change((doc) => writeRecord(recordsOf(doc), cardRecord('l1', { props: { title: 'Före låset' } })))
    participant.change((doc) => writeRecord(recordsOf(doc), cardRecord('l2')))
    await participant.barrier()
    expect(participant.rejections()).toEqual([])

    expect(await facilitator.intent({ type: 'lock.set', locked: true })).toEqual({ t: 'result', id: expect.any(Number), ok: true })
    await viewer.barrier()
    await participant.barrier()
    for (const c of [facilitator, viewer, participant]) expect(c.facilitation().locked).toBe(true)

    // Each refused client has diverged and must reload, so each kind of edit gets a fresh one.
    const edits: Array<[string, (doc: import('yjs').Doc) => void]> = [
      ['move', (doc) => writeRecord(recordsOf(doc), cardRecord('l1', { x: 777, props: { title: 'Före låset' } }))],
      ['create', (doc) => writeRecord(recordsOf(doc), cardRecord('l3-locked'))],
      ['delete', (doc) => deleteRecord(recordsOf(doc), card('l2'))],
    ]
    const mark = viewer.frames.length
    for (const [what, edit] of edits) {
      const p = await join(board, 'participant')
      p.change(edit)
      expect(await p.waitMessage((m) => m.t === 'rejected', `rejection of ${what}`), what).toMatchObject({ t: 'rejected', reason: 'locked' })
    }
    await viewer.barrier()
    expect(viewer.updatesSince(mark)).toEqual([])
    expect(read(viewer.doc, card('l1'))).toMatchObject({ x: 100 })
    expect(read(viewer.doc, card('l2'))).toBeDefined()
    expect(read(viewer.doc, card('l3-locked'))).toBeUndefined()

    // The facilitator's edits still go through while locked.
    facilitator.change((doc) => writeRecord(recordsOf(doc), cardRecord('l1', { x: 321, props: { title: 'Ändrad under låset' } })))
    await facilitator.barrier()
    expect(facilitator.rejections()).toEqual([])
    await viewer.barrier()
    expect(read(viewer.doc, card('l1'))).toMatchObject({ x: 321, props: { title: 'Ändrad under låset' } })
    expect(storedDoc(server.dataDir, board.id).getMap('facilitation').get('locked')).toBe(true)

    expect(await facilitator.intent({ type: 'lock.set', locked: false })).toMatchObject({ ok: true })
    const again = await join(board, 'participant')
    expect(again.facilitation().locked).toBe(false)
    again.change((doc) => writeRecord(recordsOf(doc), cardRecord('l1', { x: 999, props: { title: 'Efter låset' } })))
    again.change((doc) => writeRecord(recordsOf(doc), cardRecord('l4')))
    await again.barrier()
    expect(again.rejections()).toEqual([])
    await viewer.barrier()
    expect(read(viewer.doc, card('l1'))).toMatchObject({ x: 999, props: { title: 'Efter låset' } })
    expect(read(viewer.doc, card('l4'))).toBeDefined()
    // The participant who was never refused keeps editing on the same connection.
    participant.change((doc) => writeRecord(recordsOf(doc), cardRecord('l5')))
    await participant.barrier()
    expect(participant.rejections()).toEqual([])
    await viewer.barrier()
    expect(read(viewer.doc, card('l5'))).toBeDefined()
  })
})

describe('timer', () => {
  // The server's clock runs this far ahead of the test's, so anything computed on the test's
  // (or a client's) clock instead of the server's is off by far more than any tolerance.
  const OFFSET = 2 * 3600_000
  const SLACK = 5000
  let skewed: TestServer

  beforeAll(async () => {
    skewed = await startTestServer({
      nodeArgs: ['--import', pathToFileURL(joinPath(ROOT, 'test/helpers/clock-offset.mjs')).href],
      env: { SNURRA_TEST_CLOCK_OFFSET_MS: String(OFFSET) },
    })
  })

  it('runs on server time: start, pause, add, resume, stop, as core/intents.ts says, and a late joiner reads the same', async () => {
    const board = await skewed.createBoard('Timer')
    const facilitator = await joinOn(skewed, board, 'facilitator')
    const viewer = await joinOn(skewed, board, 'viewer')
    const hello = await facilitator.hello()
    // The hello carries the server's clock: the test's estimate of it.
    const clock = hello.now - facilitator.helloAt[0]
    expect(Math.abs(clock - OFFSET)).toBeLessThan(SLACK)
    const serverNow = () => Date.now() + clock
    const timer = (c: SnurraClient = facilitator): TimerState => c.facilitation().timer

    /** Runs an intent and returns the server-time window in which the server handled it. */
    async function timed(intent: unknown) {
      const from = serverNow()
      const result = await facilitator.intent(intent)
      return { result, from: from - SLACK, to: serverNow() + SLACK }
    }

    const start = await timed({ type: 'timer.start', durationMs: 90_000 })
    expect(start.result).toMatchObject({ ok: true })
    const running = timer()
    expect(running).toMatchObject({ status: 'running', durationMs: 90_000, remainingMs: 90_000 })
    expect(running.endsAt! - 90_000).toBeGreaterThanOrEqual(start.from)
    expect(running.endsAt! - 90_000).toBeLessThanOrEqual(start.to)
    // Not the test's clock: that would be off by the offset.
    expect(Math.abs(running.endsAt! - (Date.now() + 90_000))).toBeGreaterThan(OFFSET / 2)
    await viewer.barrier()
    expect(timer(viewer)).toEqual(running)

    await sleep(400)
    const pause = await timed({ type: 'timer.pause' })
    expect(pause.result).toMatchObject({ ok: true })
    const paused = timer()
    expect(paused).toMatchObject({ status: 'paused', endsAt: null, durationMs: 90_000 })
    // At least the 400 ms that passed on the server too; at most what the window allows.
    expect(paused.remainingMs).toBeLessThanOrEqual(90_000 - 400)
    expect(paused.remainingMs).toBeGreaterThanOrEqual(running.endsAt! - pause.to)
    expect(await facilitator.intent({ type: 'timer.pause' })).toMatchObject({ ok: false, error: 'invalid' })
    await sleep(200)
    expect(timerRemaining(timer(), serverNow())).toBe(paused.remainingMs) // a paused timer does not run

    expect(await facilitator.intent({ type: 'timer.add', ms: 30_000 })).toMatchObject({ ok: true })
    expect(timer()).toEqual({ ...paused, remainingMs: paused.remainingMs + 30_000 })
    expect(await facilitator.intent({ type: 'timer.add', ms: -10_000 })).toMatchObject({ ok: true })
    const paused2 = timer()
    expect(paused2).toEqual({ ...paused, remainingMs: paused.remainingMs + 20_000 })

    const resume = await timed({ type: 'timer.resume' })
    expect(resume.result).toMatchObject({ ok: true })
    const resumed = timer()
    expect(resumed).toMatchObject({ status: 'running', durationMs: 90_000 })
    expect(resumed.endsAt! - paused2.remainingMs).toBeGreaterThanOrEqual(resume.from)
    expect(resumed.endsAt! - paused2.remainingMs).toBeLessThanOrEqual(resume.to)
    expect(await facilitator.intent({ type: 'timer.resume' })).toMatchObject({ ok: false, error: 'invalid' })

    expect(await facilitator.intent({ type: 'timer.add', ms: 60_000 })).toMatchObject({ ok: true })
    expect(timer().endsAt).toBe(resumed.endsAt! + 60_000)
    expect(timer().status).toBe('running')

    // A late joiner, with its own hello clock, reads the same state and the same time left.
    const late = await joinOn(skewed, board, 'participant')
    const lateHello = await late.hello()
    expect(timer(late)).toEqual(timer())
    const lateNow = lateHello.now + (Date.now() - late.helloAt[0])
    const left = timerRemaining(timer(late), lateNow)
    expect(left).toBeGreaterThan(resumed.endsAt! + 60_000 - serverNow() - SLACK)
    expect(left).toBeLessThanOrEqual(resumed.endsAt! + 60_000 - lateHello.now)

    // Taking away more than is left ends it now (never negative).
    const cut = await timed({ type: 'timer.add', ms: -24 * 3600_000 })
    expect(cut.result).toMatchObject({ ok: true })
    expect(timer().status).toBe('running')
    expect(timer().endsAt!).toBeGreaterThanOrEqual(cut.from)
    expect(timer().endsAt!).toBeLessThanOrEqual(cut.to)
    expect(timerRemaining(timer(), serverNow() + SLACK)).toBe(0)

    expect(await facilitator.intent({ type: 'timer.stop' })).toMatchObject({ ok: true })
    expect(timer()).toEqual({ status: 'idle', endsAt: null, remainingMs: 90_000, durationMs: 90_000 })
    expect(await facilitator.intent({ type: 'timer.resume' })).toMatchObject({ ok: false, error: 'invalid' })
    // Out-of-range durations are malformed; nothing changes.
    expect(await facilitator.intent({ type: 'timer.start', durationMs: 999 })).toMatchObject({ ok: false, error: 'malformed' })
    expect(await facilitator.intent({ type: 'timer.start', durationMs: 24 * 3600_000 + 1 })).toMatchObject({ ok: false, error: 'malformed' })
    expect(await facilitator.intent({ type: 'timer.add', ms: 1.5 })).toMatchObject({ ok: false, error: 'malformed' })
    expect(timer()).toEqual({ status: 'idle', endsAt: null, remainingMs: 90_000, durationMs: 90_000 })
    await viewer.barrier()
    await late.barrier()
    expect(timer(viewer)).toEqual(timer())
    expect(timer(late)).toEqual(timer())
  })
})

describe('dot voting', () => {
  it('ballots per person, hidden results that never travel, results that match the ballots and survive a restart', async () => {
    const board = await server.createBoard('Omröstning')
    const keyA = deviceKey()
    const facilitator = await join(board, 'facilitator')
    const a = await join(board, 'participant', keyA)
    const a2 = await join(board, 'participant', keyA) // the same person on a second device
    const b = await join(board, 'participant')
    const viewer = await join(board, 'viewer')
    const anonymous = await join(board, 'participant', null)
    const everyone = [facilitator, a, a2, b, viewer, anonymous]
    const pidA = (await a.hello()).personId!
    const pidB = (await b.hello()).personId!
    expect((await a2.hello()).personId).toBe(pidA)
    expect(pidB).not.toBe(pidA)

    a.change((doc) => {
      writeRecord(recordsOf(doc), cardRecord('v1'))
      writeRecord(recordsOf(doc), cardRecord('v2'))
    })
    b.change((doc) => writeRecord(recordsOf(doc), cardRecord('v3')))
    facilitator.change((doc) => writeRecord(recordsOf(doc), cardRecord('v4')))
    for (const c of [a, b, facilitator]) await c.barrier()
    const template = taskSegmentIds(facilitator.doc)[0]

    const open = { type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null }
    expect(await a.intent(open)).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await a.intent({ type: 'vote.cast', cardId: card('v1') })).toMatchObject({ ok: false, error: 'no-vote' })
    expect(await facilitator.intent(open)).toMatchObject({ ok: true })
    for (const c of everyone) await c.barrier()
    for (const c of everyone) {
      expect(c.facilitation().vote).toEqual({ status: 'open', round: 1, votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, results: {}, voters: 0, requireName: false, ballotsByName: [] })
    }

    const ballotsOf = (c: SnurraClient) => c.messages.filter((m) => m.t === 'ballot')
    const lastBallot = (c: SnurraClient) => ballotsOf(c).at(-1)
    const cast = (c: SnurraClient, n: string) => c.intent({ type: 'vote.cast', cardId: card(n) })
    const retract = (c: SnurraClient, n: string) => c.intent({ type: 'vote.retract', cardId: card(n) })
    /** After each step: nobody's document shows results; only the voter count moves. */
    async function expectHidden(voters: number) {
      for (const c of everyone) await c.barrier()
      for (const c of everyone) expect(c.facilitation().vote, 'vote while hidden').toMatchObject({ status: 'open', results: {}, voters })
    }

    expect(await cast(a, 'v1')).toMatchObject({ ok: true })
    await a2.waitMessage((m) => m.t === 'ballot', 'the ballot on the second device')
    expect(lastBallot(a)).toEqual({ t: 'ballot', round: 1, ballot: { [card('v1')]: 1 } })
    expect(lastBallot(a2)).toEqual({ t: 'ballot', round: 1, ballot: { [card('v1')]: 1 } })
    await expectHidden(1)
    expect(await cast(a, 'v1')).toMatchObject({ ok: false, error: 'one-per-card' })
    expect(await cast(a2, 'v1')).toMatchObject({ ok: false, error: 'one-per-card' }) // same person, same ballot
    expect(await cast(a2, 'v2')).toMatchObject({ ok: true })
    await a.waitMessage((m) => m.t === 'ballot' && Object.keys(m.ballot).length === 2, 'the second device’s vote on the first')
    expect(lastBallot(a)).toEqual({ t: 'ballot', round: 1, ballot: { [card('v1')]: 1, [card('v2')]: 1 } })
    expect(await cast(a, 'v3')).toMatchObject({ ok: false, error: 'no-votes-left' })
    expect(await retract(a2, 'v1')).toMatchObject({ ok: true })
    expect(await retract(a, 'v1')).toMatchObject({ ok: false, error: 'not-voted' })
    expect(await cast(a, 'v3')).toMatchObject({ ok: true })
    await a2.barrier()
    expect(lastBallot(a2)).toEqual({ t: 'ballot', round: 1, ballot: { [card('v2')]: 1, [card('v3')]: 1 } })
    await expectHidden(1)

    // B's ballot is B's own: B starts empty and A's ballot is untouched by B's votes.
    expect(await cast(b, 'v3')).toMatchObject({ ok: true })
    expect(lastBallot(b)).toEqual({ t: 'ballot', round: 1, ballot: { [card('v3')]: 1 } })
    expect(await cast(b, 'v2')).toMatchObject({ ok: true })
    expect(await retract(b, 'v2')).toMatchObject({ ok: true })
    expect(await cast(b, 'nope')).toMatchObject({ ok: false, error: 'unknown-card' })
    expect(await b.intent({ type: 'vote.cast', cardId: template })).toMatchObject({ ok: false, error: 'unknown-card' })
    expect(await cast(anonymous, 'v1')).toMatchObject({ ok: false, error: 'no-identity' })
    expect(await retract(anonymous, 'v1')).toMatchObject({ ok: false, error: 'no-identity' })
    expect(await cast(viewer, 'v1')).toMatchObject({ ok: false, error: 'forbidden' })
    await expectHidden(2)
    expect(lastBallot(a)).toEqual({ t: 'ballot', round: 1, ballot: { [card('v2')]: 1, [card('v3')]: 1 } })
    for (const c of [facilitator, viewer, anonymous]) expect(ballotsOf(c), 'ballots reach only their person').toEqual([])
    // Each person's devices got exactly that person's ballot after each of their own changes.
    const seqA: Array<Record<string, number>> = [{ v1: 1 }, { v1: 1, v2: 1 }, { v2: 1 }, { v2: 1, v3: 1 }]
    const seqB: Array<Record<string, number>> = [{ v3: 1 }, { v3: 1, v2: 1 }, { v3: 1 }]
    const asBallots = (seq: Array<Record<string, number>>) =>
      seq.map((b) => ({ t: 'ballot', round: 1, ballot: Object.fromEntries(Object.entries(b).map(([k, v]) => [card(k), v])) }))
    expect(ballotsOf(a)).toEqual(asBallots(seqA))
    expect(ballotsOf(a2)).toEqual(asBallots(seqA))
    expect(ballotsOf(b)).toEqual(asBallots(seqB))

    // A device that joins mid-vote as A learns A's ballot in its hello.
    const a3 = await join(board, 'participant', keyA)
    expect(await a3.hello()).toMatchObject({ personId: pidA, round: 1, ballot: { [card('v2')]: 1, [card('v3')]: 1 } })

    // The ballots are kept server-side, per person.
    const expectedBallots: Record<string, Ballot> = { [pidA]: { [card('v2')]: 1, [card('v3')]: 1 }, [pidB]: { [card('v3')]: 1 } }
    expect(storedState(server.dataDir, board.id, 'ballots')).toEqual({ round: 1, byPerson: expectedBallots })

    // Nothing any client received ever held a non-empty results object, in any frame.
    for (const c of [...everyone, a3]) {
      const counts = c.raw.flatMap(resultsKeyCounts)
      expect(counts.length, 'the vote object was received').toBeGreaterThan(0)
      expect(counts.every((n) => n === 0), `results while hidden: ${counts}`).toBe(true)
    }
    expect(resultsKeyCounts(new Uint8Array(storedBytes(server.dataDir, board.id))).every((n) => n === 0)).toBe(true)

    expect(await facilitator.intent({ type: 'vote.close' })).toMatchObject({ ok: true })
    const expectedResults = tally(Object.values(expectedBallots)).results
    expect(expectedResults).toEqual({ [card('v2')]: 1, [card('v3')]: 2 })
    for (const c of everyone) await c.barrier()
    for (const c of everyone) expect(c.facilitation().vote).toMatchObject({ status: 'closed', round: 1, results: expectedResults, voters: 2 })
    expect(await cast(b, 'v4')).toMatchObject({ ok: false, error: 'no-vote' })
    expect(await facilitator.intent({ type: 'vote.close' })).toMatchObject({ ok: false, error: 'no-vote' })

    destroyAllSnurraClients()
    expect((await server.stop()).code).toBe(0)
    await server.restart()
    expect(storedDoc(server.dataDir, board.id).getMap('facilitation').get('vote')).toMatchObject({ status: 'closed', results: expectedResults, voters: 2 })
    const after = await join(board, 'viewer')
    expect(after.facilitation().vote).toMatchObject({ status: 'closed', round: 1, results: expectedResults, voters: 2 })

    // A new round: old ballots do not count; several votes on one card when allowed; live results.
    const f2 = await join(board, 'facilitator')
    const a4 = await join(board, 'participant', keyA)
    expect(await a4.hello()).toMatchObject({ personId: pidA, round: 1 })
    expect(await f2.intent({ type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: true, hideResultsUntilEnd: false, cardIds: [card('v1'), card('v4')] })).toMatchObject({ ok: true })
    expect(await cast(a4, 'v1')).toMatchObject({ ok: true })
    expect(await cast(a4, 'v1')).toMatchObject({ ok: true })
    expect(lastBallot(a4)).toEqual({ t: 'ballot', round: 2, ballot: { [card('v1')]: 2 } })
    expect(await cast(a4, 'v4')).toMatchObject({ ok: false, error: 'no-votes-left' })
    const b2 = await join(board, 'participant')
    expect(await cast(b2, 'v2')).toMatchObject({ ok: false, error: 'unknown-card' }) // not in this vote's selection
    expect(await cast(b2, 'v4')).toMatchObject({ ok: true })
    await after.barrier()
    expect(after.facilitation().vote).toMatchObject({ status: 'open', round: 2, results: { [card('v1')]: 2, [card('v4')]: 1 }, voters: 2 })
    expect(await f2.intent({ type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: [card('ghost')] })).toMatchObject({
      ok: false,
      error: 'unknown-card',
    })
    expect(after.facilitation().vote.round).toBe(2)
  })

  it('a vote on a card made just before on the same socket counts: updates and intents are handled in order', async () => {
    const board = await server.createBoard('Ordning')
    const facilitator = await join(board, 'facilitator')
    const p = await join(board, 'participant')
    expect(await facilitator.intent({ type: 'vote.open', votesPerPerson: 1, allowMultiplePerCard: false, hideResultsUntilEnd: false, cardIds: null })).toMatchObject({ ok: true })
    // No barrier between the card and the vote.
    p.change((doc) => writeRecord(recordsOf(doc), cardRecord('fresh')))
    expect(await cast(p, 'fresh')).toMatchObject({ ok: true })
    await facilitator.barrier()
    expect(facilitator.facilitation().vote.results).toEqual({ [card('fresh')]: 1 })
  })
})

function cast(c: SnurraClient, n: string) {
  return c.intent({ type: 'vote.cast', cardId: card(n) })
}
