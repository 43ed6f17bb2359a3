import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { MAX_AWARENESS_CLIENTS_PER_CONNECTION, MAX_AWARENESS_STATE_CHARS } from '../../server/awareness-filter.ts'
import { PresenceOwners, type PresenceHolder } from '../../server/presence-owners.ts'

type Entry = [clientId: number, clock: number, state: unknown]

/** An awareness update; a state given as 'raw:…' is sent as that text, not as JSON. */
function update(entries: Entry[], trailing = false): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(e, id)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, typeof state === 'string' && state.startsWith('raw:') ? state.slice(4) : JSON.stringify(state))
  }
  if (trailing) encoding.writeUint8(e, 7)
  return encoding.toUint8Array(e)
}

const conn = (role: PresenceHolder['role'] = 'participant', personId: string | null = null): PresenceHolder => ({ role, personId })

/** A room's awareness and its owners, as server/room.ts wires them. */
function room() {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc())
  awareness.setLocalState(null)
  const refused: Array<[PresenceHolder, number]> = []
  const owners = new PresenceOwners<PresenceHolder>(awareness, (c, n) => refused.push([c, n]))
  const send = (c: PresenceHolder, entries: Entry[]) => {
    const kept = owners.filter(c, update(entries))
    if (kept) awarenessProtocol.applyAwarenessUpdate(awareness, kept, c)
    return kept
  }
  const leave = (c: PresenceHolder) => awarenessProtocol.removeAwarenessStates(awareness, owners.release(c), null)
  const remote = (entries: Entry[]) => {
    const kept = owners.filterRemote(update(entries))
    if (kept) awarenessProtocol.applyAwarenessUpdate(awareness, kept, 'remote')
  }
  awareness.on('update', ({ removed }: { removed: number[] }) => owners.statesRemoved(removed))
  const state = (id: number) => awareness.getStates().get(id) as { user?: { name?: string; role?: string } } | undefined
  return { awareness, owners, refused, send, leave, remote, state }
}

