/**
 * Bad input closes that one connection (4400 malformed, 1009 oversized) and changes nothing;
 * everyone else on the board keeps syncing and the server keeps running.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import {
  awarenessFrame,
  closeCode,
  connectSynced,
  destroyAllClients,
  rawConnect,
  step1Frame,
  syncFrame,
  SYNC_UPDATE,
  updateFrame,
  waitFor,
  waitSynced,
  connectClient,
  type Client,
} from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { querySqlite, startTestServer, stopAllServers, type CreatedBoard, type TestServer } from '../helpers/server.ts'

const MAX_PAYLOAD = 64 * 1024

let server: TestServer
let board: CreatedBoard
let a: Client
let b: Client
let probe = 0

beforeAll(async () => {
  server = await startTestServer({ env: { MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD), LOG_LEVEL: 'debug' } })
  board = await server.createBoard('Trasig indata')
})
// Two bystanders on the same board in every test.
beforeEach(bystanders)
afterEach(destroyAllClients)
afterAll(stopAllServers)

async function bystanders(): Promise<void> {
  a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
  b = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
}

/** A and B still sync both ways and were never disconnected; the server still answers. */
async function stillSyncing(): Promise<void> {
  const n = ++probe
  write(a.doc, cardRecord(`probe-a${n}`))
  write(b.doc, cardRecord(`probe-b${n}`))
  await waitFor(() => read(b.doc, `shape:card-probe-a${n}`) !== undefined && read(a.doc, `shape:card-probe-b${n}`) !== undefined, 'A and B to sync')
  expect(a.closeCodes).toEqual([])
  expect(b.closeCodes).toEqual([])
  expect(server.proc.exitCode).toBeNull()
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
}

/**
 * Stored log rows that carry content. Every connection's sync step 2 is appended too (empty when
 * the client has nothing new), and the bystanders' may land at any moment, so those are not counted.
 */
const logRows = () =>
  querySqlite<{ data: Buffer }>(server.dataDir, 'SELECT data FROM updates WHERE board_id = ?', board.id).filter((row) => {
    const { structs, ds } = Y.decodeUpdate(new Uint8Array(row.data))
    return structs.length > 0 || ds.clients.size > 0
  }).length

/** Deterministic "random" bytes (xorshift32), so a failure is reproducible. */
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  let x = seed >>> 0 || 1
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out[i] = x & 0xff
  }
  return out
}

function frame(build: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder()
  build(e)
  return encoding.toUint8Array(e)
}

function validUpdate(tag: string): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => writeRecord(recordsOf(doc), cardRecord(tag)))
  return Y.encodeStateAsUpdate(doc)
}

const malformed: Array<[string, Uint8Array | string]> = [
  ['random bytes (seed 1)', pseudoRandomBytes(1, 48)],
  ['random bytes (seed 2)', pseudoRandomBytes(2, 200)],
  ['random bytes (seed 3)', pseudoRandomBytes(3, 7)],
  ['empty binary frame', new Uint8Array(0)],
  ['truncated varint (message type)', new Uint8Array([0x80])],
  ['truncated varint (sync step)', new Uint8Array([0x00, 0xff])],
  ['payload length beyond the frame', frame((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, 2), encoding.writeVarUint(e, 1000), encoding.writeUint8(e, 1)))],
  ['unknown message type', frame((e) => encoding.writeVarUint(e, 99))],
  ['unknown sync step', syncFrame(7, validUpdate('unknown-step'))],
  ['invalid Yjs update inside a valid sync frame', syncFrame(SYNC_UPDATE, new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]))],
  ['truncated Yjs update inside a valid sync frame', updateFrame(validUpdate('truncated').slice(0, 20))],
  ['invalid state vector in sync step 1', syncFrame(0, new Uint8Array([5, 1]))],
  ['trailing bytes after a valid update', (() => {
    const f = updateFrame(validUpdate('trailing'))
    const out = new Uint8Array(f.length + 3)
    out.set(f)
    out.set([1, 2, 3], f.length)
    return out
  })()],
  ['awareness frame with a garbage payload', awarenessFrame(new Uint8Array([3, 0xff, 0xff, 0xff]))],
  ['awareness frame with invalid JSON state', awarenessFrame(frame((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint(e, 123), encoding.writeVarUint(e, 1), encoding.writeVarString(e, '{not json'))))],
  ['text frame', 'hello, is this the sync protocol?'],
]

