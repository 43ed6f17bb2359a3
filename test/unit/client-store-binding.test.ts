import { createShapeId, createTLStore, defaultBindingUtils, defaultShapeUtils, GeoShapeUtil, type TLRecord, type TLShape, type TLStore } from 'tldraw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { deleteRecord, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { loadDocIntoStore, receiveDocChanges, sendStoreChanges, type DocSources } from '../../client/sync/store-binding.ts'

/**
 * The union of the board and the private drafts in one tldraw store (client/sync/store-binding.ts),
 * with plain geo shapes: the binding does not care about the shape type.
 */
const GRACE = 3000
// tldraw's own defaults, so the test does not restate its schema.
const GEO_PROPS = new (GeoShapeUtil as unknown as new (editor: null) => GeoShapeUtil)(null).getDefaultProps()

function geo(id: string, text = ''): TLShape {
  return {
    id: createShapeId(id),
    typeName: 'shape',
    type: 'geo',
    x: 0,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: { text },
    props: GEO_PROPS,
  } as unknown as TLShape
}

const asJson = (r: TLRecord) => r as unknown as JsonRecord
/** A change from the server (or another tab): any origin but the binding's own. */
const remote = (doc: Y.Doc, fn: (map: ReturnType<typeof recordsOf>) => void) => doc.transact(() => fn(recordsOf(doc)), 'server')

let store: TLStore
let sources: DocSources
let stops: Array<() => void>
/** Every id the store removed, in order. */
let removed: string[]

beforeEach(() => {
  vi.useFakeTimers()
  store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  sources = { board: new Y.Doc(), drafts: new Y.Doc(), origin: { source: 'test' } }
  // The page the shapes live on comes from the board.
  const page = store.get('page:page' as TLRecord['id'])
  if (page) remote(sources.board, (map) => writeRecord(map, asJson(page)))
  removed = []
  stops = [store.listen(({ changes }) => removed.push(...Object.keys(changes.removed)), { scope: 'document' })]
})
afterEach(() => {
  for (const stop of stops) stop()
  vi.useRealTimers()
})

function bind(isDraft: (r: TLRecord) => boolean = () => false) {
  loadDocIntoStore(store, sources, { migrateFrom: null, upgrade: false })
  const common = { origin: sources.origin, migrateFrom: () => null }
  stops.push(receiveDocChanges(store, sources.board, { ...common, other: sources.drafts, otherWins: false, removalGraceMs: 0 }))
  stops.push(receiveDocChanges(store, sources.drafts!, { ...common, other: sources.board, otherWins: true, removalGraceMs: GRACE }))
  stops.push(sendStoreChanges(store, sources, { canWrite: () => true, isDraft }))
}

const has = (doc: Y.Doc, id: string) => recordsOf(doc).has(createShapeId(id))
const metaText = (id: string) => (store.get(createShapeId(id)) as TLShape | undefined)?.meta.text

/** Remote changes reach the store once per frame (a microtask where there are no frames). */
const remoteFlushed = () => new Promise<void>((resolve) => queueMicrotask(resolve))

