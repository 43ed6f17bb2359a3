/**
 * Hostile Yjs updates against a real board document (issue 11): what an untrusted participant,
 * or anyone who creates a board and so holds a facilitator link, can send. Each builder takes
 * the attacker's copy of the board (as synced from the server) and returns the update bytes;
 * it never changes that copy. Content attacks go through core/record-store.ts as a modified
 * browser would; cost attacks are encoded by hand (raw Yjs update v1, lib0) where a real client
 * cannot produce them, sized to the largest update that fits in one frame.
 *
 * The catalogue at the end (`contentAttacks`, `costAttacks`) is what the integration test and
 * the benchmark (bench/scenarios/hostile.ts) send.
 */
import { getIndices } from '@tldraw/utils'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { defaultActivity } from '../../core/activity.ts'
import { metaOf } from '../../core/board-meta.ts'
import { DOCUMENT_ID, PAGE_ID } from '../../core/circle.ts'
import { recordsOf, writeRecord, type JsonRecord, type RecordEntries } from '../../core/record-store.ts'
import { CARD_SIZE, CARD_TYPE } from '../../core/shapes.ts'

/** A key no real code sets: if it ever shows up on `Object.prototype`, a record polluted it. */
export const POLLUTION_KEY = 'snurraPolluted'

/** One megabyte, the default MAX_PAYLOAD_BYTES; room is left for the frame's own header. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024
const FRAME_HEADER = 16

// ---------------------------------------------------------------------------------------------
// Capturing what a client would send

/** The update a client holding `doc` would send for `change` (run on a scratch copy). */
export function changeOf(doc: Y.Doc, change: (scratch: Y.Doc) => void, clientID = freshClientId()): Uint8Array {
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(doc))
  scratch.clientID = clientID
  const updates: Uint8Array[] = []
  scratch.on('update', (u: Uint8Array) => updates.push(u))
  scratch.transact(() => change(scratch))
  scratch.destroy()
  if (updates.length === 0) throw new Error('the change produced no update')
  return updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
}

let nextClient = 0
/** Distinct client ids across builders, so two attacks never collide on (client, clock). */
export function freshClientId(): number {
  nextClient = (nextClient + 1) % 1_000_000
  return 1_000_000_000 + ((process.pid * 7919 + nextClient * 104_729) % 1_000_000_000)
}

/** A card record valid for Snurra's schema (the shape the browser writes). */
export function validCard(tag: string, overrides: Partial<JsonRecord> & { props?: Record<string, unknown> } = {}): JsonRecord {
  const { props, ...rest } = overrides
  return {
    id: `shape:hostile-${tag}`,
    typeName: 'shape',
    type: CARD_TYPE,
    parentId: PAGE_ID,
    index: 'a5',
    x: 40,
    y: 60,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: { author: 'angripare', sector: 'bildning' },
    props: { ...CARD_SIZE, ...defaultActivity(), title: `Kort ${tag}`, ...props },
    ...rest,
  }
}

const writeCards = (doc: Y.Doc, ...cards: JsonRecord[]) => changeOf(doc, (d) => cards.forEach((c) => writeRecord(recordsOf(d), c)))

// ---------------------------------------------------------------------------------------------
// Content attacks: records and values that fail the schema or its invariants

/**
 * A valid card plus raw `[key, value]` pairs, pushed into its array as a modified client would:
 * `writeRecord` itself never writes a prototype key (core/record-store.ts skips them).
 */
const writeCardWithPairs = (doc: Y.Doc, card: JsonRecord, pairs: Array<[string, unknown]>) =>
  changeOf(doc, (d) => {
    const records = recordsOf(d)
    writeRecord(records, card)
    ;(records.get(card.id) as Y.Array<[string, unknown]>).push(pairs)
  })

/** Prototype pollution: a record with a top-level `__proto__.snurraPolluted` property (crashed the server). */
export const protoKey = (doc: Y.Doc) => writeCardWithPairs(doc, validCard('proto'), [['__proto__', {}], [`__proto__.${POLLUTION_KEY}`, 'record']])

