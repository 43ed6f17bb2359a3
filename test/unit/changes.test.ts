/**
 * server/pipeline/changes.ts (and placement.ts beneath it): what an incoming update would change
 * in the board, worked out as values before it is applied, on updates made the way a client
 * makes them; and the hostile shapes of update (chains, nesting, splitting deletions, updates
 * that build on what the server never got) placed in linear time.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { metaOf, pathsOf } from '../../core/board-meta.ts'
import { addPath, deletePath, renamePath } from '../../core/paths.ts'
import { deleteRecord, readRecord, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { changesOf } from '../../server/pipeline/changes.ts'
import { UPDATE_LIMITS } from '../../server/pipeline/write-pipeline.ts'
import { boardPair, firstPairId, rawUpdate } from '../helpers/pipeline.ts'
import { cardRecord } from '../helpers/records.ts'
import { deleteOnlyUpdate } from '../helpers/snurra.ts'

const card1 = cardRecord(1)

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Applies `update` to the server and reads each record back: what Yjs really made of it. */
function applyAndRead(server: Y.Doc, update: Uint8Array, ids: Iterable<string>): Map<string, JsonRecord | null> {
  Y.applyUpdate(server, update)
  const out = new Map<string, JsonRecord | null>()
  for (const id of ids) {
    const entries = recordsOf(server).get(id)
    out.set(id, entries instanceof Y.Array ? (readRecord(entries) as JsonRecord) : null)
  }
  return out
}

/** `after` of every record equals what the server holds once the update is applied. */
function expectAftersApplied(server: Y.Doc, update: Uint8Array): void {
  const changes = changesOf(server, Y.decodeUpdate(update))
  const applied = applyAndRead(server, update, changes.records.keys())
  for (const [id, { after }] of changes.records) expect(applied.get(id), id).toEqual(after)
}

