/**
 * A vote counts devices, not people, and says so: the facilitator can require a name with each
 * vote and sees how many ballots each display name cast (never for which cards), so one person
 * voting from several private windows shows up.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { destroyAllClients } from '../helpers/clients.ts'
import { cardRecord } from '../helpers/records.ts'
import { startTestServer, stopAllServers, type TestServer } from '../helpers/server.ts'
import { destroyAllSnurraClients, deviceKey, snurraSynced } from '../helpers/snurra.ts'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterEach(() => {
  destroyAllSnurraClients()
  destroyAllClients()
})
afterAll(stopAllServers)

const card = (n: string) => `shape:card-${n}`

it('with a name required, a nameless vote is refused; ballots per name are counted, case-blind, without their cards', async () => {
  const board = await server.createBoard('Röster per namn')
  const join = (role: 'facilitator' | 'participant') => snurraSynced(server.wsUrl, board.id, board.tokens[role], { person: deviceKey() })
  const facilitator = await join('facilitator')
  facilitator.change((doc) => {
    writeRecord(recordsOf(doc), cardRecord('n1'))
    writeRecord(recordsOf(doc), cardRecord('n2'))
  })
  await facilitator.barrier()
  // Three "people": Anna from two private windows (two device keys), Bo from one.
  const [anna1, anna2, bo] = [await join('participant'), await join('participant'), await join('participant')]

  expect(await facilitator.intent({ type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: true, cardIds: null, requireName: true })).toMatchObject({ ok: true })
  expect(await anna1.intent({ type: 'vote.cast', cardId: card('n1') })).toMatchObject({ ok: false, error: 'name-required' })
  expect(await anna1.intent({ type: 'vote.cast', cardId: card('n1'), name: '   ' })).toMatchObject({ ok: false, error: 'name-required' })
  expect(await anna1.intent({ type: 'vote.cast', cardId: card('n1'), name: 'Anna' })).toMatchObject({ ok: true })
  expect(await anna1.intent({ type: 'vote.cast', cardId: card('n2'), name: 'Anna' })).toMatchObject({ ok: true })
  expect(await anna2.intent({ type: 'vote.cast', cardId: card('n1'), name: ' anna ' })).toMatchObject({ ok: true })
  expect(await bo.intent({ type: 'vote.cast', cardId: card('n2'), name: 'Bo' })).toMatchObject({ ok: true })
  expect(await facilitator.intent({ type: 'vote.cast', cardId: card('n2'), name: 'x'.repeat(81) })).toMatchObject({ ok: false, error: 'malformed' })

  await facilitator.barrier()
  const vote = facilitator.facilitation().vote
  // Two devices: two ballots under one name. Hidden results stay hidden.
  expect(vote).toMatchObject({ requireName: true, voters: 3, results: {}, ballotsByName: [{ name: 'Anna', ballots: 2 }, { name: 'Bo', ballots: 1 }] })
  expect(JSON.stringify(vote.ballotsByName)).not.toContain('card')

  // A retracted ballot no longer counts; a new vote starts from nothing.
  expect(await bo.intent({ type: 'vote.retract', cardId: card('n2') })).toMatchObject({ ok: true })
  await facilitator.barrier()
  expect(facilitator.facilitation().vote.ballotsByName).toEqual([{ name: 'Anna', ballots: 2 }])
  expect(await facilitator.intent({ type: 'vote.open', votesPerPerson: 1, allowMultiplePerCard: false, hideResultsUntilEnd: false, cardIds: null })).toMatchObject({ ok: true })
  await facilitator.barrier()
  expect(facilitator.facilitation().vote).toMatchObject({ requireName: false, ballotsByName: [] })
  expect(await bo.intent({ type: 'vote.cast', cardId: card('n1') })).toMatchObject({ ok: true })
  await facilitator.barrier()
  expect(facilitator.facilitation().vote.ballotsByName).toEqual([{ name: '', ballots: 1 }])
})