describe('malformed frames', () => {
  for (const [name, data] of malformed) {
    it(`${name} → 4400 for that socket only; nothing stored; others keep syncing`, async () => {
      const before = logRows()
      const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant)
      await raw.opened
      await raw.waitForFrame((f) => f.kind === 'sync', 'the server’s step 1 (joined)')
      raw.send(data)
      expect(await closeCode(raw)).toBe(4400)
      expect(logRows()).toBe(before)
      await stillSyncing()
    })
  }

  it('a malformed frame sent before the board finished loading (queued early) also closes with 4400', async () => {
    const fresh = await server.createBoard('Tidig')
    const raw = rawConnect(server.wsUrl, fresh.id, fresh.tokens.participant, {
      onOpen: (ws) => {
        ws.send(updateFrame(validUpdate('early-ok')))
        ws.send(new Uint8Array([99, 1, 2]))
        ws.send(updateFrame(validUpdate('early-after-bad')))
      },
    })
    expect(await closeCode(raw)).toBe(4400)
    const check = await connectSynced(server.wsUrl, fresh.id, fresh.tokens.viewer)
    // Frames are handled in order: the one before the bad frame counts, the one after does not.
    await waitFor(() => read(check.doc, 'shape:card-early-ok') !== undefined, 'the valid frame before the bad one')
    expect(read(check.doc, 'shape:card-early-after-bad')).toBeUndefined()
  })
})

describe('frames after a malformed one', () => {
  it('frames the client sent after a malformed frame are not applied (the connection is dead)', async () => {
    const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
    // Sent in one go: the bad frame, then a valid update on the same socket.
    raw.send(new Uint8Array([99]))
    raw.send(updateFrame(validUpdate('after-bad-live')))
    expect(await closeCode(raw)).toBe(4400)
    const marker = cardRecord('after-bad-marker')
    write(a.doc, marker)
    await waitFor(() => read(b.doc, marker.id) !== undefined, 'B to see the marker')
    expect(read(b.doc, 'shape:card-after-bad-live')).toBeUndefined()
  })
})

