/**
 * Private mode: a participant's drafts live in a document of their own on the server
 * (`/ws/<board>/private`, one per person) and are never sent to anyone else, in any frame, until
 * the facilitator reveals them; then they join the board for everyone, leave the drafts, and are
 * stored with the board.
 */
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readAllRecords, recordsOf, writeRecord } from '../../core/record-store.ts'
import { closeCode, destroyAllClients } from '../helpers/clients.ts'
import { cardRecord, read, taskSegmentIds } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { stopAllServers, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'
import { destroyAllSnurraClients, deviceKey, snurraConnect, snurraSynced, storedBytes, storedDoc, storedState } from '../helpers/snurra.ts'

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
const drafts = (board: CreatedBoard, person: string, role: Role = 'participant') =>
  snurraSynced(server.wsUrl, board.id, board.tokens[role], { person, private: true })

/** A card with a unique id and title, so its bytes can be searched for anywhere. */
function secretCard(label: string) {
  const tag = randomBytes(6).toString('hex')
  return { id: `shape:card-${label}-${tag}`, title: `Hemligt ${label} ${tag}`, record: cardRecord(`${label}-${tag}`, { props: { title: `Hemligt ${label} ${tag}` } }) }
}

async function restart(): Promise<void> {
  destroyAllSnurraClients()
  expect((await server.stop()).code).toBe(0)
  await server.restart()
}

describe('private mode', () => {
  it('drafts reach nobody else until revealed; then everyone gets them, the drafts are emptied, and it is stored', async () => {
    const board = await server.createBoard('Privat')
    const keyA = deviceKey()
    const keyB = deviceKey()
    const facilitator = await join(board, 'facilitator')
    const a = await join(board, 'participant', keyA)
    const b = await join(board, 'participant', keyB)
    const viewer = await join(board, 'viewer')
    const pidA = (await a.hello()).personId!

    expect(await a.intent({ type: 'private.set', on: true })).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await facilitator.intent({ type: 'private.set', on: true })).toMatchObject({ ok: true })
    await b.barrier()
    expect(b.facilitation().privateMode).toBe(true)

    const draftsA = await drafts(board, keyA)
    const draftsB = await drafts(board, keyB)
    // A private room starts empty: it is not the board.
    expect(readAllRecords(draftsA.doc)).toEqual([])
    const secretA = secretCard('a')
    const secretB = secretCard('b')
    draftsA.change((doc) => writeRecord(recordsOf(doc), secretA.record))
    draftsB.change((doc) => writeRecord(recordsOf(doc), secretB.record))
    draftsA.change((doc) => writeRecord(recordsOf(doc), { ...secretA.record, x: 640 }))
    await draftsA.barrier()
    await draftsB.barrier()
    // Meanwhile A also works on the board in the open.
    a.change((doc) => writeRecord(recordsOf(doc), cardRecord('open-a', { props: { title: 'Öppet kort' } })))
    await a.barrier()

    const others = { facilitator, b, draftsB, viewer }
    for (const [name, c] of Object.entries(others)) {
      await c.barrier()
      expect(c.received(secretA.id), `${name} received A's card id`).toBe(false)
      expect(c.received(secretA.title), `${name} received A's card title`).toBe(false)
      expect(read(c.doc, secretA.id)).toBeUndefined()
    }
    for (const [name, c] of Object.entries({ facilitator, a, draftsA, viewer })) {
      expect(c.received(secretB.id), `${name} received B's card id`).toBe(false)
      expect(c.received(secretB.title), `${name} received B's card title`).toBe(false)
    }
    // Positive control for the byte search: the open card did reach them.
    expect(b.received('Öppet kort')).toBe(true)
    expect(viewer.received('Öppet kort')).toBe(true)
    // The drafts are kept beside the board, not in it.
    expect(storedBytes(server.dataDir, board.id).includes(Buffer.from(secretA.title))).toBe(false)
    expect(typeof storedState(server.dataDir, board.id, `private:${pidA}`)).toBe('string')

    // Without a device key, or as a viewer, there are no drafts to open.
    for (const [what, token, person] of [
      ['viewer with a key', board.tokens.viewer, keyA],
      ['participant without a key', board.tokens.participant, null],
      ['participant with a malformed key', board.tokens.participant, 'short'],
      ['no token', null, keyA],
    ] as const) {
      const refused = snurraConnect(server.wsUrl, board.id, token, { person, private: true })
      expect(await closeCode(refused as never), what).toBe(4401)
      expect(refused.received(secretA.title), what).toBe(false)
      expect(refused.frames.filter((f) => f.kind === 'sync'), what).toEqual([])
    }

    // A reconnects and still has the draft, which is kept whole in the board's private state.
    draftsA.close()
    await draftsA.closed
    const draftsA2 = await drafts(board, keyA)
    expect(read(draftsA2.doc, secretA.id)).toMatchObject({ x: 640, props: { title: secretA.title } })
    const kept = new Y.Doc()
    Y.applyUpdate(kept, new Uint8Array(Buffer.from(storedState(server.dataDir, board.id, `private:${pidA}`) as string, 'base64')))
    expect(read(kept, secretA.id)).toMatchObject({ x: 640, props: { title: secretA.title } })

    // Reveal.
    const [f2, b2, v2, draftsB2] = [facilitator, b, viewer, draftsB]
    expect(read(b2.doc, secretA.id)).toBeUndefined()
    expect(await b2.intent({ type: 'private.reveal' })).toMatchObject({ ok: false, error: 'forbidden' })
    expect(await f2.intent({ type: 'private.reveal' })).toMatchObject({ ok: true })
    for (const c of [b2, v2, draftsA2, draftsB2]) await c.barrier()
    for (const c of [f2, b2, v2]) {
      expect(c.facilitation().privateMode).toBe(false)
      expect(read(c.doc, secretA.id)).toMatchObject({ x: 640, props: { title: secretA.title } })
      expect(read(c.doc, secretB.id)).toMatchObject({ props: { title: secretB.title } })
    }
    expect(b2.received(secretA.title)).toBe(true)
    expect(v2.received(secretA.title)).toBe(true)
    expect(read(draftsA2.doc, secretA.id), 'A’s drafts no longer hold the card').toBeUndefined()
    expect(read(draftsB2.doc, secretB.id)).toBeUndefined()
    expect(read(storedDoc(server.dataDir, board.id), secretA.id)).toMatchObject({ x: 640 })
    const keptAfter = new Y.Doc()
    Y.applyUpdate(keptAfter, new Uint8Array(Buffer.from(storedState(server.dataDir, board.id, `private:${pidA}`) as string, 'base64')))
    expect(read(keptAfter, secretA.id)).toBeUndefined()

    // A second reveal has nothing left to move: no duplicate, no change.
    const mark = v2.frames.length
    expect(await f2.intent({ type: 'private.reveal' })).toMatchObject({ ok: true })
    await v2.barrier()
    expect(v2.updatesSince(mark)).toEqual([])

    await restart()
    const last = await join(board, 'viewer')
    expect(read(last.doc, secretA.id)).toMatchObject({ x: 640, props: { title: secretA.title } })
    expect(read(last.doc, secretB.id)).toMatchObject({ props: { title: secretB.title } })
    const lastDrafts = await drafts(board, keyA)
    expect(readAllRecords(lastDrafts.doc)).toEqual([])
  })

  it('a reveal only adds new cards: a draft cannot overwrite the template layer or someone else’s card', async () => {
    const board = await server.createBoard('Privat manipulation')
    const keyA = deviceKey()
    const facilitator = await join(board, 'facilitator')
    const b = await join(board, 'participant')
    b.change((doc) => writeRecord(recordsOf(doc), cardRecord('b-own', { props: { title: 'B:s kort' } })))
    await b.barrier()
    const task = taskSegmentIds(facilitator.doc)[0]
    await facilitator.barrier()
    const taskBefore = read(facilitator.doc, task)
    const bBefore = read(facilitator.doc, 'shape:card-b-own')
    expect(bBefore).toBeDefined()

    expect(await facilitator.intent({ type: 'private.set', on: true })).toMatchObject({ ok: true })
    const draftsA = await drafts(board, keyA)
    // A modified client puts "cards" with the ids of a template shape and of B's card in its drafts.
    draftsA.change((doc) => {
      writeRecord(recordsOf(doc), { ...cardRecord('x', { props: { title: 'Kapad mall' } }), id: task })
      writeRecord(recordsOf(doc), { ...cardRecord('y', { props: { title: 'Kapat kort' } }), id: 'shape:card-b-own' })
      writeRecord(recordsOf(doc), cardRecord('a-new', { props: { title: 'A:s nya kort' } }))
    })
    await draftsA.barrier()
    expect(await facilitator.intent({ type: 'private.reveal' })).toMatchObject({ ok: true })
    await b.barrier()
    expect(read(b.doc, 'shape:card-a-new')).toMatchObject({ props: { title: 'A:s nya kort' } })
    expect(read(b.doc, task)).toEqual(taskBefore)
    expect(read(b.doc, 'shape:card-b-own')).toEqual(bBefore)
    const stored = storedDoc(server.dataDir, board.id)
    expect(read(stored, task)).toEqual(taskBefore)
    expect(read(stored, 'shape:card-b-own')).toEqual(bBefore)
  })

  it('a person’s drafts are capped: a change past MAX_DRAFTS_BYTES is refused and stored nowhere, and a reveal makes room again', async () => {
    const small = await startInProcessServer({ env: { MAX_DRAFTS_BYTES: '8192' } })
    const board = await small.createBoard('Fulla utkast')
    const key = deviceKey()
    const open = (role: Role, person: string, isPrivate = false) => snurraSynced(small.wsUrl, board.id, board.tokens[role], { person, private: isPrivate })
    const facilitator = await open('facilitator', deviceKey())
    const participant = await open('participant', key)
    const personId = (await participant.hello()).personId!
    expect(await facilitator.intent({ type: 'private.set', on: true })).toMatchObject({ ok: true })

    // Draft cards of about 1 KB each until the server refuses one.
    const mine = await open('participant', key, true)
    const bigCard = (n: number | string) => cardRecord(`d${n}`, { props: { description: `${n} `.padEnd(900, 'x') } })
    let n = 0
    for (; n < 40 && mine.rejections().length === 0; n++) {
      const card = bigCard(n)
      mine.change((doc) => writeRecord(recordsOf(doc), card))
      await mine.barrier()
    }
    expect(mine.rejections().map((r) => r.reason)).toEqual(['drafts-full'])
    const refused = n - 1
    expect(refused, 'cards that fit in 8 KB').toBeGreaterThan(3)
    expect(mine.isOpen(), 'refused, not disconnected').toBe(true)

    // Not stored: the same person's second tab gets every card but the refused one, and the stored drafts stay under the cap.
    const tab = await open('participant', key, true)
    for (let i = 0; i < refused; i++) expect(read(tab.doc, `shape:card-d${i}`), `draft ${i}`).toBeDefined()
    expect(read(tab.doc, `shape:card-d${refused}`)).toBeUndefined()
    const stored = Buffer.from(storedState(small.dataDir, board.id, `private:${personId}`) as string, 'base64')
    expect(stored.length).toBeLessThanOrEqual(8192)

    // The reveal moves the drafts to the board and empties them: a fresh copy has room again.
    mine.close()
    tab.close()
    expect(await facilitator.intent({ type: 'private.reveal' })).toMatchObject({ ok: true })
    await facilitator.barrier()
    expect(read(facilitator.doc, 'shape:card-d0')).toBeDefined()
    expect(read(facilitator.doc, `shape:card-d${refused}`)).toBeUndefined()
    const fresh = await open('participant', key, true)
    for (let i = 0; i < 3; i++) {
      const card = bigCard(`after-${i}`)
      fresh.change((doc) => writeRecord(recordsOf(doc), card))
    }
    await fresh.barrier()
    expect(fresh.rejections()).toEqual([])
    const check = await open('participant', key, true)
    expect(read(check.doc, 'shape:card-dafter-2')).toBeDefined()
  })
})
