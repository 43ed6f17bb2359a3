import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Ballot } from './facilitation.ts'
import type { IntentError } from './intents.ts'

/**
 * Snurra's own messages, on the same WebSocket as y-websocket's sync and awareness: message
 * type 100, then one JSON text. A stock y-websocket client ignores them (it logs and carries on).
 */
export const MESSAGE_SNURRA = 100

export type ClientSnurraMessage = { t: 'intent'; id: number; intent: unknown }

export type ServerSnurraMessage =
  /** Sent after a connection's first sync: the server's clock and the sender's identity. */
  | { t: 'hello'; now: number; personId: string | null; ballot: Ballot; round: number }
  | { t: 'result'; id: number; ok: true }
  | { t: 'result'; id: number; ok: false; error: IntentError | 'malformed' }
  /** The person's ballot changed (on any of their connections). */
  | { t: 'ballot'; round: number; ballot: Ballot }
  /**
   * An update from this client was refused and changed nothing anywhere. The client's copy has
   * diverged: it takes the server's state and re-applies its own changed records on top, except
   * `records` (the ids the refusal is about; absent when the whole update is refused).
   */
  | { t: 'rejected'; reason: RejectReason; records?: string[] }
  /** To the facilitator on joining: stored records that failed validation and are kept out of the board. */
  | { t: 'quarantined'; count: number }
  /** On joining a board whose stored data failed its integrity check: it is read-only until restored. */
  | { t: 'damaged' }

/**
 * Why the server refused an update:
 * - `read-only`: a viewer wrote; `locked`: a participant wrote while the board is locked;
 * - `facilitator-only` / `server-only`: the update writes what only the facilitator / the server may;
 * - `unknown-target`: it builds on changes the server does not have (e.g. an earlier refused one);
 * - `invalid`: a record, a meta value or an action path fails the board's schema or invariants;
 * - `too-large`: over a per-update cap (items, nesting, delete ranges); `drafts-full`: private drafts at their limit;
 * - `board-full`: the board at MAX_BOARD_BYTES; `damaged`: the board's stored data failed its check, it is read-only.
 */
export type RejectReason = 'locked' | 'read-only' | 'facilitator-only' | 'server-only' | 'unknown-target' | 'invalid' | 'too-large' | 'drafts-full' | 'board-full' | 'damaged'

/** At most this many record ids are named in one refusal. */
export const MAX_REJECTED_IDS = 200

export const MAX_SNURRA_MESSAGE = 64 * 1024

export function encodeSnurraMessage(message: ClientSnurraMessage | ServerSnurraMessage): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SNURRA)
  encoding.writeVarString(encoder, JSON.stringify(message))
  return encoding.toUint8Array(encoder)
}

/** Reads the JSON after the message type; throws on anything that is not a JSON object. */
export function readSnurraPayload(decoder: decoding.Decoder): Record<string, unknown> {
  const text = decoding.readVarString(decoder)
  if (text.length > MAX_SNURRA_MESSAGE) throw new Error('message too long')
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('message must be a JSON object')
  return value as Record<string, unknown>
}