/** Prototype pollution through `meta.__proto__.snurraPolluted` (meta is free-form JSON in tldraw). */
export const metaProto = (doc: Y.Doc) => writeCardWithPairs(doc, validCard('meta-proto'), [['meta.__proto__', {}], [`meta.__proto__.${POLLUTION_KEY}`, 'meta']])

/** A `constructor.prototype.…` key: harmless to today's unflatten, forbidden by the issue all the same. */
export const constructorKey = (doc: Y.Doc) => writeCardWithPairs(doc, validCard('ctor'), [['props.constructor', {}], [`props.constructor.prototype.${POLLUTION_KEY}`, 'ctor']])

/** A card title that is a number, not a string (the CSV export answered 500). */
export const titleNumber = (doc: Y.Doc) => writeCards(doc, validCard('title-number', { props: { title: 42 } }))

/** A card title that is an object ExcelJS turns into a live formula cell. */
export const titleFormulaObject = (doc: Y.Doc) => writeCards(doc, validCard('title-object', { props: { title: { formula: 'HYPERLINK("http://evil.example/","Klicka")' } } }))

/** A card description that is an object ExcelJS turns into an external hyperlink. */
export const descriptionHyperlink = (doc: Y.Doc) =>
  writeCards(doc, validCard('desc-link', { props: { description: { text: 'Läs mer', hyperlink: 'http://evil.example/' } } }))

/**
 * A title that is a spreadsheet formula as a string. Valid by the schema (a person may start a
 * title with "="): the exports must keep it inert rather than the server refuse it.
 */
export const FORMULA_TITLE = '=HYPERLINK("http://evil.example/","Klicka")'
export const titleFormulaString = (doc: Y.Doc) => writeCards(doc, validCard('formula-string', { props: { title: FORMULA_TITLE } }))

/** An index that is no fractional index key: every browser skips the card, the exports list it. */
export const indexZzz = (doc: Y.Doc) => writeCards(doc, validCard('index-zzz', { index: 'zzz' }))
/** An empty index key. */
export const indexEmpty = (doc: Y.Doc) => writeCards(doc, validCard('index-empty', { index: '' }))

/** A card that is its own parent: hangs every tab that opens the board. */
export const parentSelf = (doc: Y.Doc) => writeCards(doc, validCard('parent-self', { parentId: 'shape:hostile-parent-self' }))
/** Two cards parented to each other, in one update. */
export const parentCycle = (doc: Y.Doc) =>
  writeCards(doc, validCard('cycle-a', { parentId: 'shape:hostile-cycle-b' }), validCard('cycle-b', { parentId: 'shape:hostile-cycle-a' }))
/** A card whose parent does not exist. */
export const parentDangling = (doc: Y.Doc) => writeCards(doc, validCard('dangling', { parentId: 'shape:nowhere-to-be-found' }))

/** A valid arrow shape (tldraw 5.4 defaults) and an arrow binding from it to a shape that does not exist. */
export const bindingToMissing = (doc: Y.Doc) =>
  changeOf(doc, (d) => {
    const records = recordsOf(d)
    writeRecord(records, {
      id: 'shape:hostile-arrow',
      typeName: 'shape',
      type: 'arrow',
      parentId: PAGE_ID,
      index: 'a6',
      x: 0,
      y: 0,
      rotation: 0,
      isLocked: false,
      opacity: 1,
      meta: {},
      props: {
        kind: 'arc', elbowMidPoint: 0.5, dash: 'draw', size: 'm', fill: 'none', color: 'black', labelColor: 'black', bend: 0,
        start: { x: 0, y: 0 }, end: { x: 100, y: 0 }, arrowheadStart: 'none', arrowheadEnd: 'arrow',
        richText: { type: 'doc', content: [{ type: 'paragraph' }] }, labelPosition: 0.5, font: 'draw', scale: 1,
      },
    })
    writeRecord(records, {
      id: 'binding:hostile-missing',
      typeName: 'binding',
      type: 'arrow',
      fromId: 'shape:hostile-arrow',
      toId: 'shape:missing-target',
      meta: {},
      props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
    })
  })

