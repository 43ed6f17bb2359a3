/**
 * server/policy.ts: who may write what, judged on what an update would change (DocChanges).
 * First as a table over hand-made changes, every role, locked and not; then on real updates a
 * client makes, worked out by server/pipeline/changes.ts; then the drafts rule.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { metaOf } from '../../core/board-meta.ts'
import { addPath } from '../../core/paths.ts'
import { deleteRecord, readRecord, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import type { Role } from '../../core/roles.ts'
import { changesOf, type DocChanges, type RecordChange } from '../../server/pipeline/changes.ts'
import { judgeDraftWrite, judgeWrite } from '../../server/policy.ts'
import type { Refusal } from '../../server/room-types.ts'
import { boardPair } from '../helpers/pipeline.ts'
import { cardRecord, taskSegmentIds } from '../helpers/records.ts'

type Spec = { roots?: string[]; records?: Record<string, [JsonRecord | null, JsonRecord | null]>; meta?: Record<string, unknown>; paths?: string[] }

/** DocChanges by hand: the roots are those of the records, meta and paths given, plus `roots`. */
function changes({ roots = [], records = {}, meta = {}, paths = [] }: Spec): DocChanges {
  const recordMap = new Map<string, RecordChange>(Object.entries(records).map(([id, [before, after]]) => [id, { before, after }]))
  const all = new Set(roots)
  if (recordMap.size) all.add('records')
  if (Object.keys(meta).length) all.add('meta')
  if (paths.length) all.add('paths')
  return {
    roots: all,
    records: recordMap,
    meta: new Map(Object.entries(meta).map(([k, v]) => [k, v === undefined ? null : { value: v }])),
    paths: new Map(paths.map((id) => [id, { label: 'x', order: 0 }])),
    problem: null,
    pending: false,
    splits: 0,
  }
}

const card = cardRecord(1)
const card2 = cardRecord(2)
const segment: JsonRecord = { ...cardRecord('seg'), id: 'shape:task-uppvaxtvillkor', type: 'snurra-segment', meta: { template: true } }
const page: JsonRecord = { id: 'page:page', typeName: 'page', name: 'Titel', index: 'a1', meta: {} }
const documentRecord: JsonRecord = { id: 'document:document', typeName: 'document', gridSize: 10, name: 'Titel', meta: {} }
const arrow: JsonRecord = { ...cardRecord('arrow'), id: 'shape:arrow-1', type: 'arrow', props: {} }
const binding: JsonRecord = { id: 'binding:b1', typeName: 'binding', type: 'arrow', fromId: 'shape:arrow-1', toId: 'shape:card-1', props: {}, meta: {} }
const asset: JsonRecord = { id: 'asset:img', typeName: 'asset', type: 'image', props: {}, meta: {} }

const OK = null
const no = (reason: Refusal['reason'], records?: string[]) => expect.objectContaining(records ? { reason, records } : { reason })
const NO_VIEWER = no('read-only')

