/**
 * The write pipeline's judging on real Yjs updates: a server document seeded as a board is, a
 * client document synced from it, and the update a change on the client makes (what a browser
 * would send), worked out with server/pipeline/changes.ts. Plus a hand encoder of Yjs v1
 * updates for the shapes of update no Y.Doc produces (hostile clients).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { seedBoard } from '../../core/board-doc.ts'
import { recordsOf, writeRecord } from '../../core/record-store.ts'
import { validateTemplate, type Template } from '../../core/template.ts'
import { changesOf, type DocChanges } from '../../server/pipeline/changes.ts'
import { cardRecord } from './records.ts'

export const hallunda: Template = validateTemplate(
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'hallunda-norsborg.json'), 'utf8')),
  'hallunda-norsborg.json',
)

/** A seeded board on the server holding card 1, and a client in sync with it. */
export function boardPair() {
  const server = new Y.Doc()
  seedBoard(server, hallunda, 'Titel', 1_700_000_000_000)
  server.transact(() => writeRecord(recordsOf(server), cardRecord(1)))
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
  /** The update `fn` makes on `doc` (the client by default), as its provider would send it. */
  const change = (fn: (doc: Y.Doc) => void, doc: Y.Doc = client): Uint8Array => {
    const before = Y.encodeStateVector(doc)
    doc.transact(() => fn(doc))
    return Y.encodeStateAsUpdate(doc, before)
  }
  /** What `update` would change in the server document (judged before it is applied). */
  const changes = (update: Uint8Array): DocChanges => changesOf(server, Y.decodeUpdate(update))
  return { server, client, change, changes }
}

export type RawContent = { any: unknown[] } | { type: 'array' | 'map' }

/** One item as Yjs v1 writes it: neighbours, or (with neither) an explicit parent. */
export interface RawItem {
  origin?: [client: number, clock: number]
  rightOrigin?: [client: number, clock: number]
  /** A root type's name, or the id of the item holding the parent type. Written only without neighbours. */
  parent?: string | [client: number, clock: number]
  parentSub?: string
  content: RawContent
}

/**
 * A Yjs v1 update from hand-made items, for shapes of update a Y.Doc never makes (item chains
 * in any order, neighbours that name later clocks). `groups` are written in the order given.
 */
export function rawUpdate(groups: Array<{ client: number; clock: number; items: RawItem[] }>, deletes: Array<{ client: number; ranges: Array<[clock: number, len: number]> }> = []): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, groups.length)
  for (const { client, clock, items } of groups) {
    encoding.writeVarUint(e, items.length)
    encoding.writeVarUint(e, client)
    encoding.writeVarUint(e, clock)
    for (const item of items) writeItem(e, item)
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

const CONTENT_ANY = 8
const CONTENT_TYPE = 7

function writeItem(e: encoding.Encoder, item: RawItem): void {
  const ref = 'any' in item.content ? CONTENT_ANY : CONTENT_TYPE
  const hasParentSub = item.parentSub !== undefined && !item.origin && !item.rightOrigin
  encoding.writeUint8(e, ref | (item.origin ? 0x80 : 0) | (item.rightOrigin ? 0x40 : 0) | (item.parentSub !== undefined ? 0x20 : 0))
  if (item.origin) writeId(e, item.origin)
  if (item.rightOrigin) writeId(e, item.rightOrigin)
  if (!item.origin && !item.rightOrigin) {
    if (typeof item.parent === 'string') {
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, item.parent)
    } else {
      encoding.writeVarUint(e, 0)
      writeId(e, item.parent!)
    }
    if (hasParentSub) encoding.writeVarString(e, item.parentSub!)
  }
  if ('any' in item.content) {
    encoding.writeVarUint(e, item.content.any.length)
    for (const value of item.content.any) encoding.writeAny(e, value as never)
  } else {
    encoding.writeVarUint(e, item.content.type === 'array' ? 0 : 1)
  }
}

function writeId(e: encoding.Encoder, [client, clock]: [number, number]): void {
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, clock)
}

/** The id (client, clock) of the first item of record `id`'s pair array in `doc`. */
export function firstPairId(doc: Y.Doc, id: string): [number, number] {
  const start = recordsOf(doc).get(id)!._start!
  return [start.id.client, start.id.clock]
}
