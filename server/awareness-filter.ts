import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { ProtocolError } from './protocol.ts'

/** Presence is a name, a colour, a cursor, a selection and a view: a few KB even with a big selection. */
export const MAX_AWARENESS_STATE_CHARS = 64 * 1024
/** A tab has one awareness client per document; a few more allow for reconnects. */
export const MAX_AWARENESS_CLIENTS_PER_CONNECTION = 8

/** One entry of a y-protocols awareness update, its state left as the JSON text it came in. */
export interface AwarenessEntry {
  clientId: number
  clock: number
  /** JSON; `'null'` removes the client's state. */
  state: string
}

export const isRemoval = (entry: AwarenessEntry): boolean => entry.state === 'null'

/**
 * Whether y-protocols would apply this entry: a newer clock, or a removal at the same clock of
 * a state that is there. Everything else is an echo or older than what we have.
 *
 * The stock y-websocket client sends every awareness update it receives straight back (it
 * broadcasts on every 'update' event, remote ones included). Those echoes carry clocks the
 * server already has and change nothing, but y-protocols would JSON-parse every state in them
 * first: in a board of 200 that is most of the presence traffic. Testing this first lets them
 * be dropped after reading only the client ids and clocks.
 */
export function changesAnything(awareness: Awareness, entry: AwarenessEntry): boolean {
  const known = awareness.meta.get(entry.clientId)?.clock ?? 0
  return known < entry.clock || (known === entry.clock && isRemoval(entry) && awareness.states.has(entry.clientId))
}

/**
 * The entries of an awareness update, states unparsed. Refuses (ProtocolError, so the room
 * closes the socket with 4400) what only a hostile client sends: a state over
 * MAX_AWARENESS_STATE_CHARS, trailing bytes, bytes that do not decode.
 */
export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update)
  const entries: AwarenessEntry[] = []
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

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, state)
  }
  return encoding.toUint8Array(encoder)
}
