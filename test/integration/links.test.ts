/**
 * Replacing links: `POST /api/boards/<id>/links?token=<facilitator>` with `{roles: [...]}` makes
 * the old tokens of those roles stop working at once (401 over HTTP, 4401 on the socket, open
 * sockets closed with 4401, private-draft sockets too), hands out new ones, and is the
 * facilitator's alone.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { closeCode, destroyAllClients } from '../helpers/clients.ts'
import { cardRecord, read } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { stopAllServers, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'
import { destroyAllSnurraClients, deviceKey, snurraConnect, snurraSynced, type SnurraClient } from '../helpers/snurra.ts'

let server: ServerHandle

beforeAll(async () => {
  server = await startInProcessServer()
})
afterEach(() => {
  destroyAllSnurraClients()
  destroyAllClients()
})
afterAll(stopAllServers)

type Links = CreatedBoard['links']
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!

async function replaceLinks(boardId: string, token: string, body: string, contentType = 'application/json') {
  const res = await fetch(`${server.url}/api/boards/${boardId}/links?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body,
  })
  const json = (await res.json()) as { id?: string; links?: Links; error?: string }
  return { status: res.status, json }
}

async function session(boardId: string, token: string) {
  const res = await fetch(`${server.url}/api/boards/${boardId}/session?token=${encodeURIComponent(token)}`)
  return { status: res.status, json: (await res.json()) as { role?: string; error?: string } }
}

const connect = (boardId: string, token: string, options: { person?: string | null; private?: boolean } = {}) =>
  snurraSynced(server.wsUrl, boardId, token, { person: deviceKey(), ...options })

async function expectClosedWith4401(c: SnurraClient, what: string) {
  expect(await closeCode(c as never), what).toBe(4401)
}

describe('replacing links', () => {
  it('only the facilitator may, and only with a list of roles', async () => {
    const board = await server.createBoard('Länkar 1')
    const { facilitator, participant, viewer } = board.tokens
    expect((await replaceLinks(board.id, participant, '{"roles":["participant","viewer"]}')).status).toBe(403)
    expect((await replaceLinks(board.id, viewer, '{"roles":["viewer"]}')).status).toBe(403)
    for (const body of ['{"roles":', 'not json', '[]', '{"roles":[]}', '{"roles":["participant","admin"]}', '{"roles":["admin"]}', '{"roles":"viewer"}', '{"roles":{"0":"viewer"}}', '{"roles":[null]}', '{"roles":["viewer","viewer","viewer","viewer"]}']) {
      const res = await replaceLinks(board.id, facilitator, body)
      expect(res.status, body).toBe(400)
      expect(res.json.error, body).toEqual(expect.any(String))
    }
    expect((await replaceLinks(board.id, facilitator, '{"roles":["viewer"]}', 'text/plain')).status).toBe(415)
    expect((await replaceLinks(board.id, 'garbage', '{"roles":["viewer"]}')).status).toBe(401)
    // None of the refused requests replaced anything.
    for (const token of [participant, viewer, facilitator]) expect((await session(board.id, token)).status).toBe(200)
    const p = await connect(board.id, participant)
    expect(p.isOpen()).toBe(true)
  })

  it('old participant and viewer tokens stop working at once; open sockets with them close; new links work', async () => {
    const board = await server.createBoard('Länkar 2')
    const old = board.tokens
    const keyP = deviceKey()
    const f = await connect(board.id, old.facilitator)
    const p = await connect(board.id, old.participant, { person: keyP })
    const pDrafts = await connect(board.id, old.participant, { person: keyP, private: true })
    const pAnon = await connect(board.id, old.participant, { person: null })
    const v = await connect(board.id, old.viewer)
    const fDrafts = await connect(board.id, old.facilitator, { private: true })

    const res = await replaceLinks(board.id, old.facilitator, JSON.stringify({ roles: ['participant', 'viewer'] }))
    expect(res.status).toBe(200)
    expect(res.json.id).toBe(board.id)
    const fresh = { facilitator: tokenOf(res.json.links!.facilitator), participant: tokenOf(res.json.links!.participant), viewer: tokenOf(res.json.links!.viewer) }
    expect(fresh.participant).not.toBe(old.participant)
    expect(fresh.viewer).not.toBe(old.viewer)

    await expectClosedWith4401(p, 'participant socket')
    await expectClosedWith4401(pDrafts, 'participant drafts socket')
    await expectClosedWith4401(pAnon, 'participant socket without a key')
    await expectClosedWith4401(v, 'viewer socket')
    // The facilitator's sockets stay.
    await f.barrier()
    await fDrafts.barrier()
    expect(f.isOpen() && fDrafts.isOpen()).toBe(true)

    for (const token of [old.participant, old.viewer]) {
      expect((await session(board.id, token)).status).toBe(401)
      const refused = snurraConnect(server.wsUrl, board.id, token, { person: keyP })
      refused.change((doc) => writeRecord(recordsOf(doc), cardRecord('via-old-link')))
      expect(await closeCode(refused as never)).toBe(4401)
      expect(refused.frames.filter((frame) => frame.kind === 'sync')).toEqual([])
      expect(await closeCode(snurraConnect(server.wsUrl, board.id, token, { person: keyP, private: true }) as never)).toBe(4401)
    }
    // The facilitator's link was not replaced: old and new both work.
    expect(await session(board.id, old.facilitator)).toMatchObject({ status: 200, json: { role: 'facilitator' } })
    expect(await session(board.id, fresh.facilitator)).toMatchObject({ status: 200, json: { role: 'facilitator' } })
    expect(await session(board.id, fresh.participant)).toMatchObject({ status: 200, json: { role: 'participant' } })
    expect(await session(board.id, fresh.viewer)).toMatchObject({ status: 200, json: { role: 'viewer' } })

    const p2 = await connect(board.id, fresh.participant, { person: keyP })
    const v2 = await connect(board.id, fresh.viewer)
    p2.change((doc) => writeRecord(recordsOf(doc), cardRecord('via-new-link')))
    await p2.barrier()
    expect(p2.rejections()).toEqual([])
    await v2.barrier()
    expect(read(v2.doc, 'shape:card-via-new-link')).toBeDefined()
    expect(read(v2.doc, 'shape:card-via-old-link')).toBeUndefined()
    expect(await p2.intent({ type: 'lock.set', locked: true })).toMatchObject({ ok: false, error: 'forbidden' }) // still a participant

    // Replacing only the viewer link leaves participants alone.
    const again = await replaceLinks(board.id, fresh.facilitator, JSON.stringify({ roles: ['viewer'] }))
    expect(again.status).toBe(200)
    await expectClosedWith4401(v2, 'the newer viewer socket')
    await p2.barrier()
    expect(p2.isOpen()).toBe(true)
    expect(tokenOf(again.json.links!.participant)).not.toBe(old.participant)
    expect((await session(board.id, tokenOf(again.json.links!.participant))).status).toBe(200)
    expect((await session(board.id, fresh.participant)).status).toBe(200)
    expect((await session(board.id, fresh.viewer)).status).toBe(401)
    expect((await session(board.id, tokenOf(again.json.links!.viewer))).status).toBe(200)

    // It holds across a restart.
    destroyAllSnurraClients()
    expect((await server.stop()).code).toBe(0)
    await server.restart()
    expect((await session(board.id, old.participant)).status).toBe(401)
    expect((await session(board.id, fresh.viewer)).status).toBe(401)
    expect((await session(board.id, fresh.participant)).status).toBe(200)
    expect(await closeCode(snurraConnect(server.wsUrl, board.id, old.viewer, {}) as never)).toBe(4401)
    const p3 = await connect(board.id, fresh.participant)
    expect(read(p3.doc, 'shape:card-via-new-link')).toBeDefined()
  })

  it('the facilitator link can be replaced too: the old one stops at once, its sockets close with 4401', async () => {
    const board = await server.createBoard('Läckt ledarlänk')
    const old = board.tokens
    const f = await connect(board.id, old.facilitator)
    const fDrafts = await connect(board.id, old.facilitator, { private: true })
    const p = await connect(board.id, old.participant)

    const res = await replaceLinks(board.id, old.facilitator, JSON.stringify({ roles: ['facilitator'] }))
    expect(res.status).toBe(200)
    const fresh = tokenOf(res.json.links!.facilitator)
    expect(fresh).not.toBe(old.facilitator)
    await expectClosedWith4401(f, 'facilitator socket')
    await expectClosedWith4401(fDrafts, 'facilitator drafts socket')
    await p.barrier()
    expect(p.isOpen()).toBe(true)

    expect((await session(board.id, old.facilitator)).status).toBe(401)
    expect((await replaceLinks(board.id, old.facilitator, '{"roles":["facilitator"]}')).status).toBe(401)
    expect(await closeCode(snurraConnect(server.wsUrl, board.id, old.facilitator, { person: deviceKey() }) as never)).toBe(4401)
    expect(await session(board.id, fresh)).toMatchObject({ status: 200, json: { role: 'facilitator' } })
    // The participant link was not replaced.
    expect((await session(board.id, old.participant)).status).toBe(200)
    const f2 = await connect(board.id, fresh)
    expect(await f2.intent({ type: 'lock.set', locked: true })).toMatchObject({ ok: true })
  })

  it('another board’s facilitator cannot replace this board’s links', async () => {
    const board = await server.createBoard('Länkar 3')
    const other = await server.createBoard('Länkar 4')
    expect((await replaceLinks(board.id, other.tokens.facilitator, '{"roles":["participant"]}')).status).toBe(401)
    expect((await session(board.id, board.tokens.participant)).status).toBe(200)
  })
})
