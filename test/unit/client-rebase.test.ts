import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { metaOf, pathsOf } from '../../core/board-meta.ts'
import { deleteRecord, readAllRecords, readRecord, recordsOf, writeRecord, type JsonRecord, type RecordEntries } from '../../core/record-store.ts'
import { countChanges, rebase } from '../../client/sync/rebase.ts'

const card = (id: string, title: string, over: Partial<JsonRecord> = {}): JsonRecord => ({
  id: `shape:${id}`,
  typeName: 'shape',
  type: 'snurra-card',
  parentId: 'page:page',
  index: 'a1',
  x: 0,
  y: 0,
  rotation: 0,
  isLocked: false,
  opacity: 1,
  meta: {},
  props: { w: 240, h: 150, title, status: 'idea' },
  ...over,
})

const write = (doc: Y.Doc, ...records: JsonRecord[]) => doc.transact(() => records.forEach((r) => writeRecord(recordsOf(doc), r)))
const read = (doc: Y.Doc, id: string) => {
  const entries = recordsOf(doc).get(id) as RecordEntries | undefined
  return entries ? readRecord(entries) : undefined
}
/** Writes a change of one existing record, as the client's binding would. */
const edit = (doc: Y.Doc, id: string, change: (record: JsonRecord) => Record<string, unknown>) => write(doc, { ...(read(doc, id) as JsonRecord), ...change(read(doc, id) as JsonRecord) })
const props = (doc: Y.Doc, id: string) => read(doc, id)?.props as Record<string, unknown> | undefined
const byId = (doc: Y.Doc) => readAllRecords(doc).sort((a, b) => (a.id < b.id ? -1 : 1))
const fromState = (state: Uint8Array) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}
const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))

/**
 * The server holds cards A, B and C. We (offline) create a valid card and one the server will
 * refuse in one update, retitle A and delete B; meanwhile someone else moves A and retitles C.
 */
function offlineScenario() {
  const server = new Y.Doc()
  write(server, { id: 'page:page', typeName: 'page', name: 'Sida', index: 'a1', meta: {} }, card('A', 'Alfa'), card('B', 'Beta'), card('C', 'Gamma'))
  const local = fromState(Y.encodeStateAsUpdate(server))
  const other = fromState(Y.encodeStateAsUpdate(server))

  write(local, card('valid', 'Giltigt kort'), card('refused', 'Avvisat kort'))
  edit(local, 'shape:A', (r) => ({ props: { ...(r.props as object), title: 'Alfa, omdöpt offline' } }))
  local.transact(() => deleteRecord(recordsOf(local), 'shape:B'))

  edit(other, 'shape:A', () => ({ x: 500 }))
  edit(other, 'shape:C', (r) => ({ props: { ...(r.props as object), title: 'Gamma, ändrat av någon annan' } }))
  sync(other, server)
  return { server, local }
}

