import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { metaOf } from '../../core/board-meta.ts'
import { recordsOf } from '../../core/record-store.ts'
import { connectClient, connectSynced, destroyAllClients, waitFor, waitSynced } from '../helpers/clients.ts'
import { allRecords, cardRecord, read, taskSegmentIds, write } from '../helpers/records.ts'
import { startInProcessServer } from '../helpers/in-process-server.ts'
import { querySqlite, stopAllServers, type ServerHandle } from '../helpers/server.ts'

let server: ServerHandle

beforeAll(async () => {
  server = await startInProcessServer()
})
afterEach(destroyAllClients)
afterAll(stopAllServers)

const MAIN_TASKS = ['shape:task-jobbchanser', 'shape:task-samspel', 'shape:task-stadsmiljo', 'shape:task-uppvaxtvillkor']

describe('sync through the server', () => {
  it('two clients converge in both directions', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)

    write(a.doc, cardRecord(1))
    await waitFor(() => read(b.doc, 'shape:card-1') !== undefined, 'B to see A’s card')
    write(b.doc, cardRecord(2, { x: -40 }))
    await waitFor(() => read(a.doc, 'shape:card-2') !== undefined, 'A to see B’s card')

    await waitFor(() => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))), 'equal state vectors')
    expect(allRecords(a.doc)).toEqual(allRecords(b.doc))
    expect(read(a.doc, 'shape:card-2')).toMatchObject({ x: -40 })
  })

  it('the template content is there at the moment of the first sync, written by the server at creation', async () => {
    const board = await server.createBoard('Hallunda vår')

    // Stored by the server before any client ever connected.
    const [row] = querySqlite<{ state: Buffer }>(server.dataDir, 'SELECT state FROM snapshots WHERE board_id = ?', board.id)
    const stored = new Y.Doc()
    Y.applyUpdate(stored, new Uint8Array(row.state))
    expect(metaOf(stored).get('title')).toBe('Hallunda vår')
    expect(taskSegmentIds(stored)).toEqual(MAIN_TASKS)

    const client = connectClient(server.wsUrl, board.id, board.tokens.participant)
    let atSync: { title: unknown; tasks: string[] } | null = null
    client.provider.on('sync', (synced: boolean) => {
      if (synced && !atSync) atSync = { title: metaOf(client.doc).get('title'), tasks: taskSegmentIds(client.doc) }
    })
    await waitSynced(client)
    expect(atSync).toEqual({ title: 'Hallunda vår', tasks: MAIN_TASKS })
    const labels = MAIN_TASKS.map((id) => (read(client.doc, id)!.props as { label: string }).label).sort()
    expect(labels).toEqual(
      [
        'Bättre jobbchanser, inkomster och livsvillkor',
        'Förnyad stadsmiljö',
        'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor',
        'Starkare samspel och känsla för platsen',
      ].sort(),
    )
    // The client wrote none of it: every item comes from another Yjs client (the server's seed).
    const sv = Y.decodeStateVector(Y.encodeStateVector(client.doc))
    expect(sv.has(client.doc.clientID)).toBe(false)
  })

  it('a client joining late gets the full state', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    for (let i = 0; i < 5; i++) write(a.doc, cardRecord(`a${i}`, { x: i * 10 }))
    for (let i = 0; i < 5; i++) write(b.doc, cardRecord(`b${i}`, { y: i * 10 }))
    write(a.doc, { ...cardRecord('a0', { x: 999 }) })
    recordsOf(b.doc).delete('shape:card-b4')
    await waitFor(() => read(b.doc, 'shape:card-a0')?.x === 999 && !recordsOf(a.doc).has('shape:card-b4'), 'A and B to converge')

    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    expect(allRecords(c.doc)).toEqual(allRecords(a.doc))
    expect(allRecords(c.doc).map((r) => r.id)).toEqual(expect.arrayContaining(['shape:card-a4', 'shape:card-b3']))
    expect(read(c.doc, 'shape:card-b4')).toBeUndefined()
    expect(metaOf(c.doc).toJSON()).toEqual(metaOf(a.doc).toJSON())
  })

  it('a record written with writeRecord on one client reads back identically with readRecord on the other', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const record = cardRecord('rt', {
      meta: { sector: 'sociala', tasks: ['uppvaxtvillkor', 'samspel'], nested: { a: 1 } },
      props: { title: 'Sommarjobb för unga', description: 'Rad 1\nRad 2 — åäö', w: 300, h: 180 },
    })
    write(a.doc, record)
    await waitFor(() => read(b.doc, record.id) !== undefined, 'B to see the record')
    expect(read(b.doc, record.id)).toEqual(record)
  })

  it('concurrent changes of different properties of one record made while apart both survive', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const base = cardRecord('m', { x: 10, props: { title: 'Före' } })
    write(a.doc, base)
    await waitFor(() => read(b.doc, base.id) !== undefined, 'B to see the card')

    a.provider.disconnect()
    b.provider.disconnect()
    await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, 'both to be offline')
    // Each edits its own full copy of the record; writeRecord stores only what changed.
    write(a.doc, { ...(read(a.doc, base.id) as typeof base), x: 500 })
    const fromB = read(b.doc, base.id) as typeof base
    write(b.doc, { ...fromB, props: { ...(fromB.props as object), title: 'Efter' } })
    expect(read(a.doc, base.id)).toMatchObject({ x: 500, props: { title: 'Före' } })
    expect(read(b.doc, base.id)).toMatchObject({ x: 10, props: { title: 'Efter' } })

    a.provider.connect()
    b.provider.connect()
    const merged = (r: Record<string, unknown> | undefined) => r?.x === 500 && (r.props as { title: string }).title === 'Efter'
    await waitFor(() => merged(read(a.doc, base.id)) && merged(read(b.doc, base.id)), 'both edits on both clients')
    expect(read(a.doc, base.id)).toEqual(read(b.doc, base.id))
    // A late third client sees the merged record too (so the server has it).
    const c = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    expect(merged(read(c.doc, base.id))).toBe(true)
  })

  it('concurrent changes of the same property made while apart converge to one value everywhere', async () => {
    const board = await server.createBoard()
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const base = cardRecord('s', { x: 1 })
    write(a.doc, base)
    await waitFor(() => read(b.doc, base.id) !== undefined, 'B to see the card')
    a.provider.disconnect()
    b.provider.disconnect()
    await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, 'both to be offline')
    write(a.doc, { ...base, x: 111 })
    write(b.doc, { ...base, x: 222 })
    a.provider.connect()
    b.provider.connect()
    await waitFor(
      () => Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))) && read(a.doc, base.id)?.x === read(b.doc, base.id)?.x,
      'A and B to converge',
    )
    expect([111, 222]).toContain(read(a.doc, base.id)!.x)
    expect(read(a.doc, base.id)).toEqual(read(b.doc, base.id))
  })
})
