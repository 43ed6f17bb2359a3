/**
 * Puts a large board on a server through its WebSocket, as clients would: on Snurra a
 * facilitator client syncs the board `POST /api/boards` seeded and adds the cards in batches;
 * on the reference a client pushes the same updates. Used by scenarios 4 and 6.
 */
import * as Y from 'yjs'
import { addCards, cardCount } from './board.ts'
import { deviceKey } from './fanout.ts'
import type { BenchRoom } from './servers.ts'
import { sleep } from './servers.ts'
import { YClient } from './yclient.ts'

export interface BoardContent {
  /** The updates that make the board, in order (the seed, then one per batch of cards). */
  updates: Uint8Array[]
  /** Size of the whole document, encoded. */
  bytes: number
}

/** Adds `cards` cards to a Snurra board and waits until the server holds them all. */
export async function fillSnurraBoard(room: BenchRoom, cards: number): Promise<BoardContent> {
  const writer = new YClient(room.wsUrl('facilitator', deviceKey()), { applyRemote: true })
  await writer.synced
  const seed = Y.encodeStateAsUpdate(writer.doc)
  const batches = addCards(writer.doc, cards)
  for (const update of batches) writer.sendUpdate(update)
  const bytes = Y.encodeStateAsUpdate(writer.doc).length
  await waitForCards(room, cards)
  writer.close()
  await writer.closed
  if (writer.rejections.length) throw new Error(`Snurra refused the board's updates: ${writer.rejections.join(', ')}`)
  return { updates: [seed, ...batches], bytes }
}

/** Pushes the same content to a reference room. */
export async function pushBoard(room: BenchRoom, content: BoardContent, cards: number): Promise<void> {
  const writer = new YClient(room.wsUrl())
  await writer.synced
  for (const update of content.updates) writer.sendUpdate(update)
  await waitForCards(room, cards)
  writer.close()
  await writer.closed
}

/** Connects a checking client until the server holds every card (the writes are asynchronous). */
export async function waitForCards(room: BenchRoom, cards: number): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const checker = new YClient(room.wsUrl('participant', deviceKey()), { applyRemote: true })
    await checker.synced
    await sleep(100) // the reference may send its content after step 2
    const n = cardCount(checker.doc)
    checker.close()
    await checker.closed
    if (n >= cards) return
    await sleep(200)
  }
  throw new Error('the server never held all the cards')
}