describe('changesOf: records', () => {
  it('a new card: no before, the card after', () => {
    const { change, changes } = boardPair()
    const card2 = cardRecord(2)
    const c = changes(change((d) => writeRecord(recordsOf(d), card2)))
    expect([...c.records]).toEqual([['shape:card-2', { before: null, after: card2 }]])
    expect(c.roots).toEqual(new Set(['records']))
    expect(c).toMatchObject({ problem: null, pending: false, splits: 0 })
    expect(c.meta.size + c.paths.size).toBe(0)
  })

  it('a title edit, twice (the second edit’s pairs name only their neighbours)', () => {
    const { server, change, changes } = boardPair()
    const first = { ...card1, props: { ...(card1.props as object), title: 'Ny titel' } }
    const u1 = change((d) => writeRecord(recordsOf(d), first))
    expect(changes(u1).records.get('shape:card-1')).toEqual({ before: card1, after: first })
    expect(changes(u1).splits).toBe(2) // one pair cut out of the middle of the card's array
    Y.applyUpdate(server, u1)
    const second = { ...first, props: { ...(first.props as object), title: 'Tredje' } }
    const u2 = change((d) => writeRecord(recordsOf(d), second))
    expect(Y.decodeUpdate(u2).structs.every((s) => !(s instanceof Y.Item) || s.parent === null)).toBe(true)
    expect(changes(u2).records.get('shape:card-1')).toEqual({ before: first, after: second })
    expectAftersApplied(server, u2)
  })

  it('a move (x and y)', () => {
    const { server, change, changes } = boardPair()
    const moved = { ...card1, x: 640, y: -20 }
    const update = change((d) => writeRecord(recordsOf(d), moved))
    expect(changes(update).records.get('shape:card-1')).toEqual({ before: card1, after: moved })
    expectAftersApplied(server, update)
  })

  it('a deletion: before, no after', () => {
    const { server, change, changes } = boardPair()
    const update = change((d) => deleteRecord(recordsOf(d), 'shape:card-1'))
    const c = changes(update)
    expect([...c.records]).toEqual([['shape:card-1', { before: card1, after: null }]])
    expect(c.roots).toEqual(new Set(['records']))
    expectAftersApplied(server, update)
  })

  it('two cards in one update', () => {
    const { server, change, changes } = boardPair()
    const moved = { ...card1, x: 1 }
    const card3 = cardRecord(3)
    const update = change((d) => {
      writeRecord(recordsOf(d), moved)
      writeRecord(recordsOf(d), card3)
    })
    const c = changes(update)
    expect(c.records).toEqual(
      new Map([
        ['shape:card-1', { before: card1, after: moved }],
        ['shape:card-3', { before: null, after: card3 }],
      ]),
    )
    expectAftersApplied(server, update)
  })

  it('an edit of a card created in the same update (offline work sent at once)', () => {
    const { server, client, change, changes } = boardPair()
    const created = cardRecord(4)
    const edited = { ...created, x: 999, props: { ...(created.props as object), title: 'Ändrad' } }
    const before = Y.encodeStateVector(client)
    change((d) => writeRecord(recordsOf(d), created))
    change((d) => writeRecord(recordsOf(d), edited))
    const update = Y.encodeStateAsUpdate(client, before)
    expect(changes(update).records.get('shape:card-4')).toEqual({ before: null, after: edited })
    expectAftersApplied(server, update)
  })

  it('a card created and deleted in the same update comes to nothing (not even a record change)', () => {
    const { server, client, change, changes } = boardPair()
    const before = Y.encodeStateVector(client)
    change((d) => writeRecord(recordsOf(d), cardRecord('temp')))
    change((d) => deleteRecord(recordsOf(d), 'shape:card-temp'))
    const update = Y.encodeStateAsUpdate(client, before)
    expect(Y.decodeUpdate(update).ds.clients.size).toBeGreaterThan(0)
    const c = changes(update)
    expect(c.records.has('shape:card-temp')).toBe(false)
    expect(c).toMatchObject({ pending: false, problem: null })
    expectAftersApplied(server, update)
  })

  it('a record whose entry is replaced by a new array: the new pairs only', () => {
    const { server, change, changes } = boardPair()
    const replacement = { ...card1, x: -5, props: { ...(card1.props as object), title: 'Ersatt' } }
    const update = change((d) => {
      recordsOf(d).delete('shape:card-1')
      writeRecord(recordsOf(d), replacement)
    })
    expect(changes(update).records.get('shape:card-1')).toEqual({ before: card1, after: replacement })
    expectAftersApplied(server, update)
  })

  it('a key deleted from a record', () => {
    const { server, change, changes } = boardPair()
    const { sector: _, ...meta } = card1.meta as Record<string, unknown>
    const without = { ...card1, meta }
    const update = change((d) => writeRecord(recordsOf(d), without))
    const after = changes(update).records.get('shape:card-1')!.after!
    expect(after).toEqual(without)
    expect(after.meta).not.toHaveProperty('sector')
    expectAftersApplied(server, update)
  })

  it('pairs pushed onto a record by hand: the rightmost pair of a key wins', () => {
    const { server, change, changes } = boardPair()
    const update = change((d) => recordsOf(d).get('shape:card-1')!.push([['x', 1], ['x', 2], ['props.title', 'Sist']]))
    const after = changes(update).records.get('shape:card-1')!.after!
    expect(after).toMatchObject({ x: 2, props: { title: 'Sist' } })
    expectAftersApplied(server, update)
  })
})

