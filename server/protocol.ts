import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { MESSAGE_SNURRA, readSnurraPayload } from '../core/messages.ts'
import { UPDATE_LIMITS } from './pipeline/limits.ts'
import { countStructs } from './pipeline/struct-count.ts'

/**
 * The y-websocket wire format, decoded strictly: every frame is exactly one message, and
 * anything that does not parse (bad varints, truncated payloads, trailing bytes, an update
 * Yjs cannot decode) is rejected here, before it reaches a room.
 */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_AUTH = 2
export const MESSAGE_QUERY_AWARENESS = 3

export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  /** `decoded` is null for an update over UPDATE_LIMITS.structs: refused without being decoded. */
  | { type: 'update'; update: Uint8Array; decoded: DecodedUpdate | null }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }
  | { type: 'auth' }
  | { type: 'snurra'; payload: Record<string, unknown> }

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data)
  let message: ClientMessage
  try {
    message = readMessage(decoder)
  } catch (err) {
    if (err instanceof ProtocolError) throw err
    throw new ProtocolError(`undecodable frame: ${(err as Error).message}`)
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after message')
  return message
}

function readMessage(decoder: decoding.Decoder): ClientMessage {
  const type = decoding.readVarUint(decoder)
  switch (type) {
    case MESSAGE_SYNC: {
      const step = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (step === SYNC_STEP1) {
        Y.decodeStateVector(payload)
        return { type: 'sync-step1', stateVector: payload }
      }
      if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
        // Counted before decoding: building a 1 MiB update's items is itself the cost to bound.
        if (overStructCap(payload)) return { type: 'update', update: payload, decoded: null }
        // Decoded once here; the write rules and the redundancy check reuse it.
        const decoded = Y.decodeUpdate(payload)
        checkCausality(decoded.structs)
        return { type: 'update', update: payload, decoded }
      }
      throw new ProtocolError(`unknown sync step ${step}`)
    }
    case MESSAGE_AWARENESS:
      return { type: 'awareness', update: decoding.readVarUint8Array(decoder) }
    case MESSAGE_QUERY_AWARENESS:
      return { type: 'query-awareness' }
    case MESSAGE_AUTH:
      // Clients have nothing to say in the auth channel; read and ignore it.
      decoding.readVarUint(decoder)
      if (decoding.hasContent(decoder)) decoding.readVarString(decoder)
      return { type: 'auth' }
    case MESSAGE_SNURRA:
      return { type: 'snurra', payload: readSnurraPayload(decoder) }
    default:
      throw new ProtocolError(`unknown message type ${type}`)
  }
}

function overStructCap(update: Uint8Array): boolean {
  try {
    return countStructs(update, UPDATE_LIMITS.structs, UPDATE_LIMITS.deleteRanges) === null
  } catch {
    return false // not an update: Y.decodeUpdate says why
  }
}

/**
 * An item can only refer to earlier items of its own client (Yjs numbers each client's
 * changes in order). An update that refers forward decodes fine but makes Yjs throw halfway
 * through applying it, after part of it is already in the document.
 */
function checkCausality(structs: Array<Y.Item | Y.GC | Y.AbstractStruct>): void {
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const { client, clock } = struct.id
    const parent = struct.parent instanceof Y.ID ? struct.parent : null
    for (const ref of [struct.origin, struct.rightOrigin, parent]) {
      if (ref && ref.client === client && ref.clock >= clock) throw new ProtocolError('update refers to a later change of its own client')
    }
  }
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_STEP1, Y.encodeStateVector(doc))
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_STEP2, Y.encodeStateAsUpdate(doc, stateVector))
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return frame(MESSAGE_SYNC, SYNC_UPDATE, update)
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function frame(type: number, step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, type)
  encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}