// [what, changes, facilitator (locked or not), participant, participant while locked]; a viewer is always refused 'read-only'.
const TABLE: Array<[string, Spec, unknown, unknown, unknown]> = [
  ['nothing', {}, OK, OK, no('locked', [])],
  ['a new card', { records: { 'shape:card-1': [null, card] } }, OK, OK, no('locked', ['shape:card-1'])],
  ['a card edited', { records: { 'shape:card-1': [card, { ...card, x: 5 }] } }, OK, OK, no('locked', ['shape:card-1'])],
  ['a card deleted', { records: { 'shape:card-1': [card, null] } }, OK, OK, no('locked', ['shape:card-1'])],
  ['two cards', { records: { 'shape:card-1': [null, card], 'shape:card-2': [null, card2] } }, OK, OK, no('locked', ['shape:card-1', 'shape:card-2'])],
  ['an arrow and its binding', { records: { 'shape:arrow-1': [null, arrow], 'binding:b1': [null, binding] } }, OK, OK, no('locked', ['shape:arrow-1', 'binding:b1'])],
  ['the page record', { records: { 'page:page': [page, { ...page, name: 'x' }] } }, OK, no('facilitator-only', ['page:page']), no('locked', ['page:page'])],
  ['a second page', { records: { 'page:two': [null, { ...page, id: 'page:two' }] } }, OK, no('facilitator-only', ['page:two']), no('locked', ['page:two'])],
  ['the document record', { records: { 'document:document': [documentRecord, { ...documentRecord, gridSize: 20 }] } }, OK, no('facilitator-only', ['document:document']), no('locked')],
  ['a template shape edited', { records: { [segment.id]: [segment, { ...segment, x: 9 }] } }, OK, no('facilitator-only', [segment.id]), no('locked')],
  ['a template shape deleted', { records: { [segment.id]: [segment, null] } }, OK, no('facilitator-only', [segment.id]), no('locked')],
  ['a template shape made plain', { records: { [segment.id]: [segment, { ...segment, meta: {} }] } }, OK, no('facilitator-only', [segment.id]), no('locked')],
  ['a card marked as template', { records: { 'shape:card-1': [card, { ...card, meta: { template: true } }] } }, OK, no('facilitator-only', ['shape:card-1']), no('locked')],
  ['a new card marked as template', { records: { 'shape:card-2': [null, { ...card2, meta: { template: true } }] } }, OK, no('facilitator-only', ['shape:card-2']), no('locked')],
  ['a card and a template shape', { records: { 'shape:card-1': [null, card], [segment.id]: [segment, { ...segment, x: 1 }] } }, OK, no('facilitator-only', [segment.id]), no('locked', ['shape:card-1', segment.id])],
  ['a record under a made-up type', { records: { 'thing:x': [null, { id: 'thing:x', typeName: 'thing' }] } }, OK, no('facilitator-only', ['thing:x']), no('locked')],
  ['a shape id holding another type', { records: { 'shape:p': [null, { ...page, id: 'shape:p' }] } }, OK, no('facilitator-only', ['shape:p']), no('locked')],
  ['the schema', { meta: { schema: { schemaVersion: 999 } } }, OK, no('facilitator-only'), no('locked')],
  ['the schema removed', { meta: { schema: undefined } }, OK, no('facilitator-only'), no('locked')],
  ['the title', { meta: { title: 'x' } }, OK, no('facilitator-only'), no('locked')],
  ['the template copy', { meta: { template: {} } }, OK, no('facilitator-only'), no('locked')],
  ['the meta root, no key', { roots: ['meta'] }, OK, no('facilitator-only'), no('locked')],
  ['an action path', { paths: ['p1'] }, OK, no('facilitator-only'), no('locked')],
  ['facilitation', { roots: ['facilitation'] }, no('server-only'), no('server-only'), no('server-only')],
  ['a card and facilitation', { roots: ['facilitation'], records: { 'shape:card-1': [null, card] } }, no('server-only'), no('server-only'), no('server-only')],
  ['a root the board does not have', { roots: ['whatever'] }, no('invalid'), no('invalid'), no('invalid')],
  ['a root that only starts like facilitation', { roots: ['facilitationx'] }, no('invalid'), no('invalid'), no('invalid')],
  ['a card and an unknown root', { roots: ['whatever'], records: { 'shape:card-1': [null, card] } }, no('invalid'), no('invalid'), no('invalid')],
]

describe('judgeWrite: the role table', () => {
  it.each(TABLE)('%s', (_, spec, facilitator, participant, locked) => {
    const c = changes(spec)
    expect(judgeWrite('facilitator', false, c), 'facilitator').toEqual(facilitator)
    expect(judgeWrite('facilitator', true, c), 'facilitator, locked').toEqual(facilitator)
    expect(judgeWrite('participant', false, c), 'participant').toEqual(participant)
    expect(judgeWrite('participant', true, c), 'participant, locked').toEqual(locked)
    expect(judgeWrite('viewer', false, c), 'viewer').toEqual(NO_VIEWER)
    expect(judgeWrite('viewer', true, c), 'viewer, locked').toEqual(NO_VIEWER)
  })

  it('a participant may add an image (its asset record)', () => {
    expect(judgeWrite('participant', false, changes({ records: { 'asset:img': [null, asset] } }))).toBeNull()
  })
})