describe('rebase after a refused update', () => {
  it('keeps the valid card and drops the refused one, from one update holding both', () => {
    const { server, local } = offlineScenario()
    const result = rebase(local, Y.encodeStateAsUpdate(server), ['shape:refused'])
    const next = fromState(result.state)

    expect(props(next, 'shape:valid')?.title).toBe('Giltigt kort')
    expect(recordsOf(next).has('shape:refused')).toBe(false)
    expect(result.dropped).toEqual([{ id: 'shape:refused', typeName: 'shape', title: 'Avvisat kort' }])
    expect(result.kept.sort()).toEqual(['shape:A', 'shape:B', 'shape:valid'])
  })

  it('re-writes only our own changed properties: what others changed meanwhile keeps their values', () => {
    const { server, local } = offlineScenario()
    const next = fromState(rebase(local, Y.encodeStateAsUpdate(server), ['shape:refused']).state)

    // A: our title and their move, both.
    expect(props(next, 'shape:A')?.title).toBe('Alfa, omdöpt offline')
    expect(read(next, 'shape:A')?.x).toBe(500)
    // C: we never touched it, so the other person's title stands.
    expect(props(next, 'shape:C')?.title).toBe('Gamma, ändrat av någon annan')
  })

  it('keeps a deletion made offline', () => {
    const { server, local } = offlineScenario()
    const next = fromState(rebase(local, Y.encodeStateAsUpdate(server), ['shape:refused']).state)
    expect(recordsOf(next).has('shape:B')).toBe(false)
    expect(recordsOf(server).has('shape:B')).toBe(true)
  })

  it('writes from a new client on top of the server state, so the server can take it as is', () => {
    const { server, local } = offlineScenario()
    const next = fromState(rebase(local, Y.encodeStateAsUpdate(server), ['shape:refused']).state)
    const toSend = Y.encodeStateAsUpdate(next, Y.encodeStateVector(server))
    const clients = new Set(Y.decodeUpdate(toSend).structs.map((s) => s.id.client))
    expect(clients.has(local.clientID)).toBe(false)
    expect(clients.size).toBe(1)

    // Applied to the server it integrates fully (nothing waits for the refused items) and
    // gives the server the same records.
    Y.applyUpdate(server, toSend)
    expect(server.store.pendingStructs).toBeNull()
    expect(byId(server)).toEqual(byId(next))
  })

  it('a refusal that names no records drops every record our unacknowledged changes touched', () => {
    const { server, local } = offlineScenario()
    const result = rebase(local, Y.encodeStateAsUpdate(server))
    const next = fromState(result.state)
    expect(byId(next)).toEqual(byId(server))
    expect(result.kept).toEqual([])
    expect(result.dropped.map((d) => d.id).sort()).toEqual(['shape:A', 'shape:B', 'shape:refused', 'shape:valid'])
    // The refused deletion is described by the server's copy of the record.
    expect(result.dropped.find((d) => d.id === 'shape:B')?.title).toBe('Beta')
  })

  it('a refusal naming only records we never touched drops all of ours (sending them again would be refused again)', () => {
    const { server, local } = offlineScenario()
    const result = rebase(local, Y.encodeStateAsUpdate(server), ['shape:C'])
    expect(result.kept).toEqual([])
    expect(result.dropped).toHaveLength(4)
  })

  it('changes already acknowledged are not ours to re-write', () => {
    const server = new Y.Doc()
    write(server, card('A', 'Alfa'))
    const local = fromState(Y.encodeStateAsUpdate(server))
    write(local, card('sent', 'Skickat'))
    sync(local, server) // acknowledged
    write(local, card('late', 'Sent'))
    const result = rebase(local, Y.encodeStateAsUpdate(server))
    expect(result.dropped.map((d) => d.id)).toEqual(['shape:late'])
    expect(recordsOf(fromState(result.state)).has('shape:sent')).toBe(true)
  })

  it('action paths and meta keys of ours are kept unless the whole update was refused', () => {
    const server = new Y.Doc()
    write(server, card('A', 'Alfa'))
    const local = fromState(Y.encodeStateAsUpdate(server))
    local.transact(() => {
      const path = new Y.Map<unknown>()
      path.set('label', 'Ny väg')
      path.set('order', 0)
      pathsOf(local).set('p1', path)
      metaOf(local).set('title', 'Ny titel')
      writeRecord(recordsOf(local), card('bad', 'Dåligt'))
    })
    const partly = fromState(rebase(local, Y.encodeStateAsUpdate(server), ['shape:bad']).state)
    expect(pathsOf(partly).get('p1')?.get('label')).toBe('Ny väg')
    expect(metaOf(partly).get('title')).toBe('Ny titel')
    const whole = fromState(rebase(local, Y.encodeStateAsUpdate(server)).state)
    expect(pathsOf(whole).has('p1')).toBe(false)
    expect(metaOf(whole).has('title')).toBe(false)
  })

  it('counts a card and its bindings as one change', () => {
    expect(
      countChanges([
        { id: 'shape:a', typeName: 'shape', title: 'A' },
        { id: 'binding:1', typeName: 'binding', title: '', fromId: 'shape:a' },
        { id: 'binding:2', typeName: 'binding', title: '', fromId: 'shape:x' },
      ]),
    ).toBe(2)
  })
})