describe('changesOf: meta, paths, roots', () => {
  it('meta writes and deletions', () => {
    const { server, change, changes } = boardPair()
    const writing = change((d) => metaOf(d).set('title', 'Ny'))
    const write = changes(writing)
    Y.applyUpdate(server, writing)
    expect(write.meta).toEqual(new Map([['title', { value: 'Ny' }]]))
    expect(write.roots).toEqual(new Set(['meta']))
    expect(write.records.size).toBe(0)
    const removing = change((d) => metaOf(d).delete('createdAt'))
    const removal = changes(removing)
    Y.applyUpdate(server, removing)
    expect(removal.meta).toEqual(new Map([['createdAt', null]]))
    // Overwriting a key deletes its old item: that is a write, not a deletion.
    expect(changes(change((d) => metaOf(d).set('title', 'Igen'))).meta).toEqual(new Map([['title', { value: 'Igen' }]]))
    const schema = changes(change((d) => metaOf(d).set('schema', 'garbage')))
    expect(schema.meta.get('schema')).toEqual({ value: 'garbage' })
  })

  it('path creation, edit and deletion', () => {
    const { server, change, changes } = boardPair()
    const create = change((d) => addPath(d, 'Läxhjälp', 7, 'p-new'))
    expect(changes(create).paths).toEqual(new Map([['p-new', { label: 'Läxhjälp', order: 7 }]]))
    expect(changes(create).roots).toEqual(new Set(['paths']))
    Y.applyUpdate(server, create)
    const edit = change((d) => renamePath(d, 'p-new', 'Trygga stråk'))
    expect(changes(edit).paths.get('p-new')).toEqual({ label: 'Trygga stråk', order: 7 })
    expect(changes(edit).roots.has('paths')).toBe(true) // renaming also redraws the ring (records)
    Y.applyUpdate(server, edit)
    const removal = change((d) => deletePath(d, 'p-new'))
    expect(changes(removal).paths.get('p-new')).toBeNull()
    const raw = change((d) => pathsOf(d).delete('p-new'))
    expect(changes(raw).paths).toEqual(new Map([['p-new', null]]))
  })

  it('the roots an update touches', () => {
    const { change, changes } = boardPair()
    expect(changes(change((d) => d.getMap('facilitation').set('locked', true))).roots).toEqual(new Set(['facilitation']))
    const mixed = changes(
      change((d) => {
        writeRecord(recordsOf(d), cardRecord(5))
        metaOf(d).set('title', 'x')
        d.getMap('whatever').set('k', 1)
      }),
    )
    expect(mixed.roots).toEqual(new Set(['records', 'meta', 'whatever']))
    expect(mixed.problem).toBeNull() // an unknown root is the write rules' to refuse (invalid)
    // A deletion touches the root it deletes from.
    expect(changes(change((d) => metaOf(d).delete('title'))).roots).toEqual(new Set(['meta']))
  })
})