/** The board's tldraw schema replaced by a string: blanks the app for every role. */
export const schemaGarbage = (doc: Y.Doc) => changeOf(doc, (d) => metaOf(d).set('schema', 'garbage'))

/** A schema from the future (`schemaVersion: 999`): every browser turns read-only behind a useless reload banner. */
export const schemaFuture = (doc: Y.Doc) =>
  changeOf(doc, (d) => {
    const schema = metaOf(d).get('schema')
    metaOf(d).set('schema', { ...(typeof schema === 'object' && schema ? schema : {}), schemaVersion: 999 })
  })

const rewrite = (doc: Y.Doc, id: string, patch: Record<string, unknown>) =>
  changeOf(doc, (d) => {
    const entries = recordsOf(d).get(id)
    if (!(entries instanceof Y.Array)) throw new Error(`no record ${id} in the board`)
    const current = Object.fromEntries(entries.toArray())
    const next: Record<string, unknown> = { ...current, ...patch }
    writeRecord(recordsOf(d), { ...unflat(next), id, typeName: String(current.typeName) } as JsonRecord)
  })
// Flat pairs of trusted records (the board's own page and document) back to an object.
function unflat(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(flat)) {
    if (key.includes('.')) continue
    out[key] = value
  }
  return out
}

/** A participant renaming the page record (only the facilitator or the server may). */
export const pageEdit = (doc: Y.Doc) => rewrite(doc, PAGE_ID, { name: 'Kapad sida' })
/** A participant changing the document record. */
export const documentEdit = (doc: Y.Doc) => rewrite(doc, DOCUMENT_ID, { name: 'Kapat dokument', gridSize: 50 })
/** A second page: every browser is sent to an empty page. */
export const secondPage = (doc: Y.Doc) => changeOf(doc, (d) => writeRecord(recordsOf(d), { id: 'page:hostile', typeName: 'page', name: 'Tom sida', index: 'a0', meta: {} }))

/** A root type the board document does not have. */
export const unknownRoot = (doc: Y.Doc) => changeOf(doc, (d) => d.getMap('hostile-root').set('x', 1))

/** A Y.Map where a record's `[key, value]` pairs belong (a nested shared type inside a record). */
export const nestedMapInRecord = (doc: Y.Doc) =>
  changeOf(doc, (d) => {
    writeRecord(recordsOf(d), validCard('nested-map'))
    const inner = new Y.Map<unknown>()
    ;(recordsOf(d).get('shape:hostile-nested-map') as unknown as Y.Array<unknown>).push([inner])
    inner.set('title', 'inuti')
  })

/** A Y.Array inside a record's array, holding a pair that looks like a property. */
export const nestedArrayInRecord = (doc: Y.Doc) =>
  changeOf(doc, (d) => {
    writeRecord(recordsOf(d), validCard('nested-array'))
    const inner = new Y.Array<unknown>()
    ;(recordsOf(d).get('shape:hostile-nested-array') as unknown as Y.Array<unknown>).push([inner])
    inner.push([['props.title', 'inuti']])
  })

// ---------------------------------------------------------------------------------------------
// Raw Yjs update v1, for cost attacks no Yjs client would encode

interface Ref {
  client: number
  clock: number
}
/** `anyBytes`: `count` values already encoded with lib0's writeAny (for values too deep to encode recursively). */
type Content = { deleted: number } | { any: unknown[] } | { anyBytes: Uint8Array; count: number } | { string: string } | { type: 'array' | 'map' }
interface RawItem {
  origin?: Ref
  right?: Ref
  /** Needed when neither neighbour is given: a root name, or the id of the item that holds the type. */
  parent?: { root: string } | { item: Ref }
  parentSub?: string
  content: Content
}
interface RawGroup {
  client: number
  clock: number
  items: RawItem[]
}

const contentLength = (c: Content) => ('deleted' in c ? c.deleted : 'any' in c ? c.any.length : 'anyBytes' in c ? c.count : 'string' in c ? c.string.length : 1)