describe('judgeWrite on real updates', () => {
  /** A board pair where `judge(role, fn)` judges the update `fn` makes on the client. */
  function setup() {
    const pair = boardPair()
    pair.server.getMap('facilitation').set('locked', false) // as the server writes it
    Y.applyUpdate(pair.client, Y.encodeStateAsUpdate(pair.server))
    const judge = (role: Role, fn: (doc: Y.Doc) => void, locked = false) => judgeWrite(role, locked, pair.changes(pair.change(fn)))
    return { ...pair, judge }
  }

  it('a participant edits, adds and deletes cards; locked, each is refused naming the card', () => {
    const { judge, change, changes } = setup()
    const edit = change((d) => writeRecord(recordsOf(d), { ...cardRecord(1), x: 5 }))
    expect(judgeWrite('participant', false, changes(edit))).toBeNull()
    expect(judgeWrite('participant', true, changes(edit))).toEqual({ reason: 'locked', records: ['shape:card-1'] })
    expect(setup().judge('participant', (d) => writeRecord(recordsOf(d), cardRecord(7)), true)).toEqual({ reason: 'locked', records: ['shape:card-7'] })
    expect(setup().judge('participant', (d) => deleteRecord(recordsOf(d), 'shape:card-1'), true)).toEqual({ reason: 'locked', records: ['shape:card-1'] })
    expect(setup().judge('facilitator', (d) => writeRecord(recordsOf(d), cardRecord(8)), true)).toBeNull()
    expect(judge('viewer', (d) => writeRecord(recordsOf(d), cardRecord(9)))).toEqual({ reason: 'read-only' })
  })

  it('the page and the document are the facilitator’s', () => {
    for (const id of ['page:page', 'document:document']) {
      const { judge, server } = setup()
      const rename = (d: Y.Doc) => writeRecord(recordsOf(d), { ...(readRecord(recordsOf(server).get(id)!) as JsonRecord), name: 'Annat' })
      expect(judge('participant', rename), id).toMatchObject({ reason: 'facilitator-only', records: [id] })
      expect(setup().judge('facilitator', rename), id).toBeNull()
    }
    const { judge } = setup()
    expect(judge('participant', (d) => writeRecord(recordsOf(d), { id: 'page:two', typeName: 'page', name: 'Tom', index: 'a2', meta: {} }))).toMatchObject({ reason: 'facilitator-only', records: ['page:two'] })
  })

  it('meta, the schema included, and action paths are the facilitator’s', () => {
    const { judge } = setup()
    expect(judge('participant', (d) => metaOf(d).set('schema', 'garbage'))).toMatchObject({ reason: 'facilitator-only' })
    expect(judge('participant', (d) => metaOf(d).set('title', 'Min titel'))).toMatchObject({ reason: 'facilitator-only' })
    expect(setup().judge('participant', (d) => metaOf(d).delete('schema'))).toMatchObject({ reason: 'facilitator-only' })
    expect(setup().judge('participant', (d) => addPath(d, 'Läxhjälp', 0, 'p-1'))).toMatchObject({ reason: 'facilitator-only' })
    expect(setup().judge('facilitator', (d) => metaOf(d).set('title', 'Ny titel'))).toBeNull()
    expect(setup().judge('facilitator', (d) => addPath(d, 'Läxhjälp', 0, 'p-1'))).toBeNull()
  })

  it('marking a card as template is the facilitator’s alone', () => {
    const { judge } = setup()
    const mark = (d: Y.Doc) => writeRecord(recordsOf(d), cardRecord(1, { meta: { template: true } }))
    expect(judge('participant', mark)).toEqual(expect.objectContaining({ reason: 'facilitator-only', records: ['shape:card-1'] }))
    expect(setup().judge('facilitator', mark)).toBeNull()
    // Only the meta key itself, pushed as a pair.
    expect(setup().judge('participant', (d) => recordsOf(d).get('shape:card-1')!.push([['meta.template', true]]))).toMatchObject({ reason: 'facilitator-only' })
  })

  it('the template layer is the facilitator’s: editing a segment', () => {
    const { judge, server } = setup()
    const task = taskSegmentIds(server)[0]
    const moved = (d: Y.Doc) => writeRecord(recordsOf(d), { ...(readRecord(recordsOf(server).get(task)!) as JsonRecord), x: 123 })
    expect(judge('participant', moved)).toMatchObject({ reason: 'facilitator-only', records: [task] })
    expect(setup().judge('facilitator', moved)).toBeNull()
  })

  it('the template layer is the facilitator’s: deleting or replacing a segment', () => {
    const { judge, server } = setup()
    const task = taskSegmentIds(server)[0]
    expect(judge('participant', (d) => deleteRecord(recordsOf(d), task))).toMatchObject({ reason: 'facilitator-only', records: [task] })
    const plain = { ...(readRecord(recordsOf(server).get(task)!) as JsonRecord), meta: {} }
    const replace = (d: Y.Doc) => {
      recordsOf(d).delete(task)
      writeRecord(recordsOf(d), plain)
    }
    expect(setup().judge('participant', replace)).toMatchObject({ reason: 'facilitator-only', records: [task] })
  })

  it('facilitation is the server’s, for everyone', () => {
    for (const role of ['facilitator', 'participant'] as const) {
      expect(setup().judge(role, (d) => d.getMap('facilitation').set('locked', true)), role).toMatchObject({ reason: 'server-only' })
      expect(setup().judge(role, (d) => d.getMap('facilitation').delete('locked')), role).toMatchObject({ reason: 'server-only' })
    }
  })

  it('a root the board does not have is invalid', () => {
    expect(setup().judge('facilitator', (d) => d.getMap('whatever').set('k', 1))).toMatchObject({ reason: 'invalid' })
    expect(setup().judge('participant', (d) => d.getArray('list').push([1]))).toMatchObject({ reason: 'invalid' })
  })

  it('an offline create-then-delete is fine', () => {
    const { client, changes, change } = setup()
    const before = Y.encodeStateVector(client)
    change((d) => writeRecord(recordsOf(d), cardRecord('temp')))
    change((d) => deleteRecord(recordsOf(d), 'shape:card-temp'))
    expect(judgeWrite('participant', false, changes(Y.encodeStateAsUpdate(client, before)))).toBeNull()
  })
})