describe('changesOf: what does not fit the board’s layout', () => {
  it('a Y.Map or a Y.Array nested inside a record', () => {
    for (const make of [() => new Y.Map(), () => new Y.Array()]) {
      const { change, changes } = boardPair()
      const c = changes(change((d) => recordsOf(d).get('shape:card-1')!.push([make() as never])))
      expect(c.problem).toMatch(/unexpected content inside a records entry/)
    }
    // A nested array with content: its items are two levels below the record.
    const { change, changes } = boardPair()
    const c = changes(
      change((d) => {
        const inner = new Y.Array<unknown>()
        inner.push([['x', 1]])
        recordsOf(d).get('shape:card-1')!.push([inner as never])
      }),
    )
    expect(c.problem).not.toBeNull()
  })

  it('a value put straight into the records map, a Y.Map as a record', () => {
    const { change, changes } = boardPair()
    expect(changes(change((d) => (d.getMap('records') as Y.Map<unknown>).set('shape:x', { id: 'shape:x' }))).problem).toMatch(/^a records entry must be a Y\.?Array$/)
    expect(changes(change((d) => (d.getMap('records') as Y.Map<unknown>).set('shape:y', new Y.Map()))).problem).toMatch(/^a records entry must be a Y\.?Array$/)
    expect(changes(change((d) => (d.getMap('paths') as Y.Map<unknown>).set('p1', 'label'))).problem).toMatch(/^a paths entry must be a Y\.?Map$/)
  })

  it('a shared type in meta, in an unknown root, or a non-pair in a record', () => {
    const { change, changes } = boardPair()
    expect(changes(change((d) => metaOf(d).set('title', new Y.Map()))).problem).toBe('a meta entry must be a plain value')
    expect(changes(change((d) => d.getMap('whatever').set('k', new Y.Array()))).problem).toBe('a whatever entry must be a plain value')
    expect(changes(change((d) => recordsOf(d).get('shape:card-1')!.push(['not a pair' as never]))).problem).toBe('a record entry that is not a [key, value] pair')
  })

  it('items inserted into a root map as if it were a list', () => {
    const { server } = boardPair()
    for (const root of ['records', 'meta', 'whatever']) {
      const hostile = new Y.Doc()
      hostile.getArray(root).push([['x', 1]])
      const c = changesOf(server, Y.decodeUpdate(Y.encodeStateAsUpdate(hostile)))
      expect(c.problem, root).toBe(`items inserted into the ${root} map as if it were a list`)
    }
  })

  it('pairs with a map key inside a record, fields without one inside a path', () => {
    const { server } = boardPair()
    const recordUpdate = rawUpdate([{ client: 4242, clock: 0, items: [{ parent: firstPairOwner(server, 'records', 'shape:card-1'), parentSub: 'x', content: { any: [['x', 1]] } }] }])
    expect(changesOf(server, Y.decodeUpdate(recordUpdate)).problem).toBe('a record holds a list of pairs')
    const pathId = addPath(server, 'Läxhjälp', 0, 'p-1')
    const pathUpdate = rawUpdate([{ client: 4242, clock: 0, items: [{ parent: firstPairOwner(server, 'paths', pathId), content: { any: ['x'] } }] }])
    expect(changesOf(server, Y.decodeUpdate(pathUpdate)).problem).toBe('an action path holds named fields')
  })
})

/** The id of the item that holds root entry `key` (the parent id its children name). */
function firstPairOwner(doc: Y.Doc, root: string, key: string): [number, number] {
  const item = doc.getMap(root)._map.get(key)!
  return [item.id.client, item.id.clock]
}

describe('changesOf: updates that build on what the server does not have', () => {
  it('an edit of a record whose latest change came from a peer the server never heard from', () => {
    const { client, server, change, changes } = boardPair()
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(client))
    const peerWrite = change((d) => writeRecord(recordsOf(d), { ...card1, x: 3 }), peer)
    Y.applyUpdate(client, peerWrite) // reaches the client, never the server
    const update = change((d) => writeRecord(recordsOf(d), { ...card1, x: 3, y: 4 }))
    expect(changes(update).pending).toBe(true)
    Y.applyUpdate(server, peerWrite)
    expect(changes(update)).toMatchObject({ pending: false, problem: null })
  })

  it('a change after a gap in the sender’s own clocks (an earlier change never arrived)', () => {
    const { server, change, changes } = boardPair()
    const first = change((d) => writeRecord(recordsOf(d), cardRecord('gap-1')))
    const second = change((d) => writeRecord(recordsOf(d), cardRecord('gap-1', { x: 1 })))
    const third = change((d) => writeRecord(recordsOf(d), cardRecord('gap-2'))) // explicit parent, no neighbours
    expect(changes(second).pending).toBe(true)
    const c3 = changes(third)
    expect(c3.pending).toBe(true)
    expect(c3.records.has('shape:card-gap-2')).toBe(true) // still worked out, so the refusal can name it
    Y.applyUpdate(server, first)
    expect(changes(second).pending).toBe(false)
    Y.applyUpdate(server, second)
    expect(changes(third).pending).toBe(false)
  })

  it('an item that names a clock nobody has written yet', () => {
    const { server, changes } = boardPair()
    const [client, clock] = firstPairId(server, 'shape:card-1')
    const ahead = Y.getState(server.store, client) + 10
    const update = rawUpdate([{ client: 777, clock: 0, items: [{ origin: [client, ahead], content: { any: [['x', 1]] } }] }])
    expect(changes(update).pending).toBe(true)
    const known = rawUpdate([{ client: 777, clock: 0, items: [{ origin: [client, clock], content: { any: [['x', 1]] } }] }])
    expect(changes(known)).toMatchObject({ pending: false, problem: null })
  })

  it('a deletion of clocks not yet written: ahead, straddling, of an unknown client', () => {
    const { server, changes } = boardPair()
    const me = server.clientID
    const next = Y.getState(server.store, me)
    expect(changes(deleteOnlyUpdate(me, next, 1000)).pending).toBe(true)
    expect(changes(deleteOnlyUpdate(me, next - 1, 5)).pending).toBe(true)
    expect(changes(deleteOnlyUpdate(123456, 0, 1)).pending).toBe(true)
    expect(changes(deleteOnlyUpdate(me, next - 1, 1)).pending).toBe(false)
  })
})