function writeId(e: encoding.Encoder, id: Ref): void {
  encoding.writeVarUint(e, id.client)
  encoding.writeVarUint(e, id.clock)
}

/** Encodes structs and a delete set as a Yjs update v1 (the format y-websocket sends). */
export function encodeRaw(groups: RawGroup[], deletes: Array<{ client: number; ranges: Array<[number, number]> }> = []): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, groups.length)
  for (const group of groups) {
    encoding.writeVarUint(e, group.items.length)
    encoding.writeVarUint(e, group.client)
    encoding.writeVarUint(e, group.clock)
    for (const item of group.items) {
      const c = item.content
      const ref = 'deleted' in c ? 1 : 'any' in c || 'anyBytes' in c ? 8 : 'string' in c ? 4 : 7
      const hasParent = !item.origin && !item.right
      encoding.writeUint8(e, ref | (item.origin ? 0x80 : 0) | (item.right ? 0x40 : 0) | (hasParent && item.parentSub !== undefined ? 0x20 : 0))
      if (item.origin) writeId(e, item.origin)
      if (item.right) writeId(e, item.right)
      if (hasParent) {
        if (!item.parent) throw new Error('an item without neighbours needs a parent')
        if ('root' in item.parent) {
          encoding.writeVarUint(e, 1)
          encoding.writeVarString(e, item.parent.root)
        } else {
          encoding.writeVarUint(e, 0)
          writeId(e, item.parent.item)
        }
        if (item.parentSub !== undefined) encoding.writeVarString(e, item.parentSub)
      }
      if ('deleted' in c) encoding.writeVarUint(e, c.deleted)
      else if ('any' in c) {
        encoding.writeVarUint(e, c.any.length)
        for (const value of c.any) encoding.writeAny(e, value as never)
      } else if ('anyBytes' in c) {
        encoding.writeVarUint(e, c.count)
        encoding.writeUint8Array(e, c.anyBytes)
      } else if ('string' in c) encoding.writeVarString(e, c.string)
      else encoding.writeVarUint(e, c.type === 'array' ? 0 : 1)
    }
  }
  encoding.writeVarUint(e, deletes.length)
  for (const { client, ranges } of deletes) {
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, ranges.length)
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(e, clock)
      encoding.writeVarUint(e, len)
    }
  }
  return encoding.toUint8Array(e)
}

/** The id of the item that holds record `id`'s Y.Array (to nest new items under it). */
export function recordItemId(doc: Y.Doc, id: string): Ref {
  const entries = recordsOf(doc).get(id) as RecordEntries | undefined
  const item = entries?._item
  if (!item) throw new Error(`no record ${id} in the board`)
  return { client: item.id.client, clock: item.id.clock }
}

/** The id of the first content item of record `id` (an anchor for neighbour chains). */
function firstEntryId(doc: Y.Doc, id: string): Ref {
  const first = (recordsOf(doc).get(id) as RecordEntries | undefined)?._start
  if (!first) throw new Error(`record ${id} has no entries`)
  return { client: first.id.client, clock: first.id.clock }
}

/**
 * The largest `n` for which `build(n)` fits in `maxBytes` (less the frame header), starting from
 * an estimate of the bytes per unit; returns that update and `n`.
 */
export function fitTo(maxBytes: number, bytesPerUnit: number, build: (n: number) => Uint8Array): { update: Uint8Array; n: number } {
  const budget = maxBytes - FRAME_HEADER
  let n = Math.max(1, Math.floor(budget / bytesPerUnit))
  for (let i = 0; i < 20; i++) {
    const update = build(n)
    if (update.length <= budget && (update.length > budget * 0.995 || i > 8)) return { update, n }
    n = Math.max(1, Math.floor(n * (update.length <= budget ? Math.min(1.5, budget / update.length) : (budget / update.length) * 0.995)))
  }
  throw new Error('could not fit the update')
}

export interface CostOptions {
  /** Items to make; when absent, as many as fit in `maxBytes`. */
  n?: number
  maxBytes?: number
  /** The record whose array the attack writes into (default: the page record). */
  recordId?: string
  /** The attacker's Yjs client id (small ids make denser updates). */
  client?: number
}

