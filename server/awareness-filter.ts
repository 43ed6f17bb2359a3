import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { ProtocolError } from './protocol.ts'

/** Presence is a name, a colour, a cursor, a selection and a view: a few KB even with a big selection. */
export const MAX_AWARENESS_STATE_CHARS = 64 * 1024
/** A tab has one awareness client per document; a few more allow for reconnects. */
export const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 8

interface Entry {
  clientId: number
  clock: number
  state: string
}

/**
 * The part of a client's awareness update that would change anything, or null if nothing would.
 *
 * The stock y-websocket client sends every awareness update it receives straight back (it
 * broadcasts on every 'update' event, remote ones included). Those echoes carry clocks the
 * server already has and change nothing, but y-protocols would JSON-parse every state in them
 * first: in a board of 200 that is most of the presence traffic. They are dropped here after
 * reading only the client ids and clocks.
 *
 * Also refuses (ProtocolError, so the room closes the socket with 4400) what only a hostile
 * client sends: a state over MAX_AWARENESS_STATE_CHARS, more than
 * MAX_AWARENESS_CLIENTS_PER_CONNECTION new client ids on one connection, trailing bytes. And it
 * drops removals of client ids the server never saw, which y-protocols would remember forever.
 */
export function freshAwareness(awareness: Awareness, update: Uint8Array, owned: ReadonlySet<number>): Uint8Array | null {
  const entries = readEntries(update)
  const fresh: Entry[] = []
  let claims = 0
  for (const entry of entries) {
    const meta = awareness.meta.get(entry.clientId)
    const removal = entry.state === 'null'
    if (!meta) {
      if (removal) continue
    } else if (!(meta.clock < entry.clock || (meta.clock === entry.clock && removal && awareness.states.has(entry.clientId)))) {
      continue // an echo, or older than what we have
    }
    if (!removal && !owned.has(entry.clientId) && !awareness.states.has(entry.clientId)) claims++
    fresh.push(entry)
  }
  if (owned.size + claims > MAX_AWARENESS_CLIENTS_PER_CONNECTION) {
    throw new ProtocolError(`more than ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} awareness clients on one connection`)
  }
  if (fresh.length === entries.length) return update
  if (fresh.length === 0) return null
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, fresh.length)
  for (const { clientId, clock, state } of fresh) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, state)
  }
  return encoding.toUint8Array(encoder)
}

function readEntries(update: Uint8Array): Entry[] {
  const decoder = decoding.createDecoder(update)
  const entries: Entry[] = []
  try {
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state = decoding.readVarString(decoder)
      if (state.length > MAX_AWARENESS_STATE_CHARS) throw new ProtocolError(`awareness state over ${MAX_AWARENESS_STATE_CHARS} characters`)
      entries.push({ clientId, clock, state })
    }
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    throw new ProtocolError(`undecodable awareness update: ${(err as Error).message}`)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after awareness update')
  return entries
}