describe('changesOf: dead items', () => {
  it('an edit into a record deleted meanwhile changes nothing', () => {
    const { server, change, changes } = boardPair()
    server.transact(() => deleteRecord(recordsOf(server), 'shape:card-1'))
    const update = change((d) => writeRecord(recordsOf(d), { ...card1, x: 77 }))
    const c = changes(update)
    expect(c.records.size).toBe(0)
    expect(c).toMatchObject({ pending: false, problem: null })
    expect(c.roots.size).toBe(0)
    Y.applyUpdate(server, update)
    expect(recordsOf(server).has('shape:card-1')).toBe(false)
  })

  it('an item whose named parent is a deleted record changes nothing', () => {
    const { server, changes } = boardPair()
    const owner = firstPairOwner(server, 'records', 'shape:card-1')
    server.transact(() => deleteRecord(recordsOf(server), 'shape:card-1'))
    const update = rawUpdate([{ client: 4243, clock: 0, items: [{ parent: owner, content: { any: [['x', 1]] } }] }])
    expect(changes(update).records.size).toBe(0)
  })
})

describe('changesOf: splitting deletions', () => {
  it('counts delete ranges that cut a live item in two', () => {
    const { server, changes } = boardPair()
    // One array item of 3,000 pairs, as a record of many keys would be stored.
    server.transact(() => {
      const entries = new Y.Array<[string, unknown]>()
      entries.push(Array.from({ length: 3000 }, (_, i) => [`meta.k${i}`, i] as [string, unknown]))
      recordsOf(server).set('shape:wide', entries)
    })
    const [client, clock] = firstPairId(server, 'shape:wide')
    const everyOther = (n: number) => Array.from({ length: n }, (_, i) => [clock + 1 + 2 * i, 1] as [number, number])
    const few = changes(rawUpdate([], [{ client, ranges: everyOther(3) }]))
    expect(few.splits).toBe(6)
    expect(few.records.has('shape:wide')).toBe(true)
    const many = changes(rawUpdate([], [{ client, ranges: everyOther(1200) }]))
    expect(many.splits).toBe(2400)
    expect(many.splits).toBeGreaterThan(UPDATE_LIMITS.splits)
    // Repeated ranges count once; overlapping and adjacent ones merge first ([1,2) [1,3) [3,4) is one range).
    expect(changes(rawUpdate([], [{ client, ranges: [...everyOther(3), ...everyOther(3)] }])).splits).toBe(6)
    expect(changes(rawUpdate([], [{ client, ranges: [...everyOther(3), [clock + 1, 2]] }])).splits).toBe(4)
    // A range covering the whole item cuts nothing.
    expect(changes(rawUpdate([], [{ client, ranges: [[clock, 3000]] }])).splits).toBe(0)
  })
})