describe('the store shows the board and the drafts together', () => {
  it('loads both, and the board wins when both hold a record', () => {
    remote(sources.board, (map) => writeRecord(map, asJson(geo('a', 'board'))))
    remote(sources.drafts!, (map) => writeRecord(map, asJson(geo('b', 'draft'))))
    remote(sources.drafts!, (map) => writeRecord(map, asJson(geo('a', 'stale draft'))))
    bind()
    expect(metaText('a')).toBe('board')
    expect(metaText('b')).toBe('draft')
  })

  it('puts new records where isDraft says, and edits and deletions where the record lives', () => {
    bind((r) => r.typeName === 'shape' && (r as TLShape).meta.text === 'secret')
    store.put([geo('pub', 'public'), geo('priv', 'secret')])
    expect(has(sources.board, 'pub')).toBe(true)
    expect(has(sources.drafts!, 'pub')).toBe(false)
    expect(has(sources.drafts!, 'priv')).toBe(true)
    expect(has(sources.board, 'priv')).toBe(false)

    // Editing the draft stays in the drafts, even once it no longer matches isDraft.
    store.update(createShapeId('priv'), (r) => ({ ...r, x: 50, meta: { text: 'edited' } }))
    expect(has(sources.board, 'priv')).toBe(false)
    store.remove([createShapeId('priv'), createShapeId('pub')])
    expect(has(sources.drafts!, 'priv')).toBe(false)
    expect(has(sources.board, 'pub')).toBe(false)
  })

  it('keeps a revealed card without a gap when the board copy arrives first', () => {
    bind(() => true)
    store.put([geo('c', 'secret')])
    const record = asJson(store.get(createShapeId('c'))!)
    remote(sources.board, (map) => writeRecord(map, record))
    remote(sources.drafts!, (map) => deleteRecord(map, record.id))
    vi.advanceTimersByTime(GRACE * 2)
    expect(removed).toEqual([])
    expect(store.has(createShapeId('c'))).toBe(true)
    // Now it lives on the board: edits go there.
    store.update(createShapeId('c'), (r) => ({ ...r, x: 99 }))
    expect(has(sources.board, 'c')).toBe(true)
    expect(has(sources.drafts!, 'c')).toBe(false)
  })

  it('keeps a revealed card without a gap when the drafts deletion arrives first', () => {
    bind(() => true)
    store.put([geo('d', 'secret')])
    const record = asJson(store.get(createShapeId('d'))!)
    remote(sources.drafts!, (map) => deleteRecord(map, record.id))
    vi.advanceTimersByTime(GRACE / 2)
    expect(store.has(createShapeId('d'))).toBe(true)
    remote(sources.board, (map) => writeRecord(map, record))
    vi.advanceTimersByTime(GRACE * 2)
    expect(removed).toEqual([])
    expect(store.has(createShapeId('d'))).toBe(true)
  })

  it('removes a draft deleted elsewhere once the grace period has passed', async () => {
    bind(() => true)
    store.put([geo('e', 'secret')])
    remote(sources.drafts!, (map) => deleteRecord(map, createShapeId('e')))
    await remoteFlushed()
    expect(store.has(createShapeId('e'))).toBe(true)
    vi.advanceTimersByTime(GRACE + 1)
    expect(store.has(createShapeId('e'))).toBe(false)
  })

  it('removes a board record deleted by someone else with the next batch of remote changes', async () => {
    remote(sources.board, (map) => writeRecord(map, asJson(geo('f', 'board'))))
    bind()
    remote(sources.board, (map) => deleteRecord(map, createShapeId('f')))
    await remoteFlushed()
    expect(store.has(createShapeId('f'))).toBe(false)
  })
})

describe('remote changes arrive in batches', () => {
  it('many remote moves become one store change, and an unchanged props object is kept', async () => {
    remote(sources.board, (map) => writeRecord(map, asJson(geo('m', 'moved'))))
    bind()
    const before = store.get(createShapeId('m')) as TLShape
    let storeChanges = 0
    stops.push(store.listen(() => storeChanges++, { scope: 'document', source: 'remote' }))
    for (let x = 1; x <= 100; x++) remote(sources.board, (map) => writeRecord(map, asJson({ ...geo('m', 'moved'), x })))
    expect(storeChanges).toBe(0)
    await remoteFlushed()
    expect(storeChanges).toBe(1)
    const after = store.get(createShapeId('m')) as TLShape
    expect(after.x).toBe(100)
    // Everything cached per card by `props` (activity rows, counts, lines) survives a move.
    expect(after.props).toBe(before.props)
  })
})

describe('shapes whose parents form a cycle never reach tldraw', () => {
  const parented = (id: string, parent: string) => asJson({ ...geo(id, id), parentId: parent.startsWith('page:') ? parent : createShapeId(parent) } as TLShape)
  const inStore = (id: string) => store.has(createShapeId(id))

  it('on load: a self-parent, a pair parented to each other and a child of the pair are skipped, the rest load', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    remote(sources.board, (map) => {
      writeRecord(map, parented('self', 'self'))
      writeRecord(map, parented('x', 'y'))
      writeRecord(map, parented('y', 'x'))
      writeRecord(map, parented('under', 'x'))
      writeRecord(map, parented('fine', 'page:page'))
      writeRecord(map, parented('child', 'fine'))
    })
    bind()
    expect(['self', 'x', 'y', 'under'].filter(inStore)).toEqual([])
    expect(['fine', 'child'].filter(inStore)).toEqual(['fine', 'child'])
    expect(warn.mock.calls.filter(([text]) => String(text).includes('cycle'))).toHaveLength(4)
    warn.mockRestore()
  })

  it('a remote change that closes a loop leaves the store as it was', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    remote(sources.board, (map) => {
      writeRecord(map, parented('a', 'page:page'))
      writeRecord(map, parented('b', 'a'))
    })
    bind()
    remote(sources.board, (map) => writeRecord(map, parented('a', 'b')))
    await remoteFlushed()
    expect((store.get(createShapeId('a')) as TLShape).parentId).toBe('page:page')
    expect((store.get(createShapeId('b')) as TLShape).parentId).toBe(createShapeId('a'))
    warn.mockRestore()
  })
})
