/**
 * server/policy.ts `judgeWrite`: who may write what, as a table; then the same rules judged on
 * real Yjs updates through server/update-inspector.ts, including updates that depend on changes
 * the server has not seen (which Yjs would hold back and apply later, unjudged).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { seedBoard } from '../../core/board-doc.ts'
import { deleteRecord, recordsOf, writeRecord } from '../../core/record-store.ts'
import type { Role } from '../../core/roles.ts'
import { validateTemplate } from '../../core/template.ts'
import { judgeWrite, type WriteVerdict } from '../../server/policy.ts'
import { inspectUpdate, type UpdateTargets } from '../../server/update-inspector.ts'
import { cardRecord, taskSegmentIds } from '../helpers/records.ts'
import { deleteOnlyUpdate } from '../helpers/snurra.ts'

const isTemplate = (id: string) => id.startsWith('shape:task-') || id === 'shape:ring'
const targets = (keys: string[], more: Partial<UpdateTargets> = {}): UpdateTargets => ({ keys: new Set(keys), unresolved: false, pending: false, templateMarks: new Set(), ...more })
const OK: WriteVerdict = { ok: true }
const no = (reason: string): WriteVerdict => ({ ok: false, reason } as WriteVerdict)

// [what, keys, extra flags, facilitator, participant (unlocked), participant (locked), viewer]
const TABLE: Array<[string, string[], Partial<UpdateTargets>, WriteVerdict, WriteVerdict, WriteVerdict, WriteVerdict]> = [
  ['nothing', [], {}, OK, OK, no('locked'), no('read-only')],
  ['a card', ['records:shape:card-1'], {}, OK, OK, no('locked'), no('read-only')],
  ['two cards', ['records:shape:card-1', 'records:shape:card-2'], {}, OK, OK, no('locked'), no('read-only')],
  ['the page record', ['records:page:page'], {}, OK, OK, no('locked'), no('read-only')],
  ['a template shape', ['records:shape:task-1'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['a card and a template shape', ['records:shape:card-1', 'records:shape:ring'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['the schema', ['meta:schema'], {}, OK, OK, no('locked'), no('read-only')],
  ['the title', ['meta:title'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['the template copy', ['meta:template'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['the meta root itself', ['meta'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['an action path', ['paths:p1'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['an unknown root', ['whatever:x'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['records as a root value', ['records'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['facilitation', ['facilitation:locked'], {}, no('server-only'), no('server-only'), no('server-only'), no('read-only')],
  ['the facilitation root itself', ['facilitation'], {}, no('server-only'), no('server-only'), no('server-only'), no('read-only')],
  ['a card and facilitation', ['records:shape:card-1', 'facilitation:vote'], {}, no('server-only'), no('server-only'), no('server-only'), no('read-only')],
  ['a root that only starts like facilitation', ['facilitationx:a'], {}, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['an unresolved item', ['records:shape:card-1'], { unresolved: true }, OK, no('unknown-target'), no('locked'), no('read-only')],
  ['a card marked as template', ['records:shape:card-1'], { templateMarks: new Set(['shape:card-1']) }, OK, no('facilitator-only'), no('locked'), no('read-only')],
  ['something the server has not seen yet', ['records:shape:card-1'], { pending: true }, no('unknown-target'), no('unknown-target'), no('unknown-target'), no('read-only')],
]

describe('judgeWrite', () => {
  it.each(TABLE)('%s', (_, keys, flags, facilitator, participant, locked, viewer) => {
    const t = targets(keys, flags)
    expect(judgeWrite('facilitator', { locked: false }, t, isTemplate), 'facilitator').toEqual(facilitator)
    expect(judgeWrite('facilitator', { locked: true }, t, isTemplate), 'facilitator, locked').toEqual(facilitator)
    expect(judgeWrite('participant', { locked: false }, t, isTemplate), 'participant').toEqual(participant)
    expect(judgeWrite('participant', { locked: true }, t, isTemplate), 'participant, locked').toEqual(locked)
    expect(judgeWrite('viewer', { locked: false }, t, isTemplate), 'viewer').toEqual(viewer)
    expect(judgeWrite('viewer', { locked: true }, t, isTemplate), 'viewer, locked').toEqual(viewer)
  })
})

describe('judging real updates (inspectUpdate + judgeWrite)', () => {
  const template = validateTemplate(JSON.parse(readFileSync('templates/hallunda-norsborg.json', 'utf8')), 'hallunda-norsborg.json')

  function setup() {
    const server = new Y.Doc()
    seedBoard(server, template, 'Titel')
    writeRecord(recordsOf(server), cardRecord(1))
    server.getMap('facilitation').set('locked', false) // as the server writes it
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const isTemplateIn = (id: string) => taskSegmentIds(server).includes(id)
    const judge = (role: Role, update: Uint8Array, locked = false) => judgeWrite(role, { locked }, inspectUpdate(server, update), isTemplateIn)
    /** The update `fn` makes on the client (as the client would send it). */
    const change = (fn: (doc: Y.Doc) => void, doc = client) => {
      const before = Y.encodeStateVector(doc)
      doc.transact(() => fn(doc))
      return Y.encodeStateAsUpdate(doc, before)
    }
    return { server, client, judge, change }
  }

  it('ordinary edits, template edits, facilitation writes', () => {
    const { client, judge, change, server } = setup()
    const task = taskSegmentIds(server)[0]
    const edit = change((d) => writeRecord(recordsOf(d), cardRecord(1, { x: 5 })))
    expect(judge('participant', edit)).toEqual(OK)
    expect(judge('participant', edit, true)).toEqual(no('locked'))
    const fresh = setup()
    expect(fresh.judge('participant', fresh.change((d) => deleteRecord(recordsOf(d), task)))).toEqual(no('facilitator-only'))
    expect(fresh.judge('facilitator', fresh.change((d) => d.getMap('facilitation').set('locked', true)))).toEqual(no('server-only'))
    expect(judge('viewer', change((d) => writeRecord(recordsOf(d), cardRecord(2)), client))).toEqual(no('read-only'))
  })

  it('marking a record as template is the facilitator’s alone', () => {
    const { judge, change, server } = setup()
    const plain = change((d) => writeRecord(recordsOf(d), cardRecord(1, { x: 7 })))
    expect(inspectUpdate(server, plain).templateMarks.size).toBe(0)
    Y.applyUpdate(server, plain)
    const marked = change((d) => writeRecord(recordsOf(d), cardRecord(1, { x: 7, meta: { template: true } })))
    expect(inspectUpdate(server, marked)).toMatchObject({ templateMarks: new Set(['shape:card-1']), pending: false, unresolved: false })
    expect(judge('participant', marked)).toEqual(no('facilitator-only'))
    expect(judge('facilitator', marked)).toEqual(OK)
  })

  it('an offline create-then-delete (deletions of clocks the update itself brings) is fine', () => {
    const { judge, change } = setup()
    const update = change((d) => {
      writeRecord(recordsOf(d), cardRecord('temp'))
      d.transact(() => deleteRecord(recordsOf(d), 'shape:card-temp'))
    })
    expect(Y.decodeUpdate(update).ds.clients.size).toBeGreaterThan(0)
    expect(judge('participant', update)).toEqual(OK)
  })

  it('a deletion of clocks nobody has written yet is refused for every role but a viewer’s own reason', () => {
    const { server, judge } = setup()
    const serverClient = server.clientID
    const next = Y.getState(server.store, serverClient)
    const planted = deleteOnlyUpdate(serverClient, next, 1000)
    expect(inspectUpdate(server, planted)).toMatchObject({ pending: true })
    for (const role of ['facilitator', 'participant'] as const) expect(judge(role, planted), role).toEqual(no('unknown-target'))
    // Straddling: existing clocks and future ones.
    const straddle = deleteOnlyUpdate(serverClient, next - 1, 5)
    expect(inspectUpdate(server, straddle).pending).toBe(true)
    // A client the server has never seen.
    expect(inspectUpdate(server, deleteOnlyUpdate(123456, 0, 1)).pending).toBe(true)
  })

  it('an item placed next to a change the server has not seen, or after a gap, is refused for every role', () => {
    const { server, judge, change } = setup()
    // The client makes two changes; the server gets only the second.
    const first = change((d) => writeRecord(recordsOf(d), cardRecord('gap-1')))
    const second = change((d) => writeRecord(recordsOf(d), cardRecord('gap-1', { x: 1 })))
    expect(inspectUpdate(server, second).pending).toBe(true)
    expect(judge('facilitator', second)).toEqual(no('unknown-target'))
    expect(judge('participant', second)).toEqual(no('unknown-target'))
    // A new record (explicit parent, no neighbours) after a gap in the client's clocks.
    const third = change((d) => writeRecord(recordsOf(d), cardRecord('gap-2')))
    expect(inspectUpdate(server, third)).toMatchObject({ keys: new Set(['records:shape:card-gap-2']), unresolved: false, pending: true })
    expect(judge('participant', third)).toEqual(no('unknown-target'))
    expect(judge('facilitator', third)).toEqual(no('unknown-target'))
    // Once the server has the first change, the rest is judged on its merits.
    Y.applyUpdate(server, first)
    expect(judge('participant', second)).toEqual(OK)
    Y.applyUpdate(server, second)
    expect(judge('participant', third)).toEqual(OK)
  })
})
