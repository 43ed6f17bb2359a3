/**
 * A bad or missing token: the connection is refused (HTTP 401 before the upgrade, or close code
 * 4401) and nothing it sent is applied. Viewers read but their edits are dropped.
 */
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { newBoardId } from '../../core/ids.ts'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { signToken } from '../../server/tokens.ts'
import {
  awarenessFrame,
  awarenessUpdateFor,
  closeCode,
  connectClient,
  connectSynced,
  destroyAllClients,
  rawConnect,
  step1Frame,
  syncFrame,
  SYNC_STEP2,
  updateFrame,
  waitFor,
  waitSynced,
  type RawClient,
} from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { querySqlite, sleep, stopAllServers, type CreatedBoard, type ServerHandle } from '../helpers/server.ts'

let server: ServerHandle
let board: CreatedBoard
let otherBoard: CreatedBoard

beforeAll(async () => {
  server = await startInProcessServer()
  board = await server.createBoard('Behörighet')
  otherBoard = await server.createBoard('En annan tavla')
})
afterEach(destroyAllClients)
afterAll(stopAllServers)

const secret = () => Buffer.from(server.secret, 'utf8')

/** An update that would add `shape:card-<tag>` (made in a throwaway doc). */
function intrusion(tag: string): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => writeRecord(recordsOf(doc), cardRecord(tag)))
  return Y.encodeStateAsUpdate(doc)
}

/**
 * Opens a raw socket with `token` and, the moment it opens, sends an update (as sync update and
 * as step 2), an awareness state and a step 1; expects the refusal `code`.
 */
async function expectRefusedAndNothingApplied(boardId: string, token: string | null, tag: string, code: number): Promise<RawClient> {
  const update = intrusion(tag)
  const probe = new Y.Doc()
  const raw = rawConnect(server.wsUrl, boardId, token, {
    onOpen: (ws) => {
      ws.send(updateFrame(update))
      ws.send(syncFrame(SYNC_STEP2, update))
      ws.send(awarenessFrame(awarenessUpdateFor(424242, 1, { user: { name: 'Inkräktare' } })))
      ws.send(step1Frame(probe))
    },
  })
  const got = await closeCode(raw)
  if (got === -1) expect(raw.httpStatus()).toBe(401)
  else expect(got).toBe(code)
  // The server never answered the step 1 it was sent: no document content leaked.
  expect(raw.frames.filter((f) => f.kind === 'sync' && f.step === SYNC_STEP2)).toEqual([])
  return raw
}

async function expectNotStored(boardId: string, validToken: string, tag: string): Promise<void> {
  const check = await connectSynced(server.wsUrl, boardId, validToken)
  expect(read(check.doc, `shape:card-${tag}`), `card ${tag} must not be applied`).toBeUndefined()
  expect(check.provider.awareness.getStates().has(424242)).toBe(false)
  check.destroy()
  const rows = querySqlite<{ data: Buffer }>(server.dataDir, 'SELECT data FROM updates WHERE board_id = ?', boardId)
  const replay = new Y.Doc()
  const [snap] = querySqlite<{ state: Buffer }>(server.dataDir, 'SELECT state FROM snapshots WHERE board_id = ?', boardId)
  Y.applyUpdate(replay, new Uint8Array(snap.state))
  for (const row of rows) Y.applyUpdate(replay, new Uint8Array(row.data))
  expect(read(replay, `shape:card-${tag}`), `card ${tag} must not be stored`).toBeUndefined()
}

describe('refused connections apply nothing', () => {
  it('positive control: a valid participant token is accepted and its raw update is applied', async () => {
    const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'the server’s step 1')
    raw.send(updateFrame(intrusion('control')))
    const check = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    await waitFor(() => read(check.doc, 'shape:card-control') !== undefined, 'the control card')
    raw.close()
  })

  it('missing token → 4401', async () => {
    await expectRefusedAndNothingApplied(board.id, null, 'no-token', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'no-token')
  })

  it('empty token → 4401', async () => {
    await expectRefusedAndNothingApplied(board.id, '', 'empty-token', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'empty-token')
  })

  it('forged token (one character of the signature changed) → 4401', async () => {
    const token = board.tokens.facilitator
    const dot = token.indexOf('.')
    // Change a character in the middle of the signature: every one of its bits is significant.
    const i = dot + 10
    const forged = token.slice(0, i) + (token[i] === 'x' ? 'y' : 'x') + token.slice(i + 1)
    expect(forged).not.toBe(token)
    await expectRefusedAndNothingApplied(board.id, forged, 'forged', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'forged')
  })

  it('forged token (payload changed to another role, signature kept) → 4401', async () => {
    const [payload, mac] = board.tokens.viewer.split('.')
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    const promoted = Buffer.from(JSON.stringify({ ...claims, r: 'facilitator' })).toString('base64url')
    await expectRefusedAndNothingApplied(board.id, `${promoted}.${mac}`, 'promoted', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'promoted')
  })

  it('token for another board → 4401', async () => {
    await expectRefusedAndNothingApplied(board.id, otherBoard.tokens.facilitator, 'crossed', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'crossed')
  })

  it('expired token → 4401 (a fresh token signed the same way is accepted)', async () => {
    const fresh = signToken(secret(), { boardId: board.id, role: 'participant', expiresAt: Date.now() + 60_000 })
    const ok = await connectSynced(server.wsUrl, board.id, fresh)
    expect(ok.closeCodes).toEqual([])
    ok.destroy()

    const expired = signToken(secret(), { boardId: board.id, role: 'participant', expiresAt: Date.now() - 1000 })
    await expectRefusedAndNothingApplied(board.id, expired, 'expired', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'expired')
  })

  it('token signed with another secret → 4401', async () => {
    const wrong = signToken(Buffer.from('another-secret-another-secret-another', 'utf8'), {
      boardId: board.id,
      role: 'facilitator',
      expiresAt: Date.now() + 60_000,
    })
    await expectRefusedAndNothingApplied(board.id, wrong, 'wrong-secret', 4401)
    await expectNotStored(board.id, board.tokens.participant, 'wrong-secret')
  })

  it('a stock provider with a bad token gets 4401 and stops reconnecting', async () => {
    const client = connectClient(server.wsUrl, board.id, 'garbage.token')
    const closed = new Promise<{ code: number }>((resolve) => client.provider.on('closed', (e: { code: number }) => resolve(e)))
    write(client.doc, cardRecord('provider-bad-token'))
    expect((await closed).code).toBe(4401)
    expect(client.provider.synced).toBe(false)
    await sleep(300)
    expect(client.closeCodes).toEqual([4401])
    await expectNotStored(board.id, board.tokens.participant, 'provider-bad-token')
  })

  it('unknown board id → 4404 (well-formed id with a valid token for it, and a malformed id)', async () => {
    const ghost = newBoardId()
    const token = signToken(secret(), { boardId: ghost, role: 'facilitator', expiresAt: Date.now() + 60_000 })
    expect(await closeCode(rawConnect(server.wsUrl, ghost, token))).toBe(4404)
    expect(await closeCode(rawConnect(server.wsUrl, 'not-a-board', board.tokens.facilitator))).toBe(4404)
    // And no board came into being.
    expect(querySqlite(server.dataDir, 'SELECT id FROM boards WHERE id = ?', ghost)).toEqual([])
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
  })
})