const sized = (opts: CostOptions, perUnit: number, build: (n: number) => Uint8Array) =>
  opts.n !== undefined ? { update: build(opts.n), n: opts.n } : fitTo(opts.maxBytes ?? DEFAULT_MAX_PAYLOAD, perUnit, build)

/**
 * `n` items each naming only its right neighbour (prepended one by one), no parent info: the
 * server walks the chain to find the parent, scanning linearly at each step (cubic in `n`).
 */
export function neighbourChain(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 7
  const anchor = firstEntryId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 7, (n) =>
    encodeRaw([{ client, clock: 0, items: Array.from({ length: n }, (_, k) => ({ right: k === 0 ? anchor : { client, clock: k - 1 }, content: { deleted: 1 } })) }]),
  )
}

/** The same chain through left origins (each item appended after the last, never merged into one struct). */
export function originChain(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 8
  const anchor = firstEntryId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 7, (n) =>
    encodeRaw([{ client, clock: 0, items: Array.from({ length: n }, (_, k) => ({ origin: k === 0 ? anchor : { client, clock: k - 1 }, content: { deleted: 1 } })) }]),
  )
}

/** `n` arrays each nested in the previous one, the first inside a record's array. */
export function nestedArrays(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 9
  const holder = recordItemId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 7, (n) =>
    encodeRaw([{ client, clock: 0, items: Array.from({ length: n }, (_, k) => ({ parent: { item: k === 0 ? holder : { client, clock: k - 1 } }, content: { type: 'array' as const } })) }]),
  )
}

/**
 * One item of `2n` entries in a record's array, and a delete set that deletes every other one:
 * Yjs splits the item into `2n` pieces, each split copying the rest (quadratic). Also grows
 * the document by `2n` structs that every new client must load.
 */
export function deleteSplit(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 10
  const holder = recordItemId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 5, (n) =>
    encodeRaw(
      [{ client, clock: 0, items: [{ parent: { item: holder }, content: { any: new Array(2 * n).fill(undefined) } }] }],
      [{ client, ranges: Array.from({ length: n }, (_, k): [number, number] => [2 * k + 1, 1]) }],
    ),
  )
}

/** The same split with the delete set alone, against an item sent before (`setup`): the 72 KB message. */
export function deleteSplitTwoStep(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 11
  const holder = recordItemId(doc, opts.recordId ?? PAGE_ID)
  const { update, n } = sized(opts, 4, (m) => encodeRaw([], [{ client, ranges: Array.from({ length: m }, (_, k): [number, number] => [2 * k + 1, 1]) }]))
  const setup = encodeRaw([{ client, clock: 0, items: [{ parent: { item: holder }, content: { any: new Array(2 * n).fill(undefined) } }] }])
  return { setup, update, n }
}

/** Many one-clock deletions spread over everything the board holds (the seeding client's items, split at every clock). */
export function manyTinyDeletes(doc: Y.Doc, opts: CostOptions = {}) {
  const ranges: Array<[number, number]> = []
  let owner = 0
  for (const [client] of doc.store.clients) {
    if (Y.getState(doc.store, client) > Y.getState(doc.store, owner)) owner = client
  }
  const state = Y.getState(doc.store, owner)
  return sized(opts, 3, (n) => {
    ranges.length = 0
    for (let k = 0; k < n; k++) ranges.push([k % state, 1])
    return encodeRaw([], [{ client: owner, ranges }])
  })
}

/** `n` clients with one item each, all at the start of one record's array (concurrent inserts at one place). */
export function manyClients(doc: Y.Doc, opts: CostOptions = {}) {
  const holder = recordItemId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 10, (n) =>
    encodeRaw(Array.from({ length: n }, (_, k) => ({ client: 100 + k, clock: 0, items: [{ parent: { item: holder }, content: { deleted: 1 } }] }))),
  )
}