describe('an update that decodes but cannot be applied', () => {
  /**
   * A structurally valid update (Y.decodeUpdate accepts it) whose second struct names as its
   * parent an item of its own client that does not exist (clock 21 of a 6-item update):
   * Y.applyUpdate throws "Cannot read properties of undefined (reading 'id')" part way through.
   */
  function poisonedUpdate(tag: string): Uint8Array {
    const doc = new Y.Doc()
    doc.clientID = 777_000 + Math.floor(Math.random() * 1000)
    doc.transact(() => writeRecord(recordsOf(doc), { id: `shape:poison-${tag}`, typeName: 'shape', x: 1 }))
    const update = Y.encodeStateAsUpdate(doc)
    const decoded = Y.decodeUpdate(update)
    expect(decoded.structs).toHaveLength(2)
    // Rewrite the parent clock of struct 2 (an ID parent (client, 0)) to 21.
    const clientBytes = frame((e) => encoding.writeVarUint(e, doc.clientID))
    const needle = Buffer.from([0x08, 0x00, ...clientBytes, 0x00])
    const at = Buffer.from(update).indexOf(needle)
    expect(at).toBeGreaterThan(0)
    const poisoned = new Uint8Array(update)
    poisoned[at + needle.length - 1] = 21
    expect(() => Y.decodeUpdate(poisoned)).not.toThrow()
    expect(() => Y.applyUpdate(new Y.Doc(), poisoned)).toThrow()
    return poisoned
  }

  /**
   * Sends the poisoned update, then a sync step 1 as a barrier: the server either closes the
   * socket (4400) or, if a write rule refuses the update first, answers the step 1 after it.
   * Either is fine; what matters is that nothing changes and the board stays loadable.
   */
  async function sendPoison(url: string, boardId: string, token: string, tag: string): Promise<void> {
    const raw = rawConnect(url, boardId, token)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
    raw.send(updateFrame(poisonedUpdate(tag)))
    raw.send(step1Frame(new Y.Doc()))
    const handled = await Promise.race([
      raw.closed.then((c) => `closed ${c.code}`),
      raw.waitForFrame((f) => f.kind === 'sync' && f.step === 1, 'the answer to the barrier').then(() => 'answered'),
    ])
    if (handled.startsWith('closed')) expect(handled).toBe('closed 4400')
    raw.terminate()
  }

  for (const role of ['participant', 'facilitator'] as const) {
    it(`(${role}) closes or refuses it and changes nothing the others can see`, async () => {
      await sendPoison(server.wsUrl, board.id, board.tokens[role], `live-${role}`)
      await stillSyncing()
      // Nothing of it reached the others (not even the part applied before Yjs threw).
      expect(recordsOf(a.doc).has(`shape:poison-live-${role}`)).toBe(false)
      expect(recordsOf(b.doc).has(`shape:poison-live-${role}`)).toBe(false)
    })

    it(`(${role}) does not poison the stored log: the board still loads after a crash`, async () => {
      const poisonServer = await startTestServer({ env: { COMPACT_EVERY: '1000' } })
      const pb = await poisonServer.createBoard('Förgiftad')
      const writer = await connectSynced(poisonServer.wsUrl, pb.id, pb.tokens.participant)
      write(writer.doc, cardRecord('before-poison'))
      await sendPoison(poisonServer.wsUrl, pb.id, pb.tokens[role], `stored-${role}`)
      const reader = await connectSynced(poisonServer.wsUrl, pb.id, pb.tokens.viewer)
      await waitFor(() => read(reader.doc, 'shape:card-before-poison') !== undefined, 'the reader to see the card')

      const killed = poisonServer.kill()
      writer.destroy()
      reader.destroy()
      await killed
      await poisonServer.restart()
      const after = connectClient(poisonServer.wsUrl, pb.id, pb.tokens.viewer)
      await waitSynced(after, 5000).catch((err) => {
        throw new Error(`${(err as Error).message}\nserver log tail:\n${poisonServer.output().split('\n').slice(-6).join('\n')}`)
      })
      expect(read(after.doc, 'shape:card-before-poison')).toBeDefined()
      await poisonServer.stop()
    })
  }
})

describe('oversized frames', () => {
  it(`a frame over MAX_PAYLOAD_BYTES (${MAX_PAYLOAD}) → 1009 for that socket; the server survives`, async () => {
    const before = logRows()
    const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
    // A well-formed update carrying a 70 KB title: only its size is wrong.
    raw.send(updateFrame(validUpdate('x'.repeat(70 * 1024))))
    expect(await closeCode(raw)).toBe(1009)
    expect(logRows()).toBe(before)
    await stillSyncing()
  })

  it('a frame just under the limit is accepted', async () => {
    const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await raw.opened
    await raw.waitForFrame((f) => f.kind === 'sync', 'joined')
    const doc = new Y.Doc()
    // Many valid cards (a description holds at most 2,000 characters), over 56 kB in all.
    doc.transact(() => {
      for (let i = 0; i < 25; i++) writeRecord(recordsOf(doc), cardRecord(i === 0 ? 'big' : `big-${i}`, { props: { description: 'y'.repeat(2000) } }))
    })
    const data = updateFrame(Y.encodeStateAsUpdate(doc))
    expect(data.length).toBeLessThan(MAX_PAYLOAD)
    expect(data.length).toBeGreaterThan(56 * 1000)
    raw.send(data)
    await waitFor(() => read(a.doc, 'shape:card-big') !== undefined, 'A to see the big card')
    expect(raw.isOpen()).toBe(true)
    raw.close()
  })

  it('an oversized frame sent before the socket joined the room also gets 1009', async () => {
    const raw = rawConnect(server.wsUrl, board.id, board.tokens.participant, {
      onOpen: (ws) => ws.send(new Uint8Array(MAX_PAYLOAD + 1)),
    })
    expect(await closeCode(raw)).toBe(1009)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  })
})
