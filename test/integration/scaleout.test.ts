/**
 * Several Snurra instances sharing boards through the real Redis and PostgreSQL: clients on
 * different instances converge; a lost fan-out message, a Redis restart, a PostgreSQL outage
 * and a killed instance all end with every client holding the same document, and nothing is
 * broadcast that is not stored. Facilitation intents take effect exactly once across instances.
 *
 * The tests stop and start the local services, so they run one after another, in this one
 * file, and always start the services again in `finally`.
 */
import { Redis } from 'ioredis'
import * as Y from 'yjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import * as decoding from 'lib0/decoding'
import { awarenessFrame, awarenessUpdateFor, connectClient, destroyAllClients, rawConnect, step1Frame, waitFor, waitSynced, type Client } from '../helpers/clients.ts'
import { allRecords, cardRecord, read, write } from '../helpers/records.ts'
import { sleep, startTestServer, stopAllServers, type CreatedBoard, type TestServer } from '../helpers/server.ts'
import { createScratchDatabase, REDIS_URL, servicesAvailable, startPostgres, startRedis, stopPostgres, stopRedis, type ScratchDatabase } from '../helpers/services.ts'
import { destroyAllSnurraClients, deviceKey, snurraSynced, type Result } from '../helpers/snurra.ts'
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts'

const available = await servicesAvailable(['postgres', 'redis'])

let db: ScratchDatabase
const proxies: TcpProxy[] = []

beforeAll(async () => {
  if (available) db = await createScratchDatabase()
})
afterEach(async () => {
  destroyAllSnurraClients()
  destroyAllClients()
  for (const p of proxies.splice(0)) await p.close()
  await stopAllServers()
})
afterAll(async () => {
  await db?.drop()
})

/** `n` instances on one database and one Redis. */
function instances(n: number, env: Record<string, string> = {}): Promise<TestServer[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      startTestServer({ env: { DATABASE_URL: db.url, REDIS_URL, RESYNC_INTERVAL_MS: '1000', LOG_LEVEL: 'info', ...env } }),
    ),
  )
}

/** One client per target (an instance, or the proxy in front of them). */
async function clientsOn(targets: Array<{ wsUrl: string }>, board: CreatedBoard, role: keyof CreatedBoard['tokens'] = 'participant'): Promise<Client[]> {
  const clients = targets.map((t) => connectClient(t.wsUrl, board.id, board.tokens[role]))
  await Promise.all(clients.map((c) => waitSynced(c)))
  return clients
}

const cardIds = (c: Client) => allRecords(c.doc).filter((r) => String(r.id).startsWith('shape:card-')).map((r) => r.id)
const sameDocs = (clients: Client[]) => clients.every((c) => JSON.stringify(allRecords(c.doc)) === JSON.stringify(allRecords(clients[0].doc)))

async function converged(clients: Client[], ids: string[], what: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(() => clients.every((c) => ids.every((id) => read(c.doc, id) !== undefined)) && sameDocs(clients), what, timeoutMs)
}

/** The board as PostgreSQL holds it: snapshot, then the log. */
async function storedDoc(boardId: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  for (const r of await db.query<{ state: Buffer }>('SELECT state FROM snapshots WHERE board_id = $1', [boardId])) Y.applyUpdate(doc, r.state)
  for (const r of await db.query<{ data: Buffer }>('SELECT data FROM updates WHERE board_id = $1 ORDER BY seq', [boardId])) Y.applyUpdate(doc, r.data)
  return doc
}

