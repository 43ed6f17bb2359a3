/**
 * Roles enforced by the server, with raw protocol clients holding each role's token (a modified
 * client can send anything a stock one can, and more):
 * - a viewer's document updates are dropped: they reach no client and no storage;
 * - a participant's facilitator-only intents are refused as 'forbidden' and change nothing;
 * - a participant's direct writes to facilitation, meta, action paths or the template layer are
 *   refused ('rejected'), reach nobody and are not stored; nobody, not even the facilitator,
 *   writes the facilitation map directly;
 * - a participant's ordinary card edits go through.
 */
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { metaOf, pathsOf, readPaths } from '../../core/board-meta.ts'
import { FACILITATION_KEY } from '../../core/facilitation.ts'
import { addPath, renamePath } from '../../core/paths.ts'
import { deleteRecord, recordsOf, writeRecord } from '../../core/record-store.ts'
import { closeCode, destroyAllClients } from '../helpers/clients.ts'
import { cardRecord, read, taskSegmentIds } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { stopAllServers, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'
import { deleteOnlyUpdate, destroyAllSnurraClients, deviceKey, snurraFrame, snurraSynced, storedDoc, type SnurraClient } from '../helpers/snurra.ts'

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
const join = (board: CreatedBoard, role: Role, person: string | null = deviceKey()) =>
  snurraSynced(server.wsUrl, board.id, board.tokens[role], { person })

/** Every intent a facilitator may send, each valid on its own (so only the role can refuse it). */
const FACILITATOR_INTENTS = [
  { type: 'timer.start', durationMs: 120_000 },
  { type: 'timer.pause' },
  { type: 'timer.resume' },
  { type: 'timer.add', ms: 60_000 },
  { type: 'timer.stop' },
  { type: 'lock.set', locked: true },
  { type: 'vote.open', votesPerPerson: 5, allowMultiplePerCard: true, hideResultsUntilEnd: false, cardIds: null },
  { type: 'vote.close' },
  { type: 'private.set', on: true },
  { type: 'private.reveal' },
  { type: 'agenda.set', steps: [{ id: 'x', title: 'Kapad' }] },
  { type: 'agenda.go', index: 1 },
  { type: 'attention.summon', camera: { x: 1, y: 2, z: 3 } },
]

const templateId = (c: SnurraClient) => {
  const ids = taskSegmentIds(c.doc)
  expect(ids.length).toBeGreaterThan(0)
  return ids[0]
}

/** Restarts the server (clean stop), so what is checked next comes from storage. */
async function restart(): Promise<void> {
  destroyAllSnurraClients()
  expect((await server.stop()).code).toBe(0)
  await server.restart()
}

describe('viewer', () => {
  it('a viewer’s updates reach no other client and no storage, and its intents are all forbidden', async () => {
    const board = await server.createBoard('Tittare')
    const viewer = await join(board, 'viewer')
    const participant = await join(board, 'participant')
    const facilitator = await join(board, 'facilitator')
    const task = templateId(viewer)
    const marks = [participant.frames.length, facilitator.frames.length]

    viewer.change((doc) => writeRecord(recordsOf(doc), cardRecord('viewer-1', { props: { title: 'Tittarens-kort-7f3a' } })))
    viewer.change((doc) => metaOf(doc).set('title', 'Tittarens-titel-7f3a'))
    viewer.change((doc) => deleteRecord(recordsOf(doc), task))
    viewer.change((doc) => doc.getMap(FACILITATION_KEY).set('locked', true))
    for (const intent of [...FACILITATOR_INTENTS, { type: 'vote.cast', cardId: 'shape:card-viewer-1' }, { type: 'vote.retract', cardId: 'x' }]) {
      expect(await viewer.intent(intent), intent.type).toMatchObject({ t: 'result', ok: false, error: 'forbidden' })
    }
    await viewer.barrier()
    // Everything the viewer sent was handled before this; whatever was broadcast has arrived.
    await participant.barrier()
    await facilitator.barrier()

    for (const [i, other] of [participant, facilitator].entries()) {
      expect(other.updatesSince(marks[i]), 'document updates received by others').toEqual([])
      expect(other.received('7f3a')).toBe(false)
      expect(read(other.doc, 'shape:card-viewer-1')).toBeUndefined()
      expect(read(other.doc, task)).toBeDefined()
      expect(other.facilitationMap()).toEqual({})
    }
    expect(viewer.isOpen()).toBe(true) // dropped silently, not disconnected

    await restart()
    const stored = storedDoc(server.dataDir, board.id)
    expect(read(stored, 'shape:card-viewer-1')).toBeUndefined()
    expect(read(stored, task)).toBeDefined()
    expect(metaOf(stored).get('title')).toBe('Tittare')
    expect(stored.getMap(FACILITATION_KEY).toJSON()).toEqual({})
    const fresh = await join(board, 'facilitator')
    expect(read(fresh.doc, 'shape:card-viewer-1')).toBeUndefined()
    expect(metaOf(fresh.doc).get('title')).toBe('Tittare')
  })
})

describe('participant: facilitator-only intents', () => {
  it('every facilitator intent from a participant (with or without a device key) is forbidden and changes nothing for anyone', async () => {
    const board = await server.createBoard('Förbjudet')
    const facilitator = await join(board, 'facilitator')
    const participant = await join(board, 'participant')
    const anonymous = await join(board, 'participant', null)
    const viewer = await join(board, 'viewer')
    // Some state first, so "unchanged" means something: an agenda and a running timer.
    expect(await facilitator.intent({ type: 'agenda.set', steps: [{ id: 'a', title: 'Inventera' }, { id: 'b', title: 'Prioritera', privateMode: true, openVote: true }] })).toMatchObject({ ok: true })
    expect(await facilitator.intent({ type: 'timer.start', durationMs: 300_000 })).toMatchObject({ ok: true })
    for (const c of [participant, anonymous, viewer]) await c.barrier()
    const before = facilitator.facilitationMap()
    expect(participant.facilitationMap()).toEqual(before)
    expect(before).toMatchObject({ agenda: { current: -1 }, timer: { status: 'running' } })
    const everyone = [facilitator, participant, anonymous, viewer]
    const marks = everyone.map((c) => c.frames.length)

    for (const sender of [participant, anonymous]) {
      for (const intent of FACILITATOR_INTENTS) {
        expect(await sender.intent(intent), intent.type).toEqual({ t: 'result', id: expect.any(Number), ok: false, error: 'forbidden' })
      }
    }
    for (const c of everyone) await c.barrier()
    for (const [i, c] of everyone.entries()) {
      expect(c.facilitationMap()).toEqual(before)
      expect(c.updatesSince(marks[i]), 'no document update was broadcast').toEqual([])
    }
    expect(storedDoc(server.dataDir, board.id).getMap(FACILITATION_KEY).toJSON()).toEqual(before)

    // Positive control: the same intent from the facilitator does change the state for everyone.
    expect(await facilitator.intent({ type: 'agenda.go', index: 1 })).toMatchObject({ ok: true })
    await viewer.barrier()
    expect(viewer.facilitation()).toMatchObject({ agenda: { current: 1 }, privateMode: true, vote: { status: 'open' } })
  })
})

describe('participant: direct writes', () => {
  /** A fresh participant makes `change`; expects it refused with `reason`, seen by nobody. */
  async function expectRefused(board: CreatedBoard, observers: SnurraClient[], role: Role, change: (doc: Y.Doc) => void, reason: string, marker?: string) {
    const writer = await join(board, role)
    const marks = observers.map((c) => c.frames.length)
    writer.change(change)
    const rejected = await writer.waitMessage((m) => m.t === 'rejected', `a rejection (${reason})`)
    expect(rejected).toMatchObject({ t: 'rejected', reason })
    await writer.barrier()
    for (const [i, c] of observers.entries()) {
      await c.barrier()
      expect(c.updatesSince(marks[i]), `updates reaching others after a refused ${reason} write`).toEqual([])
      if (marker) expect(c.received(marker, marks[i])).toBe(false)
    }
    writer.terminate()
  }

  it('writes to facilitation, meta, paths and template shapes are refused, reach nobody and are not stored; card edits go through', async () => {
    const board = await server.createBoard('Skrivregler')
    const facilitator = await join(board, 'facilitator')
    const viewer = await join(board, 'viewer')
    const observer = await join(board, 'participant')
    facilitator.change((doc) => addPath(doc, 'Väg ett', 0, 'path-one'))
    expect(await facilitator.intent({ type: 'timer.start', durationMs: 60_000 })).toMatchObject({ ok: true })
    await viewer.barrier()
    await observer.barrier()
    expect(readPaths(viewer.doc).map((p) => p.label)).toEqual(['Väg ett'])
    const task = templateId(facilitator)
    const taskBefore = read(facilitator.doc, task)!
    const facilitationBefore = facilitator.facilitationMap()
    const observers = [facilitator, viewer, observer]

    await expectRefused(board, observers, 'participant', (doc) => doc.getMap(FACILITATION_KEY).set('locked', true), 'server-only')
    await expectRefused(board, observers, 'participant', (doc) => doc.getMap(FACILITATION_KEY).set('timer', { status: 'idle', endsAt: null, remainingMs: 1, durationMs: 1 }), 'server-only')
    await expectRefused(board, observers, 'participant', (doc) => doc.getMap(FACILITATION_KEY).delete('timer'), 'server-only')
    await expectRefused(board, observers, 'participant', (doc) => metaOf(doc).set('title', 'Kapad-titel-91b2'), 'facilitator-only', 'Kapad-titel-91b2')
    await expectRefused(board, observers, 'participant', (doc) => metaOf(doc).delete('template'), 'facilitator-only')
    await expectRefused(board, observers, 'participant', (doc) => renamePath(doc, 'path-one', 'Kapad-väg-91b2'), 'facilitator-only', 'Kapad-väg-91b2')
    await expectRefused(board, observers, 'participant', (doc) => pathsOf(doc).set('path-two', new Y.Map()), 'facilitator-only')
    await expectRefused(board, observers, 'participant', (doc) => writeRecord(recordsOf(doc), { ...read(doc, task)!, x: 4242, id: task } as never), 'facilitator-only')
    await expectRefused(board, observers, 'participant', (doc) => deleteRecord(recordsOf(doc), task), 'facilitator-only')
    // Nobody writes facilitation directly, not even the facilitator.
    await expectRefused(board, observers, 'facilitator', (doc) => doc.getMap(FACILITATION_KEY).set('locked', true), 'server-only')
    await expectRefused(board, observers, 'facilitator', (doc) => doc.getMap(FACILITATION_KEY).set('vote', { status: 'closed', results: { x: 99 } }), 'server-only')

    for (const c of observers) {
      expect(c.facilitationMap()).toEqual(facilitationBefore)
      expect(metaOf(c.doc).get('title')).toBe('Skrivregler')
      expect(read(c.doc, task)).toEqual(taskBefore)
      expect(readPaths(c.doc).map((p) => [p.id, p.label])).toEqual([['path-one', 'Väg ett']])
    }

    // A participant's ordinary card edit (new card, then a change and a delete of another) works.
    const participant = await join(board, 'participant')
    participant.change((doc) => writeRecord(recordsOf(doc), cardRecord('ok-1', { props: { title: 'Läxhjälp' } })))
    participant.change((doc) => writeRecord(recordsOf(doc), cardRecord('ok-2')))
    participant.change((doc) => writeRecord(recordsOf(doc), cardRecord('ok-1', { x: 555, props: { title: 'Läxhjälp' } })))
    participant.change((doc) => deleteRecord(recordsOf(doc), 'shape:card-ok-2'))
    await participant.barrier()
    expect(participant.rejections()).toEqual([])
    await viewer.barrier()
    expect(read(viewer.doc, 'shape:card-ok-1')).toMatchObject({ x: 555, props: { title: 'Läxhjälp' } })
    expect(read(viewer.doc, 'shape:card-ok-2')).toBeUndefined()
    // And the facilitator may set up the board (meta, paths): positive control for the refusals.
    facilitator.change((doc) => metaOf(doc).set('title', 'Skrivregler 2'))
    await facilitator.barrier()
    expect(facilitator.rejections()).toEqual([])

    await restart()
    const stored = storedDoc(server.dataDir, board.id)
    expect(stored.getMap(FACILITATION_KEY).toJSON()).toEqual(facilitationBefore)
    expect(metaOf(stored).get('title')).toBe('Skrivregler 2')
    expect(metaOf(stored).get('template')).toBeDefined()
    expect(read(stored, task)).toEqual(taskBefore)
    expect(readPaths(stored).map((p) => [p.id, p.label])).toEqual([['path-one', 'Väg ett']])
    expect(read(stored, 'shape:card-ok-1')).toMatchObject({ x: 555 })
    expect(read(stored, 'shape:card-ok-2')).toBeUndefined()
  })

  it('a participant cannot make a record part of the template layer (which would lock it for every other participant)', async () => {
    const board = await server.createBoard('Falsk mall')
    const facilitator = await join(board, 'facilitator')
    const owner = await join(board, 'participant')
    owner.change((doc) => writeRecord(recordsOf(doc), cardRecord('mine', { props: { title: 'Mitt kort' } })))
    await owner.barrier()
    await facilitator.barrier()
    const before = read(facilitator.doc, 'shape:card-mine')
    const marked = (n: string) => cardRecord(n, { meta: { author: 'x', sector: 'y', template: true } })
    const observers = [facilitator]
    // A new record flagged as template, the flag set on someone else's card, or set as a whole meta object.
    await expectRefused(board, observers, 'participant', (doc) => writeRecord(recordsOf(doc), marked('fake-task')), 'facilitator-only')
    await expectRefused(board, observers, 'participant', (doc) => writeRecord(recordsOf(doc), { ...marked('mine'), props: before!.props } as never), 'facilitator-only')
    await expectRefused(board, observers, 'participant', (doc) => (recordsOf(doc).get('shape:card-mine') as Y.Array<[string, unknown]>).push([['meta', { template: true }]]), 'facilitator-only')
    expect(read(facilitator.doc, 'shape:card-fake-task')).toBeUndefined()
    expect(read(facilitator.doc, 'shape:card-mine')).toEqual(before)
    // The owner still edits their card; the facilitator may mark the template layer.
    owner.change((doc) => writeRecord(recordsOf(doc), cardRecord('mine', { x: 1, props: { title: 'Mitt kort' } })))
    await owner.barrier()
    expect(owner.rejections()).toEqual([])
    facilitator.change((doc) => writeRecord(recordsOf(doc), marked('facilitators-own')))
    await facilitator.barrier()
    expect(facilitator.rejections()).toEqual([])
  })

  it('a participant cannot plant a deletion of changes the server has not made yet (it would undo a later lock)', async () => {
    const board = await server.createBoard('Tidsinställd')
    const facilitator = await join(board, 'facilitator')
    const attacker = await join(board, 'participant')
    expect(await facilitator.intent({ type: 'lock.set', locked: false })).toMatchObject({ ok: true })
    await attacker.barrier()
    // The server's own writes carry its client id; the attacker learns it from the facilitation map.
    const item = (attacker.doc.getMap(FACILITATION_KEY) as unknown as { _map: Map<string, Y.Item> })._map.get('locked')!
    const serverClient = item.id.client
    const next = Y.getState(attacker.doc.store, serverClient)
    attacker.sendUpdate(deleteOnlyUpdate(serverClient, next, 100_000))
    await attacker.barrier()

    expect(await facilitator.intent({ type: 'lock.set', locked: true })).toMatchObject({ ok: true })
    // Any later update makes Yjs retry deletions it held back.
    facilitator.change((doc) => writeRecord(recordsOf(doc), cardRecord('trigger')))
    await facilitator.barrier()
    const late = await join(board, 'participant')
    expect(late.facilitation().locked).toBe(true)
    late.change((doc) => writeRecord(recordsOf(doc), cardRecord('while-locked')))
    expect(await late.waitMessage((m) => m.t === 'rejected')).toMatchObject({ t: 'rejected', reason: 'locked', records: ['shape:card-while-locked'] })
    // The planted deletion itself was refused, not stored for later.
    expect(attacker.rejections()).toEqual([{ t: 'rejected', reason: 'unknown-target' }])
    expect(storedDoc(server.dataDir, board.id).getMap(FACILITATION_KEY).get('locked')).toBe(true)
  })

  it('the facilitator cannot write facilitation through an item placed next to a change the server has not made yet', async () => {
    const board = await server.createBoard('Föregripen')
    const facilitator = await join(board, 'facilitator')
    expect(await facilitator.intent({ type: 'lock.set', locked: false })).toMatchObject({ ok: true })
    await facilitator.barrier()
    const map = facilitator.doc.getMap(FACILITATION_KEY) as unknown as { _map: Map<string, Y.Item> }
    const serverClient = map._map.get('locked')!.id.client
    // Build, in a scratch copy, the server's next write of 'locked' and an overwrite of it by a
    // made-up client; send only the overwrite, as a client sends a transaction: the new item (to
    // the right of the server's future one) and the deletion of that future item.
    const scratch = new Y.Doc()
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(facilitator.doc))
    scratch.clientID = serverClient
    scratch.getMap(FACILITATION_KEY).set('locked', true)
    scratch.clientID = 987654321
    let forged: Uint8Array | null = null
    scratch.on('update', (u: Uint8Array) => (forged = u))
    scratch.getMap(FACILITATION_KEY).set('locked', false)
    expect(forged).not.toBeNull()
    facilitator.sendUpdate(forged!)
    await facilitator.barrier()

    expect(await facilitator.intent({ type: 'lock.set', locked: true })).toMatchObject({ ok: true })
    facilitator.change((doc) => writeRecord(recordsOf(doc), cardRecord('trigger')))
    await facilitator.barrier()
    const late = await join(board, 'viewer')
    expect(late.facilitation().locked).toBe(true)
    expect(storedDoc(server.dataDir, board.id).getMap(FACILITATION_KEY).get('locked')).toBe(true)
    expect(facilitator.rejections()).toEqual([{ t: 'rejected', reason: 'unknown-target' }])
  })
})

