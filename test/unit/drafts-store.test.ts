import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { afterEach, describe, expect, it } from 'vitest'
import { deleteRecord, readAllRecords, recordsOf, writeRecord } from '../../core/record-store.ts'
import { draftsStore, type DraftsStore } from '../../server/drafts-store.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { A, info } from '../helpers/storage-contract.ts'
import { cardRecord } from '../helpers/records.ts'

const PERSON = 'person-a'
const opened: Array<{ dir: string; storage: Storage }> = []

afterEach(async () => {
  for (const { dir, storage } of opened.splice(0)) {
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

async function boardStorage(): Promise<Storage> {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-drafts-'))
  const storage = openSqliteStorage(dir)
  opened.push({ dir, storage })
  await storage.createBoard(info(A), Y.encodeStateAsUpdate(new Y.Doc()))
  return storage
}

/**
 * The three calls the drafts store makes, in memory: 2,000 fsyncs of SQLite's would make this
 * file slow without testing anything more (the other tests use SQLite).
 */
function memoryStorage(): Storage {
  const state = new Map<string, unknown>()
  const methods: Pick<Storage, 'getState' | 'setState' | 'exclusive'> = {
    getState: async (id, key) => state.get(`${id}/${key}`) ?? null,
    setState: async (id, key, value) => void state.set(`${id}/${key}`, JSON.parse(JSON.stringify(value))),
    exclusive: (_key, fn) => fn(),
  }
  return methods as Storage
}

async function storedBytes(storage: Storage): Promise<Uint8Array> {
  return new Uint8Array(Buffer.from((await storage.getState(A, `private:${PERSON}`)) as string, 'base64'))
}

/** A person's browser: every change it makes is one update, judged and stored as the room does it. */
function author(store: DraftsStore) {
  const doc = new Y.Doc()
  const send = async (change: (records: ReturnType<typeof recordsOf>) => void): Promise<boolean> => {
    const updates: Uint8Array[] = []
    const capture = (u: Uint8Array) => updates.push(u)
    doc.on('update', capture)
    doc.transact(() => change(recordsOf(doc)))
    doc.off('update', capture)
    const update = Y.mergeUpdates(updates)
    if (!store.fits(update)) return false
    await store.appendMany([update])
    return true
  }
  return { doc, send }
}

const sizeWith = (stored: Uint8Array, update: Uint8Array): number => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, stored)
  Y.applyUpdate(doc, update)
  return Y.encodeStateAsUpdate(doc).length
}

describe('draftsStore', () => {
  it('2,000 moves of one draft card: the stored size follows the document, not the history', async () => {
    const storage = memoryStorage()
    const store = draftsStore(storage, A, PERSON, 1024 * 1024)
    await store.load()
    const me = author(store)
    const card = cardRecord('moved')
    await me.send((records) => writeRecord(records, card))
    for (let i = 1; i <= 2000; i++) expect(await me.send((records) => writeRecord(records, { ...card, x: i, y: 2 * i }))).toBe(true)
    const document = Y.encodeStateAsUpdate(me.doc).length
    const stored = await storedBytes(storage)
    console.log(`drafts: 2,000 moves of one card stored ${stored.length} bytes for a ${document}-byte document (Y.mergeUpdates kept ~50,000)`)
    expect(stored.length).toBeLessThan(2 * document)
    const back = new Y.Doc()
    Y.applyUpdate(back, stored)
    expect(readAllRecords(back)).toEqual([{ ...card, x: 2000, y: 4000 }])
  })

  it('the limit measures exactly what would be stored: a change that would pass it is refused and not stored; a reveal makes room again', async () => {
    const storage = await boardStorage()
    const probe = draftsStore(storage, A, PERSON, Infinity)
    await probe.load()
    const setup = author(probe)
    for (let i = 0; i < 3; i++) await setup.send((records) => writeRecord(records, cardRecord(`d${i}`, { props: { title: 'x'.repeat(500) } })))
    const before = await storedBytes(storage)

    // The next card's update, and the exact size the drafts would have with it.
    const next = new Y.Doc()
    Y.applyUpdate(next, before)
    const updates: Uint8Array[] = []
    next.on('update', (u: Uint8Array) => updates.push(u))
    next.transact(() => writeRecord(recordsOf(next), cardRecord('d3', { props: { title: 'x'.repeat(500) } })))
    const update = updates[0]
    const exact = sizeWith(before, update)

    const tight = draftsStore(storage, A, PERSON, exact - 1)
    await tight.load()
    expect(tight.fits(update)).toBe(false)
    expect(await storedBytes(storage)).toEqual(before)

    const enough = draftsStore(storage, A, PERSON, exact)
    await enough.load()
    expect(enough.fits(update)).toBe(true)
    await enough.appendMany([update])
    expect((await storedBytes(storage)).length).toBe(exact)
    // Full now: one more card is refused, and a refusal leaves the next measure right.
    const more = author(enough)
    Y.applyUpdate(more.doc, await storedBytes(storage))
    expect(await more.send((records) => writeRecord(records, cardRecord('d4')))).toBe(false)
    expect(await more.send((records) => writeRecord(records, cardRecord('d5')))).toBe(false)
    expect((await storedBytes(storage)).length).toBe(exact)

    // The reveal: the server deletes every draft card (appended as the room's own change, unjudged).
    const room = new Y.Doc()
    Y.applyUpdate(room, await storedBytes(storage))
    const reveal: Uint8Array[] = []
    room.on('update', (u: Uint8Array) => reveal.push(u))
    room.transact(() => {
      for (const record of readAllRecords(room)) deleteRecord(recordsOf(room), record.id)
    })
    await enough.appendMany([reveal[0]])
    expect((await storedBytes(storage)).length).toBeLessThan(exact / 4)
    const after = author(enough)
    Y.applyUpdate(after.doc, await storedBytes(storage))
    expect(await after.send((records) => writeRecord(records, cardRecord('after-reveal', { props: { title: 'x'.repeat(500) } })))).toBe(true)
    const kept = new Y.Doc()
    Y.applyUpdate(kept, await storedBytes(storage))
    expect(readAllRecords(kept).map((r) => r.id)).toEqual(['shape:card-after-reveal'])
  })

  it('an update Yjs cannot apply is a protocol error, and leaves the drafts as they were', async () => {
    const storage = await boardStorage()
    const store = draftsStore(storage, A, PERSON, 1024 * 1024)
    await store.load()
    const me = author(store)
    await me.send((records) => writeRecord(records, cardRecord('before')))
    const before = await storedBytes(storage)
    expect(() => store.fits(new Uint8Array([1, 1, 200, 1, 0, 7, 7, 7]))).toThrow(/does not apply/)
    expect(await storedBytes(storage)).toEqual(before)
    await me.send((records) => writeRecord(records, cardRecord('after')))
    const kept = new Y.Doc()
    Y.applyUpdate(kept, await storedBytes(storage))
    expect(readAllRecords(kept).map((r) => r.id).sort()).toEqual(['shape:card-after', 'shape:card-before'])
  })

  it('two instances holding the same drafts merge into what is stored, not over it', async () => {
    const storage = await boardStorage()
    const one = draftsStore(storage, A, PERSON, 1024 * 1024)
    const two = draftsStore(storage, A, PERSON, 1024 * 1024)
    await one.load()
    await two.load()
    await author(one).send((records) => writeRecord(records, cardRecord('from-one')))
    await author(two).send((records) => writeRecord(records, cardRecord('from-two')))
    await author(one).send((records) => writeRecord(records, cardRecord('one-again')))
    const kept = new Y.Doc()
    Y.applyUpdate(kept, await storedBytes(storage))
    expect(readAllRecords(kept).map((r) => r.id).sort()).toEqual(['shape:card-from-one', 'shape:card-from-two', 'shape:card-one-again'])
    const reopened = draftsStore(storage, A, PERSON, 1024 * 1024)
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, (await reopened.load()).snapshot!)
    expect(readAllRecords(loaded)).toHaveLength(3)
  })
})