describe('judgeDraftWrite: drafts hold cards only', () => {
  it('on hand-made changes', () => {
    expect(judgeDraftWrite('participant', changes({ records: { 'shape:card-1': [null, card] } }))).toBeNull()
    expect(judgeDraftWrite('facilitator', changes({ records: { 'shape:card-1': [card, { ...card, x: 1 }] } }))).toBeNull()
    expect(judgeDraftWrite('participant', changes({ records: { 'shape:card-1': [card, null] } }))).toBeNull()
    expect(judgeDraftWrite('viewer', changes({ records: { 'shape:card-1': [null, card] } }))).toEqual({ reason: 'read-only' })
    expect(judgeDraftWrite('participant', changes({ records: { 'shape:arrow-1': [null, arrow], 'shape:card-1': [null, card] } }))).toMatchObject({ reason: 'invalid', records: ['shape:arrow-1'] })
    expect(judgeDraftWrite('facilitator', changes({ records: { 'page:page': [null, page] } }))).toMatchObject({ reason: 'invalid', records: ['page:page'] })
    expect(judgeDraftWrite('participant', changes({ records: { 'binding:b1': [null, binding] } }))).toMatchObject({ reason: 'invalid', records: ['binding:b1'] })
    for (const root of ['meta', 'paths', 'facilitation', 'whatever']) {
      expect(judgeDraftWrite('facilitator', changes({ roots: [root] })), root).toMatchObject({ reason: 'invalid' })
    }
  })

  it('on real updates to an empty drafts document', () => {
    const drafts = new Y.Doc()
    const client = new Y.Doc()
    const judge = (fn: (doc: Y.Doc) => void) => {
      const before = Y.encodeStateVector(client)
      client.transact(() => fn(client))
      const update = Y.encodeStateAsUpdate(client, before)
      const verdict = judgeDraftWrite('participant', changesOf(drafts, Y.decodeUpdate(update)))
      if (!verdict) Y.applyUpdate(drafts, update)
      return verdict
    }
    expect(judge((d) => writeRecord(recordsOf(d), cardRecord('draft')))).toBeNull()
    expect(judge((d) => writeRecord(recordsOf(d), { ...cardRecord('draft'), x: 3 }))).toBeNull()
    expect(judge((d) => writeRecord(recordsOf(d), arrow))).toMatchObject({ reason: 'invalid', records: ['shape:arrow-1'] })
  })
})