describe('viewer', () => {
  it('syncs and reads, but its updates are dropped: never forwarded, never stored (also not on reconnect)', async () => {
    const b = await server.createBoard('Visning')
    const viewer = await connectSynced(server.wsUrl, b.id, b.tokens.viewer)
    const participant = await connectSynced(server.wsUrl, b.id, b.tokens.participant)
    expect(viewer.doc.getMap('meta').get('title')).toBe('Visning')

    // Reads: the participant's edit reaches the viewer.
    write(participant.doc, cardRecord('p1'))
    await waitFor(() => read(viewer.doc, 'shape:card-p1') !== undefined, 'the viewer to see the participant’s card')

    // Writes: dropped.
    write(viewer.doc, cardRecord('v1'))
    write(viewer.doc, { ...cardRecord('p1'), x: 9999 })
    // Barrier: the viewer's awareness is sent after its updates on the same socket, and the
    // participant's next edit is stored after them. Once both arrived, the updates were handled.
    viewer.provider.awareness.setLocalStateField('user', { name: 'Tittare' })
    await waitFor(() => participant.provider.awareness.getStates().get(viewer.doc.clientID)?.user?.name === 'Tittare', 'the viewer’s awareness')
    write(participant.doc, cardRecord('p2'))
    await waitFor(() => read(viewer.doc, 'shape:card-p2') !== undefined, 'the viewer to see p2')
    await sleep(200)
    expect(read(participant.doc, 'shape:card-v1')).toBeUndefined()
    expect(read(participant.doc, 'shape:card-p1')!.x).toBe(100)
    expect(viewer.closeCodes).toEqual([]) // dropped silently, not disconnected

    // The viewer keeps its local edit and re-sends it on every reconnect (sync step 2): still dropped.
    participant.destroy()
    expect((await server.stop()).code).toBe(0)
    await server.restart()
    await waitFor(() => viewer.provider.synced, 'the viewer to reconnect and resync', 10_000)
    expect(read(viewer.doc, 'shape:card-v1')).toBeDefined()
    const fresh = await connectSynced(server.wsUrl, b.id, b.tokens.participant)
    await sleep(200)
    expect(read(fresh.doc, 'shape:card-p2')).toBeDefined()
    expect(read(fresh.doc, 'shape:card-v1')).toBeUndefined()
    expect(read(fresh.doc, 'shape:card-p1')!.x).toBe(100)
    viewer.destroy()
    fresh.destroy()
    // Not in storage either, after everything was flushed on shutdown.
    await server.stop()
    await server.restart()
    const last = await connectSynced(server.wsUrl, b.id, b.tokens.facilitator)
    expect(read(last.doc, 'shape:card-v1')).toBeUndefined()
    expect(read(last.doc, 'shape:card-p2')).toBeDefined()
  })

  it('a raw viewer socket sending updates is not disconnected but nothing is applied', async () => {
    const b = await server.createBoard('Rå visning')
    const raw = rawConnect(server.wsUrl, b.id, b.tokens.viewer)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync' && f.step === 0, 'step 1')
    raw.send(updateFrame(intrusion('raw-viewer')))
    raw.send(syncFrame(SYNC_STEP2, intrusion('raw-viewer-2')))
    raw.send(step1Frame(new Y.Doc()))
    // The answer to the step 1 comes after the updates were handled.
    await raw.waitForFrame((f) => f.kind === 'sync' && f.step === SYNC_STEP2, 'step 2')
    expect(raw.isOpen()).toBe(true)
    await expectNotStored(b.id, b.tokens.participant, 'raw-viewer')
    await expectNotStored(b.id, b.tokens.participant, 'raw-viewer-2')
    raw.close()
  })

  it('viewer waits for sync like everyone else', async () => {
    const b = await server.createBoard('Vänta')
    const viewer = connectClient(server.wsUrl, b.id, b.tokens.viewer)
    await waitSynced(viewer)
    expect(viewer.doc.getMap('meta').get('title')).toBe('Vänta')
  })
})
