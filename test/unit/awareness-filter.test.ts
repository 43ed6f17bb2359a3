import * as encoding from 'lib0/encoding'
import { Awareness } from 'y-protocols/awareness'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { freshAwareness, MAX_AWARENESS_CLIENTS_PER_CONNECTION, MAX_AWARENESS_STATE_CHARS } from '../../server/awareness-filter.ts'

function update(entries: Array<[clientId: number, clock: number, state: unknown]>, trailing = false): Uint8Array {
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

function serverAwareness(): Awareness {
  const awareness = new Awareness(new Y.Doc())
  awareness.setLocalState(null)
  awarenessProtocol.applyAwarenessUpdate(awareness, update([[1, 3, { user: 'a' }], [2, 5, { user: 'b' }]]), 'setup')
  return awareness
}

const ids = (u: Uint8Array | null) => {
  if (!u) return null
  const a = new Awareness(new Y.Doc())
  const seen: number[] = []
  a.on('update', ({ added, updated, removed }: Record<string, number[]>) => seen.push(...added, ...updated, ...removed))
  awarenessProtocol.applyAwarenessUpdate(a, u, 'test')
  return seen.sort()
}

describe('freshAwareness', () => {
  it('drops an echo of what the server has, unparsed (even with a state that is not JSON)', () => {
    const a = serverAwareness()
    expect(freshAwareness(a, update([[1, 3, { user: 'a' }], [2, 5, 'raw:{not json']]), new Set())).toBeNull()
    expect(freshAwareness(a, update([[1, 2, { user: 'old' }]]), new Set())).toBeNull()
  })

  it('keeps only the entries that change something', () => {
    const a = serverAwareness()
    const whole = update([[1, 4, { user: 'a2' }]])
    expect(freshAwareness(a, whole, new Set([1]))).toBe(whole) // nothing dropped: passed as is
    expect(ids(freshAwareness(a, update([[1, 3, { user: 'a' }], [2, 6, { user: 'b2' }], [9, 1, { user: 'new' }]]), new Set([2])))).toEqual([2, 9])
    // A removal at the same clock counts; a removal of an id never seen is dropped (y-protocols would keep its meta forever).
    const removal = update([[2, 5, null]])
    expect(freshAwareness(a, removal, new Set([2]))).toBe(removal)
    expect(freshAwareness(a, update([[777, 1, null]]), new Set())).toBeNull()
  })

  it(`refuses more than ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} client ids on one connection`, () => {
    const a = serverAwareness()
    const many = Array.from({ length: MAX_AWARENESS_CLIENTS_PER_CONNECTION + 1 }, (_, i) => [100 + i, 1, { user: i }] as [number, number, unknown])
    expect(() => freshAwareness(a, update(many), new Set())).toThrow(/awareness clients/)
    expect(() => freshAwareness(a, update(many.slice(0, 3)), new Set([50, 51, 52, 53, 54, 55]))).toThrow(/awareness clients/)
    expect(freshAwareness(a, update(many.slice(0, MAX_AWARENESS_CLIENTS_PER_CONNECTION)), new Set())).not.toBeNull()
  })

  it('refuses an oversized state, trailing bytes and undecodable input', () => {
    const a = serverAwareness()
    expect(() => freshAwareness(a, update([[5, 1, { pad: 'x'.repeat(MAX_AWARENESS_STATE_CHARS) }]]), new Set())).toThrow(/over/)
    expect(() => freshAwareness(a, update([[5, 1, {}]], true), new Set())).toThrow(/trailing/)
    expect(() => freshAwareness(a, new Uint8Array([5, 1]), new Set())).toThrow(/undecodable/)
  })
})