/** `n` writes of one key of the `records` map by one client, none naming the one before (each walks all earlier ones). */
export function mapKeyPileup(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 12
  return sized(opts, 12, (n) =>
    encodeRaw([{ client, clock: 0, items: Array.from({ length: n }, () => ({ parent: { root: 'records' }, parentSub: 'shape:pile', content: { deleted: 1 } })) }]),
  )
}

/** One string of nearly a megabyte inside a record's array. */
export function hugeString(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 13
  const holder = recordItemId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 1, (n) => encodeRaw([{ client, clock: 0, items: [{ parent: { item: holder }, content: { string: 'x'.repeat(n) } }] }]))
}

/**
 * A pair whose value is JSON nested `n` arrays deep (two bytes a level), inside a record's
 * array. Encoded by hand: lib0 itself overflows the stack writing (and reading) it.
 */
export function deepJson(doc: Y.Doc, opts: CostOptions = {}) {
  const client = opts.client ?? 14
  const holder = recordItemId(doc, opts.recordId ?? PAGE_ID)
  return sized(opts, 2, (n) => {
    const e = encoding.createEncoder()
    encoding.writeUint8(e, 117) // array (lib0 writeAny)
    encoding.writeVarUint(e, 2)
    encoding.writeAny(e, 'props.description')
    for (let k = 0; k < n; k++) encoding.writeUint8Array(e, Uint8Array.of(117, 1)) // an array of one element
    encoding.writeAny(e, 'botten')
    return encodeRaw([{ client, clock: 0, items: [{ parent: { item: holder }, content: { anyBytes: encoding.toUint8Array(e), count: 1 } }] }])
  })
}

// ---------------------------------------------------------------------------------------------
// The catalogue

export interface ContentAttack {
  name: string
  /** One line: what it attacks. */
  attacks: string
  build: (doc: Y.Doc) => Uint8Array
  /** Record ids the update writes (what a refusal may name). */
  records: string[]
  /** Refused from the facilitator too (not only from a participant). */
  refusedForFacilitator: boolean
}

export const contentAttacks: ContentAttack[] = [
  { name: 'proto-key', attacks: 'a record with a __proto__.x property (prototype pollution)', build: protoKey, records: ['shape:hostile-proto'], refusedForFacilitator: true },
  { name: 'meta-proto', attacks: 'a record with meta.__proto__ (prototype pollution)', build: metaProto, records: ['shape:hostile-meta-proto'], refusedForFacilitator: true },
  { name: 'constructor-key', attacks: 'a property named constructor', build: constructorKey, records: ['shape:hostile-ctor'], refusedForFacilitator: true },
  { name: 'title-number', attacks: 'a card title that is a number', build: titleNumber, records: ['shape:hostile-title-number'], refusedForFacilitator: true },
  { name: 'title-formula-object', attacks: 'a card title that is an object (an XLSX formula)', build: titleFormulaObject, records: ['shape:hostile-title-object'], refusedForFacilitator: true },
  { name: 'description-hyperlink', attacks: 'a card description that is an object (an XLSX hyperlink)', build: descriptionHyperlink, records: ['shape:hostile-desc-link'], refusedForFacilitator: true },
  { name: 'index-zzz', attacks: 'a card with the invalid index key "zzz"', build: indexZzz, records: ['shape:hostile-index-zzz'], refusedForFacilitator: true },
  { name: 'index-empty', attacks: 'a card with an empty index key', build: indexEmpty, records: ['shape:hostile-index-empty'], refusedForFacilitator: true },
  { name: 'parent-self', attacks: 'a card that is its own parent', build: parentSelf, records: ['shape:hostile-parent-self'], refusedForFacilitator: true },
  { name: 'parent-cycle', attacks: 'two cards parented to each other', build: parentCycle, records: ['shape:hostile-cycle-a', 'shape:hostile-cycle-b'], refusedForFacilitator: true },
  { name: 'parent-dangling', attacks: 'a card whose parent does not exist', build: parentDangling, records: ['shape:hostile-dangling'], refusedForFacilitator: true },
  { name: 'binding-missing', attacks: 'an arrow binding to a shape that does not exist', build: bindingToMissing, records: ['binding:hostile-missing'], refusedForFacilitator: true },
  { name: 'schema-garbage', attacks: 'meta.schema = "garbage"', build: schemaGarbage, records: [], refusedForFacilitator: true },
  { name: 'schema-future', attacks: 'meta.schema with schemaVersion 999', build: schemaFuture, records: [], refusedForFacilitator: true },
  { name: 'page-edit', attacks: 'a participant editing the page record', build: pageEdit, records: [PAGE_ID], refusedForFacilitator: false },
  { name: 'document-edit', attacks: 'a participant editing the document record', build: documentEdit, records: [DOCUMENT_ID], refusedForFacilitator: false },
  { name: 'second-page', attacks: 'a participant adding a second page record', build: secondPage, records: ['page:hostile'], refusedForFacilitator: false },
  { name: 'unknown-root', attacks: 'a root type the board does not have', build: unknownRoot, records: [], refusedForFacilitator: true },
  { name: 'nested-map', attacks: 'a Y.Map inside a record’s array of pairs', build: nestedMapInRecord, records: ['shape:hostile-nested-map'], refusedForFacilitator: true },
  { name: 'nested-array', attacks: 'a Y.Array inside a record’s array of pairs', build: nestedArrayInRecord, records: ['shape:hostile-nested-array'], refusedForFacilitator: true },
]