describe('PresenceOwners', () => {
  it('the connection that introduces a client id is the only one that may set or remove its state; others are dropped and counted', () => {
    const r = room()
    const owner = conn('facilitator')
    const spoofer = conn('participant')
    r.send(owner, [[1, 1, { user: { name: 'Anna' } }]])
    expect(r.send(spoofer, [[1, 2, { user: { name: 'the workshop moved to http://x' } }]])).toBeNull()
    expect(r.state(1)?.user?.name).toBe('Anna')
    expect(r.send(spoofer, [[1, 3, null]])).toBeNull()
    expect(r.state(1)?.user?.name).toBe('Anna')
    expect(r.refused).toEqual([
      [spoofer, 1],
      [spoofer, 1],
    ])
    // The owner changes and removes its own.
    r.send(owner, [[1, 2, { user: { name: 'Anna B' } }]])
    expect(r.state(1)?.user?.name).toBe('Anna B')
    r.send(owner, [[1, 3, null]])
    expect(r.awareness.getStates().has(1)).toBe(false)
  })

  it('a high clock does not let a spoofer keep a name after the owner renews it', () => {
    const r = room()
    const owner = conn()
    const viewer = conn('viewer')
    r.send(owner, [[1, 5, { user: { name: 'Anna' } }]])
    r.send(viewer, [[1, 2 ** 40, { user: { name: 'Falsk' } }]])
    r.send(owner, [[1, 6, { user: { name: 'Anna' } }]])
    expect(r.awareness.meta.get(1)?.clock).toBe(6)
    expect(r.state(1)?.user?.name).toBe('Anna')
  })

  it('an echo is dropped before its state is parsed; a mixed update keeps only the sender’s own entries', () => {
    const r = room()
    const a = conn()
    const b = conn()
    r.send(a, [[1, 3, { user: { name: 'A' } }]])
    r.send(b, [[2, 5, { user: { name: 'B' } }]])
    // What a stock y-websocket client sends back: everything it received, clocks unchanged.
    expect(r.send(b, [[1, 3, 'raw:{not json'], [2, 5, 'raw:{not json']])).toBeNull()
    expect(r.send(b, [[1, 2, { user: 'old' }]])).toBeNull()
    expect(r.refused).toEqual([]) // an echo is no spoof
    const kept = r.send(b, [[1, 4, 'raw:{not json'], [2, 6, { user: { name: 'B2' } }], [9, 1, { user: { name: 'B:s andra' } }]])
    expect(kept).not.toBeNull()
    expect([...r.awareness.getStates().keys()].sort()).toEqual([1, 2, 9])
    expect(r.state(2)?.user?.name).toBe('B2')
    expect(r.state(9)?.user?.name).toBe('B:s andra')
    expect(r.refused).toEqual([[b, 1]])
  })

  it('the role others see is the sender’s role from its token, not the one it claims', () => {
    const r = room()
    const participant = conn('participant')
    const viewer = conn('viewer')
    r.send(participant, [[1, 1, { user: { name: 'P', role: 'facilitator', color: '#123456' }, cursor: { x: 1, y: 2 } }]])
    expect(r.state(1)).toEqual({ user: { name: 'P', role: 'participant', color: '#123456' }, cursor: { x: 1, y: 2 } })
    r.send(viewer, [[2, 1, { user: { name: 'V' } }]])
    expect(r.state(2)?.user?.role).toBe('viewer')
    // Other shapes pass unchanged (a client shows no name without a user); no prototype games.
    r.send(viewer, [[3, 1, { cursor: null }]])
    expect(r.state(3)).toEqual({ cursor: null })
    r.send(participant, [[4, 1, JSON.parse('{"__proto__": {"user": {"role": "facilitator"}}}')]])
    expect(({} as Record<string, unknown>).user).toBeUndefined()
    expect(() => r.send(participant, [[5, 1, 'raw:{not json']])).toThrow(/not JSON/)
  })

  it('on leaving, a connection’s ids are released: their states go, and another connection may introduce them', () => {
    const r = room()
    const a = conn()
    const b = conn()
    r.send(a, [[1, 1, { user: { name: 'A' } }]])
    r.send(a, [[1, 2, null]]) // removing its own state does not give the id away
    expect(r.owners.localIds()).toEqual([]) // (nor is it announced to other instances as present)
    expect(r.send(b, [[1, 3, { user: { name: 'B' } }]])).toBeNull()
    r.send(a, [[1, 3, { user: { name: 'A igen' } }]])
    r.leave(a)
    expect(r.awareness.getStates().has(1)).toBe(false)
    expect(r.owners.localIds()).toEqual([])
    r.send(b, [[1, 4, { user: { name: 'B' } }]])
    expect(r.state(1)?.user?.name).toBe('B')
    expect(r.owners.localIds()).toEqual([1])
  })

  it('a reconnect from the same device takes its client id over from the lingering old socket', () => {
    const r = room()
    const old = conn('participant', 'person-a')
    const fresh = conn('participant', 'person-a')
    const other = conn('participant', 'person-b')
    r.send(old, [[1, 1, { user: { name: 'A' } }]])
    expect(r.send(other, [[1, 2, { user: { name: 'X' } }]])).toBeNull()
    r.send(fresh, [[1, 2, { user: { name: 'A' } }]])
    expect(r.owners.release(old)).toEqual([]) // the old socket's close no longer removes A
    expect(r.state(1)?.user?.name).toBe('A')
    expect(r.owners.release(fresh)).toEqual([1])
  })

  it('another instance’s client ids are not claimable by a local socket until their state goes', () => {
    const r = room()
    const local = conn()
    r.remote([[7, 1, { user: { name: 'Remote' } }]])
    expect(r.send(local, [[7, 2, { user: { name: 'Falsk' } }]])).toBeNull()
    expect(r.send(local, [[7, 2, null]])).toBeNull()
    expect(r.state(7)?.user?.name).toBe('Remote')
    r.remote([[7, 2, { user: { name: 'Remote 2' } }]])
    expect(r.state(7)?.user?.name).toBe('Remote 2')
    // An instance cannot speak for a local connection's id either.
    r.send(local, [[8, 1, { user: { name: 'Lokal' } }]])
    r.remote([[8, 9, { user: { name: 'Falsk' } }]])
    expect(r.state(8)?.user?.name).toBe('Lokal')
    expect(r.owners.localIds()).toEqual([8])
    // Once the remote client leaves, its id is free.
    r.remote([[7, 2, null]])
    r.send(local, [[7, 3, { user: { name: 'Ny' } }]])
    expect(r.state(7)?.user?.name).toBe('Ny')
  })

  it('the server’s own client id, and removals of ids nobody holds, are dropped', () => {
    const r = room()
    const a = conn()
    expect(r.send(a, [[r.awareness.clientID, 99, { user: { name: 'Server' } }]])).toBeNull()
    expect(r.send(a, [[777, 1, null]])).toBeNull()
    expect(r.awareness.meta.has(777)).toBe(false) // y-protocols would remember it forever
  })

  it(`refuses more than ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} client ids on one connection`, () => {
    const r = room()
    const a = conn()
    const many: Entry[] = Array.from({ length: MAX_AWARENESS_CLIENTS_PER_CONNECTION + 1 }, (_, i) => [100 + i, 1, { user: i }])
    expect(() => r.owners.filter(a, update(many))).toThrow(/awareness clients/)
    r.send(a, many.slice(0, 6))
    expect(() => r.owners.filter(a, update(many.slice(6)))).toThrow(/awareness clients/)
    expect(r.send(a, many.slice(6, MAX_AWARENESS_CLIENTS_PER_CONNECTION))).not.toBeNull()
  })

  it('refuses an oversized state, trailing bytes and undecodable input', () => {
    const r = room()
    const a = conn()
    expect(() => r.owners.filter(a, update([[5, 1, { pad: 'x'.repeat(MAX_AWARENESS_STATE_CHARS) }]]))).toThrow(/over/)
    expect(() => r.owners.filter(a, update([[5, 1, {}]], true))).toThrow(/trailing/)
    expect(() => r.owners.filter(a, new Uint8Array([5, 1]))).toThrow(/undecodable/)
    expect(() => r.owners.filterRemote(new Uint8Array([5, 1]))).toThrow(/undecodable/)
  })
})