describe('changesOf: placement takes linear time', () => {
  /**
   * How much longer `large` takes than `small` (four times its size): the best of interleaved
   * runs, each after a full garbage collection, since the machine is shared and noisy. Linear is
   * ~4×; the brief's bound, at most ~3× per doubling, is 9×; quadratic would be 16×.
   */
  function ratioOf(small: () => void, large: () => void): number {
    const best = [Infinity, Infinity]
    for (let i = 0; i < 4; i++) {
      ;[small, large].forEach((fn, k) => {
        gc()
        const started = performance.now()
        fn()
        best[k] = Math.min(best[k], performance.now() - started)
      })
    }
    console.log(`placement: ${best[0].toFixed(1)} ms, four times the size ${best[1].toFixed(1)} ms`)
    return best[1] / best[0]
  }

  /**
   * `n` items of two clients, each naming only its right neighbour, which is always an item of
   * the other client with a later place in the chain; the last names a pair of card 1. Placed
   * in the update's order, each item starts a walk to the end of the chain unless walks are
   * remembered.
   */
  function chain(server: Y.Doc, n: number): Uint8Array {
    const [A, B] = [9001, 9002]
    const anchor = firstPairId(server, 'shape:card-1')
    const half = n / 2
    // Chain order: A0, B0, A1, B1, …; A_i names B_i, B_i names A_{i+1}.
    const items = (client: number) =>
      Array.from({ length: half }, (_, i) => ({
        rightOrigin: (client === A ? [B, i] : i + 1 < half ? [A, i + 1] : anchor) as [number, number],
        content: { any: [[`meta.c${client}-${i}`, i]] },
      }))
    return rawUpdate([
      { client: A, clock: 0, items: items(A) },
      { client: B, clock: 0, items: items(B) },
    ])
  }

  it('a chain of items each naming only its neighbour', () => {
    const { server } = boardPair()
    const small = Y.decodeUpdate(chain(server, 4000))
    const large = Y.decodeUpdate(chain(server, 16000))
    const c = changesOf(server, small)
    expect(c).toMatchObject({ pending: false, problem: null })
    expect(Object.keys(c.records.get('shape:card-1')!.after!.meta as object)).toHaveLength(2 + 4000)
    expect(ratioOf(() => changesOf(server, small), () => changesOf(server, large))).toBeLessThan(9)
  })

  it('nested arrays', () => {
    const nested = (n: number) => {
      const doc = new Y.Doc()
      let at = new Y.Array<unknown>()
      doc.transact(() => {
        recordsOf(doc).set('shape:deep', at as never)
        for (let i = 0; i < n; i++) {
          const inner = new Y.Array<unknown>()
          at.push([inner])
          at = inner
        }
      })
      return Y.decodeUpdate(Y.encodeStateAsUpdate(doc))
    }
    const { server } = boardPair()
    const small = nested(4000)
    const large = nested(16000)
    expect(changesOf(server, small).problem).toMatch(/unexpected content inside a records entry|nested deeper/)
    expect(ratioOf(() => changesOf(server, small), () => changesOf(server, large))).toBeLessThan(9)
  })
})

describe('changesOf: an item placed beside a deleted one', () => {
  it('a write after an undo (its new pairs name a deleted pair as their neighbour) keeps every field', () => {
    const { server, client, change, changes } = boardPair()
    const card = readRecord(recordsOf(server).get('shape:card-1') as never) as JsonRecord
    // Add a key (its pair goes last), then take it away again (an undo: nothing is pushed), so
    // the array's last item is a deleted pair, which the next write's pairs name as neighbour.
    const meta = card.meta as Record<string, unknown>
    for (const next of [{ ...card, meta: { ...meta, note: 'x' } }, card]) {
      const update = change((doc) => writeRecord(recordsOf(doc), next))
      Y.applyUpdate(server, update)
    }
    const update = change((doc) => writeRecord(recordsOf(doc), { ...card, x: 321, y: 9 }))
    const after = changes(update).records.get('shape:card-1')!.after!
    expect(after.x).toBe(321)
    expect(after.y).toBe(9)
    Y.applyUpdate(server, update)
    expect(readRecord(recordsOf(server).get('shape:card-1') as never)).toEqual(after)
    void client
  })
})