describe.skipIf(!available)('several instances on Redis and PostgreSQL', () => {
  it('clients on three instances converge, also on concurrent edits of one card', async () => {
    // No periodic resync to lean on: updates travel through Redis.
    const servers = await instances(3, { RESYNC_INTERVAL_MS: '600000' })
    const board = await servers[0].createBoard('Skala ut')
    const clients = await clientsOn(servers, board)
    const ids: string[] = []
    for (let i = 0; i < 12; i++) {
      write(clients[i % 3].doc, cardRecord(`s${i}`, { x: i }))
      ids.push(`shape:card-s${i}`)
    }
    await converged(clients, ids, 'every card on every client')

    // Two people on different instances change different properties of one card: both win.
    write(clients[0].doc, cardRecord('s0', { x: 500, props: { title: 'Ny titel' } }))
    write(clients[1].doc, cardRecord('s0', { x: 0, y: 900 }))
    await waitFor(() => clients.every((c) => read(c.doc, 'shape:card-s0')?.y === 900 && (read(c.doc, 'shape:card-s0')?.props as { title: string }).title === 'Ny titel'), 'both edits of s0 everywhere')
    await converged(clients, ids, 'the same document everywhere')
    expect(allRecords(await storedDoc(board.id))).toEqual(allRecords(clients[2].doc))
  })

  it('awareness crosses instances: a late-loading instance learns present clients at once, and a leaving client is removed', async () => {
    const [a, b] = await instances(2)
    const board = await a.createBoard('Närvaro')
    const [anna] = await clientsOn([a], board)
    anna.provider.awareness.setLocalStateField('user', { name: 'Anna' })
    await sleep(200)
    // The board loads on b only now: b asks a for the clients it has (well before any renewal).
    const [bertil] = await clientsOn([b], board)
    const annaOnB = () => bertil.provider.awareness.getStates().get(anna.doc.clientID) as { user?: { name: string } } | undefined
    await waitFor(() => annaOnB()?.user?.name === 'Anna', "Anna's presence on b", 3000)
    bertil.provider.awareness.setLocalStateField('user', { name: 'Bertil' })
    await waitFor(() => (anna.provider.awareness.getStates().get(bertil.doc.clientID) as { user?: { name: string } })?.user?.name === 'Bertil', "Bertil's presence on a", 3000)
    anna.destroy()
    // Removed when she leaves, not 30 s later by a timeout.
    await waitFor(() => annaOnB() === undefined, "Anna's presence gone from b", 3000)
  })

  it('lost fan-out messages: an instance that drops every incoming update still converges from the database', async () => {
    const [a] = await instances(1)
    const [lossy] = await instances(1, { SNURRA_TEST_FANOUT_DROP: '1', RESYNC_INTERVAL_MS: '1000' })
    const board = await a.createBoard('Tappade meddelanden')
    const [ca, cl] = await clientsOn([a, lossy], board)
    const ids: string[] = []
    for (let i = 0; i < 20; i++) {
      write(ca.doc, cardRecord(`l${i}`))
      ids.push(`shape:card-l${i}`)
    }
    // The lossy instance writes nothing, so no hole in its own sequence shows: only the
    // periodic check of the database can bring it a's cards.
    await converged([ca, cl], ids, 'convergence through the periodic resync', 10_000)
    write(cl.doc, cardRecord('from-lossy'))
    await converged([ca, cl], ['shape:card-from-lossy'], 'the lossy instance still sends')
  })

  it('lost fan-out messages: a hole in the sequence is noticed and filled from the database without waiting for the periodic resync', async () => {
    const [a, lossy] = await Promise.all([instances(1, { RESYNC_INTERVAL_MS: '600000' }), instances(1, { SNURRA_TEST_FANOUT_DROP: '0.5', RESYNC_INTERVAL_MS: '600000' })]).then((x) => x.flat())
    const board = await a.createBoard('Hål i sekvensen')
    const [ca, cl] = await clientsOn([a, lossy], board)
    const ids: string[] = []
    for (let i = 0; i < 30; i++) {
      write(ca.doc, cardRecord(`h${i}`))
      ids.push(`shape:card-h${i}`)
      await sleep(10)
    }
    // A lost last message leaves no later one to reveal the hole: keep nudging until one arrives.
    let nudges = 0
    const nudging = setInterval(() => write(ca.doc, cardRecord('nudge', { x: ++nudges })), 200)
    try {
      await waitFor(() => ids.every((id) => read(cl.doc, id) !== undefined), 'every card on the lossy instance', 15_000)
    } finally {
      clearInterval(nudging)
    }
    await converged([ca, cl], ids, 'the same document on both')
  })

  it('compaction on an instance that missed updates never drops them from the database', async () => {
    // b hears nothing through Redis and compacts every 3 updates: its own last seq is ahead of
    // updates it has not got, so compacting up to it would delete them for good.
    const [a, b] = await Promise.all([
      instances(1, { COMPACT_EVERY: '1000' }),
      instances(1, { SNURRA_TEST_FANOUT_DROP: '1', RESYNC_INTERVAL_MS: '600000', COMPACT_EVERY: '3' }),
    ]).then((x) => x.flat())
    const board = await a.createBoard('Kompaktering')
    const [ca, cb] = await clientsOn([a, b], board)
    const ids: string[] = []
    for (let i = 0; i < 24; i++) {
      // a writes, then b, as fast as they can: b's appends land right after a's.
      write(ca.doc, cardRecord(`c${i}a`))
      write(cb.doc, cardRecord(`c${i}b`))
      ids.push(`shape:card-c${i}a`, `shape:card-c${i}b`)
      await sleep(15)
    }
    await waitFor(() => ids.every((id) => read(ca.doc, id) !== undefined), 'a has every card')
    await sleep(1000)
    const [{ n }] = await db.query<{ n: string }>('SELECT upto_seq AS n FROM snapshots WHERE board_id = $1', [board.id])
    expect(Number(n), 'b compacted').toBeGreaterThan(0)
    const stored = await storedDoc(board.id)
    expect(ids.filter((id) => read(stored, id) === undefined), 'cards missing from the database').toEqual([])
  })

  it('without Redis (boards routed by id at the proxy): a board served by two instances at once by mistake loses nothing, and they converge', async () => {
    const [a, b] = await Promise.all([0, 1].map(() => startTestServer({ env: { DATABASE_URL: db.url, COMPACT_EVERY: '3', RESYNC_INTERVAL_MS: '1000', LOG_LEVEL: 'info' } })))
    const board = await a.createBoard('Felrouting')
    const [ca, cb] = await clientsOn([a, b], board)
    const ids: string[] = []
    for (let i = 0; i < 24; i++) {
      write(ca.doc, cardRecord(`m${i}a`))
      write(cb.doc, cardRecord(`m${i}b`))
      ids.push(`shape:card-m${i}a`, `shape:card-m${i}b`)
      await sleep(15)
    }
    await converged([ca, cb], ids, 'convergence through the database alone')
    await sleep(500)
    const stored = await storedDoc(board.id)
    expect(ids.filter((id) => read(stored, id) === undefined), 'cards missing from the database').toEqual([])
  })

  it('facilitation intents take effect exactly once across instances, on fresh state', async () => {
    // b never hears a's updates through Redis: it must read the vote from the database.
    const [a, b] = await Promise.all([instances(1), instances(1, { SNURRA_TEST_FANOUT_DROP: '1', RESYNC_INTERVAL_MS: '600000' })]).then((x) => x.flat())
    const board = await a.createBoard('Röstning')
    const facilitator = await snurraSynced(a.wsUrl, board.id, board.tokens.facilitator, { person: deviceKey() })
    // One person, two tabs on two instances; b has the board loaded before the cards and the vote.
    const person = deviceKey()
    const [onA, onB] = await Promise.all([snurraSynced(a.wsUrl, board.id, board.tokens.participant, { person }), snurraSynced(b.wsUrl, board.id, board.tokens.participant, { person })])
    const cards = ['v1', 'v2', 'v3', 'v4']
    facilitator.change((doc) => {
      for (const n of cards) writeRecord(recordsOf(doc), cardRecord(n))
    })
    await facilitator.barrier()
    expect(await facilitator.intent({ type: 'vote.open', votesPerPerson: 3, allowMultiplePerCard: true, hideResultsUntilEnd: false, cardIds: null })).toMatchObject({ ok: true })

    expect(onB.facilitation().vote.status, 'b never heard of the vote through Redis').toBe('idle')
    // The first cast reaches b, which must see the vote (and the cards) in the database.
    expect(await onB.intent({ type: 'vote.cast', cardId: 'shape:card-v1' })).toMatchObject({ ok: true })
    // Then both tabs vote as fast as they can.
    const casts: Promise<Result>[] = []
    for (let i = 0; i < 5; i++) {
      casts.push(onA.intent({ type: 'vote.cast', cardId: `shape:card-${cards[i % 4]}` }))
      casts.push(onB.intent({ type: 'vote.cast', cardId: `shape:card-${cards[(i + 1) % 4]}` }))
    }
    const results = await Promise.all(casts)
    expect(results.filter((r) => r.ok)).toHaveLength(2)
    expect(results.filter((r) => !r.ok).map((r) => (r as { error: string }).error)).toEqual(Array(8).fill('no-votes-left'))

    // Each tab shows the person's whole ballot, whichever instance took the vote.
    for (const tab of [onA, onB]) {
      await waitFor(
        () => tab.messages.some((m) => m.t === 'ballot' && Object.values(m.ballot).reduce((x, y) => x + y, 0) === 3),
        'the full ballot in both tabs',
        5000,
      )
    }
    const [row] = await db.query<{ value: string }>("SELECT value FROM board_state WHERE board_id = $1 AND key = 'ballots'", [board.id])
    const ballots = JSON.parse(row.value) as { byPerson: Record<string, Record<string, number>> }
    expect(Object.keys(ballots.byPerson)).toHaveLength(1)
    expect(Object.values(Object.values(ballots.byPerson)[0]).reduce((x, y) => x + y, 0)).toBe(3)
    // The live tally in the document agrees, on both instances.
    await onB.barrier()
    await waitFor(() => facilitator.facilitation().vote.voters === 1, 'one voter in the tally')
    expect(Object.values(facilitator.facilitation().vote.results).reduce((x, y) => x + y, 0)).toBe(3)
  })

  it("private drafts across instances: one person's tabs on two instances share them, and a reveal run on another instance empties them for good", async () => {
    const [a, b] = await instances(2, { RESYNC_INTERVAL_MS: '600000' })
    const board = await a.createBoard('Privat på två')
    const facilitator = await snurraSynced(a.wsUrl, board.id, board.tokens.facilitator, { person: deviceKey() })
    const viewerOnB = await snurraSynced(b.wsUrl, board.id, board.tokens.viewer)
    expect(await facilitator.intent({ type: 'private.set', on: true })).toMatchObject({ ok: true })
    const person = deviceKey()
    const board1 = await snurraSynced(b.wsUrl, board.id, board.tokens.participant, { person })
    const personId = (await board1.hello()).personId!
    const [draftsA, draftsB] = await Promise.all(
      [a, b].map((s) => snurraSynced(s.wsUrl, board.id, board.tokens.participant, { person, private: true })),
    )
    draftsA.change((doc) => writeRecord(recordsOf(doc), cardRecord('draft-1')))
    draftsB.change((doc) => writeRecord(recordsOf(doc), cardRecord('draft-2')))
    await waitFor(() => [draftsA, draftsB].every((d) => read(d.doc, 'shape:card-draft-1') && read(d.doc, 'shape:card-draft-2')), 'both drafts in both tabs')
    draftsA.close()
    const storedDrafts = async () => {
      const [row] = await db.query<{ value: string }>('SELECT value FROM board_state WHERE board_id = $1 AND key = $2', [board.id, `private:${personId}`])
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Buffer.from(JSON.parse(row.value) as string, 'base64'))
      return [...recordsOf(doc).keys()].sort()
    }
    expect(await storedDrafts()).toEqual(['shape:card-draft-1', 'shape:card-draft-2'])

    // The facilitator's instance moves the drafts onto the board; the tab on b sees them leave.
    expect(await facilitator.intent({ type: 'private.reveal' })).toMatchObject({ ok: true })
    await waitFor(() => read(viewerOnB.doc, 'shape:card-draft-1') !== undefined && read(viewerOnB.doc, 'shape:card-draft-2') !== undefined, 'revealed cards on b')
    await waitFor(() => recordsOf(draftsB.doc).size === 0, 'the drafts emptied in the tab on b')
    // A later draft from b is merged into what is stored: the revealed ones do not come back.
    draftsB.change((doc) => writeRecord(recordsOf(doc), cardRecord('draft-3')))
    await draftsB.barrier()
    expect(await storedDrafts()).toEqual(['shape:card-draft-3'])
  })

  it('a board erased on one instance is closed (4410) on the others at once', async () => {
    const [a, b] = await instances(2, { RESYNC_INTERVAL_MS: '600000' })
    const board = await a.createBoard('Raderas')
    const [onA, onB] = await clientsOn([a, b], board)
    write(onB.doc, cardRecord('doomed'))
    await converged([onA, onB], ['shape:card-doomed'], 'the card on both')
    const res = await fetch(`${a.url}/api/boards/${board.id}?token=${board.tokens.facilitator}`, { method: 'DELETE' })
    expect(res.status).toBe(204)
    await waitFor(() => onA.closeCodes.includes(4410), 'the client on a closed with 4410', 3000)
    await waitFor(() => onB.closeCodes.includes(4410), 'the client on b closed with 4410 too', 3000)
    expect(await db.query('SELECT id FROM boards WHERE id = $1', [board.id])).toEqual([])
  })

  it("updates stored while an instance's publishing connection was away reach the others once it is back", async () => {
    const [a, b] = await instances(2, { RESYNC_INTERVAL_MS: '600000' })
    const board = await a.createBoard('Utgivaren borta')
    const [ca, cb] = await clientsOn([a, b], board)
    const admin = new Redis(REDIS_URL)
    try {
      // Cut the instances' publishing connections again and again while b's client writes:
      // some updates are stored but never published, the last ones included.
      const killPublishers = async () => {
        const clients = String(await admin.client('LIST'))
        for (const line of clients.split('\n')) {
          const id = /\bid=(\d+)/.exec(line)?.[1]
          if (id && / name=snurra-pub-/.test(line)) await admin.client('KILL', 'ID', id).catch(() => {})
        }
      }
      for (let i = 0; i < 20; i++) {
        await killPublishers()
        write(cb.doc, cardRecord(`p${i}`))
        await sleep(40)
      }
    } finally {
      admin.disconnect()
    }
    const ids = Array.from({ length: 20 }, (_, i) => `shape:card-p${i}`)
    await converged([ca, cb], ids, 'every card on a, with no periodic resync to help', 10_000)
  })

  it('Redis restarted mid-session: each instance keeps serving its clients, and they converge when Redis is back', async () => {
    // No periodic resync: only the resubscription can bring the instances together again.
    const [a, b] = await instances(2, { RESYNC_INTERVAL_MS: '600000' })
    const board = await a.createBoard('Redis borta')
    const [ca1, ca2, cb] = await clientsOn([a, a, b], board)
    write(ca1.doc, cardRecord('before'))
    await converged([ca1, ca2, cb], ['shape:card-before'], 'the first card everywhere')

    let cb2: Client
    stopRedis()
    try {
      write(ca1.doc, cardRecord('during-a'))
      await waitFor(() => read(ca2.doc, 'shape:card-during-a') !== undefined, 'a still serving its own clients')
      // A client joining b during the outage is served too.
      ;[cb2] = await clientsOn([b], board)
      await sleep(1500)
      expect(read(cb.doc, 'shape:card-during-a'), 'nothing brings the instances together while Redis is down').toBeUndefined()
      expect(read(cb2.doc, 'shape:card-during-a')).toBeUndefined()
      write(cb.doc, cardRecord('during-b'))
      await waitFor(() => read(cb2.doc, 'shape:card-during-b') !== undefined, 'b still serving its own clients')
    } finally {
      await startRedis()
    }
    await converged([ca1, ca2, cb, cb2], ['shape:card-during-a', 'shape:card-during-b'], 'convergence after Redis is back', 30_000).catch((err) => {
      // What the instances said about Redis, to tell a slow machine from a lost resubscription.
      const redisLines = (s: TestServer) => s.output().split('\n').filter((l) => /redis|catching up|caught up/i.test(l))
      throw new Error(`${(err as Error).message}\na: ${redisLines(a).join('\n')}\nb: ${redisLines(b).join('\n')}`)
    })
    // And the fan-out works again.
    write(cb.doc, cardRecord('after'))
    await converged([ca1, ca2, cb], ['shape:card-after'], 'a new card after the restart', 5000)
  }, 60_000)

  it('PostgreSQL stopped: nothing is broadcast that is not stored; clients keep their edits and converge once it is back', async () => {
    const [a, b] = await instances(2)
    const board = await a.createBoard('Databasen borta')
    const [writer, sameInstance, otherInstance] = await clientsOn([a, a, b], board)

    stopPostgres()
    try {
      write(writer.doc, cardRecord('unstored'))
      await waitFor(() => writer.closeCodes.includes(1011), 'the writer closed with 1011 (not stored)')
      await sleep(1000)
      expect(read(sameInstance.doc, 'shape:card-unstored'), 'not broadcast on the same instance').toBeUndefined()
      expect(read(otherInstance.doc, 'shape:card-unstored'), 'not sent to other instances').toBeUndefined()
      expect(read(writer.doc, 'shape:card-unstored'), 'the writer keeps its edit').toBeDefined()
    } finally {
      await startPostgres()
    }
    // The writer reconnects, resends its edit on sync, and this time it is stored and passed on.
    await converged([writer, sameInstance, otherInstance], ['shape:card-unstored'], 'the edit everywhere after PostgreSQL is back', 20_000)
    expect(read(await storedDoc(board.id), 'shape:card-unstored')).toBeDefined()
    write(otherInstance.doc, cardRecord('after'))
    await converged([writer, sameInstance, otherInstance], ['shape:card-after'], 'new edits flow again')
  }, 60_000)

  it("presence of a killed instance's clients is removed from the others by timeout", async () => {
    const [a, b] = await instances(2)
    const board = await a.createBoard('Närvaro efter krasch')
    // Raw clients: they neither renew nor time out presence themselves, so what the observer
    // sees is the server's doing.
    const ghost = rawConnect(a.wsUrl, board.id, board.tokens.participant)
    const observer = rawConnect(b.wsUrl, board.id, board.tokens.viewer)
    await Promise.all([ghost.opened, observer.opened])
    observer.send(step1Frame(new Y.Doc()))
    ghost.send(step1Frame(new Y.Doc()))
    await sleep(300) // both boards loaded and subscribed
    ghost.send(awarenessFrame(awarenessUpdateFor(4242, 1, { user: { name: 'Gustav' } })))
    const statesOf = () =>
      observer.frames.flatMap((f) => {
        if (f.kind !== 'awareness') return []
        const d = decoding.createDecoder(f.payload)
        return Array.from({ length: decoding.readVarUint(d) }, () => ({ id: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: JSON.parse(decoding.readVarString(d)) }))
      })
    await waitFor(() => statesOf().some((s) => s.id === 4242 && s.state?.user?.name === 'Gustav'), "Gustav's presence on b", 5000)
    const killedAt = Date.now()
    await a.kill()
    await waitFor(() => statesOf().some((s) => s.id === 4242 && s.state === null), "Gustav's presence removed on b", 40_000)
    // y-protocols' timeout: 30 s without a renewal.
    expect(Date.now() - killedAt).toBeGreaterThan(20_000)
  }, 60_000)

  it('an instance killed with kill -9: its clients reconnect through the proxy to another instance and converge', async () => {
    const [a, b] = await instances(2)
    const proxy = await startTcpProxy([a.port, b.port])
    proxies.push(proxy)
    const board = await a.createBoard('Instans dör')
    const [viaProxy1, viaProxy2] = await clientsOn([proxy, proxy], board)
    const [onB] = await clientsOn([b], board)
    expect(proxy.backends()).toEqual([a.port, a.port])
    for (let i = 0; i < 5; i++) write(viaProxy1.doc, cardRecord(`k${i}`))
    await converged([viaProxy1, viaProxy2, onB], ['shape:card-k4'], 'the first cards everywhere')

    await a.kill()
    // Edits while the connection is down stay in the client and go out once it is back.
    write(viaProxy1.doc, cardRecord('offline-1'))
    write(viaProxy2.doc, cardRecord('offline-2'))
    write(onB.doc, cardRecord('on-b'))
    await converged([viaProxy1, viaProxy2, onB], ['shape:card-offline-1', 'shape:card-offline-2', 'shape:card-on-b', 'shape:card-k0'], 'convergence on b')
    expect(proxy.backends()).toEqual([b.port, b.port])
    expect(cardIds(viaProxy1)).toHaveLength(8)
    expect(allRecords(await storedDoc(board.id))).toEqual(allRecords(onB.doc))
  })
})