describe('malformed Snurra messages', () => {
  it('a bad intent is answered as malformed and changes nothing; a frame that is not a JSON object closes only that socket', async () => {
    const board = await server.createBoard('Trasigt')
    const facilitator = await join(board, 'facilitator')
    const participant = await join(board, 'participant')
    for (const intent of [null, 'timer.start', { type: 'timer.start' }, { type: 'lock.set', locked: 'yes' }, { type: 'no.such' }]) {
      expect(await facilitator.intent(intent), JSON.stringify(intent)).toMatchObject({ t: 'result', ok: false, error: 'malformed' })
    }
    // No usable id: answered with id -1.
    facilitator.send(snurraFrame({ t: 'intent', id: 'one', intent: { type: 'lock.set', locked: true } }))
    facilitator.send(snurraFrame({ t: 'nonsense', id: 7 }))
    await facilitator.waitMessage((m) => m.t === 'result' && m.id === 7 && !m.ok, 'the answer to a message that is no intent')
    expect(facilitator.messages.filter((m) => m.t === 'result' && m.id === -1)).toEqual([{ t: 'result', id: -1, ok: false, error: 'malformed' }])
    await facilitator.barrier()
    expect(facilitator.facilitationMap()).toEqual({})
    participant.send(snurraFrame('[1,2,3]'))
    expect(await closeCode(participant as never)).toBe(4400)
    expect(facilitator.isOpen()).toBe(true)
    expect(await facilitator.intent({ type: 'lock.set', locked: true })).toMatchObject({ ok: true })
  })
})

describe('identity', () => {
  it('a device key equal to someone’s person id does not make you that person', async () => {
    const board = await server.createBoard('Identitet')
    const a = await join(board, 'participant')
    const helloA = await a.hello()
    expect(helloA.personId).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const impostor = await join(board, 'participant', helloA.personId)
    const helloI = await impostor.hello()
    expect(helloI.personId).not.toBe(helloA.personId)
    // The same key on another board is another person there.
    const other = await server.createBoard('Annan')
    const key = deviceKey()
    const here = await join(board, 'participant', key)
    const there = await join(other, 'participant', key)
    expect((await here.hello()).personId).not.toBe((await there.hello()).personId)
    // A key outside the allowed form is no identity at all: no hello, and voting says so.
    const short = await join(board, 'participant', 'too-short')
    expect(await short.intent({ type: 'vote.cast', cardId: 'shape:x' })).toMatchObject({ ok: false, error: 'no-vote' })
    expect(short.messages.filter((m) => m.t === 'hello')).toEqual([])
  })
})