export interface CostAttack {
  name: string
  attacks: string
  build: (doc: Y.Doc, opts?: CostOptions) => { update: Uint8Array; n: number; setup?: Uint8Array }
  /** What `n` counts, for the reports. */
  unit: string
}

export const costAttacks: CostAttack[] = [
  { name: 'neighbour-chain', attacks: 'items naming only their right neighbour (parent found by walking; cubic)', build: neighbourChain, unit: 'items' },
  { name: 'origin-chain', attacks: 'items naming only their left neighbour, never merged (cubic)', build: originChain, unit: 'items' },
  { name: 'nested-arrays', attacks: 'arrays nested in arrays (parent chain walked per item; cubic)', build: nestedArrays, unit: 'levels' },
  { name: 'delete-split', attacks: 'a delete set that splits one new item into pieces (quadratic in Yjs)', build: deleteSplit, unit: 'ranges' },
  { name: 'delete-split-two-step', attacks: 'the same delete set alone, against an item sent before', build: deleteSplitTwoStep, unit: 'ranges' },
  { name: 'tiny-deletes', attacks: 'one-clock deletions over everything the board holds', build: manyTinyDeletes, unit: 'ranges' },
  { name: 'many-clients', attacks: 'one item from each of many clients at one place', build: manyClients, unit: 'clients' },
  { name: 'map-key-pileup', attacks: 'many writes of one map key, none naming the one before', build: mapKeyPileup, unit: 'items' },
  { name: 'huge-string', attacks: 'one string of nearly a megabyte in a record’s array', build: hugeString, unit: 'chars' },
  // Much deeper overflows the stack in lib0's decoder on the server (8,000 levels did) and is closed as malformed (4400).
  { name: 'deep-json', attacks: 'a JSON value nested 3,000 arrays deep (stored today; toJSON overflows from ~6,000)', build: (doc, opts = {}) => deepJson(doc, { ...opts, n: opts.n ?? 3000 }), unit: 'levels' },
]

/** A harmless update of about `bytes`: one valid card whose description fills the space (the baseline). */
export function harmlessOfSize(doc: Y.Doc, bytes = DEFAULT_MAX_PAYLOAD, tag = 'baseline'): Uint8Array {
  // Many valid cards rather than one long text: the schema caps a description at 2,000 characters.
  return fitTo(bytes, 700, (n) => {
    const indices = getIndices(n)
    return changeOf(doc, (d) => {
      for (let k = 0; k < n; k++) writeRecord(recordsOf(d), validCard(`${tag}-${k}`, { index: indices[k], props: { description: 'Läxhjälp på biblioteket. '.repeat(12) } }))
    })
  }).update
}
