import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { readFileSync } from 'node:fs'
import { seedBoard } from '../../core/board-doc.ts'
import { deleteRecord, recordsOf, writeRecord } from '../../core/record-store.ts'
import { validateTemplate } from '../../core/template.ts'
import { inspectUpdate } from '../../server/update-inspector.ts'

const template = validateTemplate(JSON.parse(readFileSync('templates/hallunda-norsborg.json', 'utf8')), 'hallunda-norsborg.json')
const card = (id: string, x: number, title = 'Kort') => ({ id, typeName: 'shape', type: 'snurra-card', x, y: 0, props: { title, paths: {} }, meta: {} })

/** A server doc and a client doc in sync; returns what the client's next change touches. */
function setup() {
  const server = new Y.Doc()
  seedBoard(server, template, 'Titel')
  writeRecord(recordsOf(server), card('shape:a', 0))
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  const change = (fn: () => void) => {
    const before = Y.encodeStateVector(client)
    client.transact(fn)
    const update = Y.encodeStateAsUpdate(client, before)
    const targets = inspectUpdate(server, update)
    Y.applyUpdate(server, update)
    return targets
  }
  return { server, client, change }
}

describe('inspectUpdate', () => {
  test('an edit of one card names that record only', () => {
    const { client, change } = setup()
    // Twice: the second write's pairs have neighbours and no parent info of their own.
    expect([...change(() => writeRecord(recordsOf(client), card('shape:a', 10))).keys]).toEqual(['records:shape:a'])
    const t = change(() => writeRecord(recordsOf(client), card('shape:a', 20, 'Nytt')))
    expect([...t.keys]).toEqual(['records:shape:a'])
    expect(t.unresolved).toBe(false)
  })

  test('a new card and a deleted card are named', () => {
    const { client, change } = setup()
    expect([...change(() => writeRecord(recordsOf(client), card('shape:b', 5))).keys]).toEqual(['records:shape:b'])
    expect([...change(() => deleteRecord(recordsOf(client), 'shape:a')).keys]).toEqual(['records:shape:a'])
  })

  test('writes to template shapes, meta and paths are visible as such', () => {
    const { client, change } = setup()
    const task = 'shape:task-uppvaxtvillkor'
    const t1 = change(() => recordsOf(client).get(task)!.push([['x', 1]]))
    expect(t1.keys).toEqual(new Set([`records:${task}`]))
    expect(change(() => client.getMap('meta').set('title', 'x')).keys).toEqual(new Set(['meta:title']))
    expect(change(() => client.getMap('paths').set('p', new Y.Map())).keys).toEqual(new Set(['paths:p']))
    expect(change(() => client.getMap('facilitation').set('locked', false)).keys).toEqual(new Set(['facilitation:locked']))
  })

  test('an update that depends on something the server never saw is unresolved', () => {
    const { client, server } = setup()
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(client))
    writeRecord(recordsOf(other), card('shape:c', 1)) // never sent to the server
    Y.applyUpdate(client, Y.encodeStateAsUpdate(other))
    const before = Y.encodeStateVector(client)
    writeRecord(recordsOf(client), card('shape:c', 2))
    const update = Y.encodeStateAsUpdate(client, before)
    expect(inspectUpdate(server, update).unresolved).toBe(true)
  })
})
