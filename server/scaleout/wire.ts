import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * Messages between instances on a room's Redis channel. Binary (lib0): a kind, the sending
 * instance, then the payload. Updates carry their sequence number, so a receiver notices a
 * lost message as a gap.
 */
export type FanoutMessage =
  /** A document update, already durably stored as `seq` (0 for rooms without a numbered log). */
  | { kind: 'update'; from: string; seq: number; update: Uint8Array }
  /** A y-protocols awareness update of the sender's own clients. */
  | { kind: 'awareness'; from: string; update: Uint8Array }
  /**
   * "I am (back) in this room, holding every update up to `seq`": others answer with their
   * clients' awareness, and one that holds less catches up from storage.
   */
  | { kind: 'hello'; from: string; seq: number }
  /** The board was erased: close its sockets (4410) and drop it from memory. */
  | { kind: 'erased'; from: string }
  /** A person's ballot changed (it lives in storage, not in the document). */
  | { kind: 'ballot'; from: string; personId: string }

const KINDS = ['update', 'awareness', 'hello', 'erased', 'ballot'] as const

export function encodeFanout(message: FanoutMessage): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, KINDS.indexOf(message.kind))
  encoding.writeVarString(e, message.from)
  if (message.kind === 'update') {
    encoding.writeVarUint(e, message.seq)
    encoding.writeVarUint8Array(e, message.update)
  } else if (message.kind === 'awareness') {
    encoding.writeVarUint8Array(e, message.update)
  } else if (message.kind === 'hello') {
    encoding.writeVarUint(e, message.seq)
  } else if (message.kind === 'ballot') {
    encoding.writeVarString(e, message.personId)
  }
  return encoding.toUint8Array(e)
}

/** Decodes a message; throws on anything malformed (another program on the channel). */
export function decodeFanout(bytes: Uint8Array): FanoutMessage {
  const d = decoding.createDecoder(bytes)
  const kind = KINDS[decoding.readVarUint(d)]
  const from = decoding.readVarString(d)
  switch (kind) {
    case 'update':
      return { kind, from, seq: decoding.readVarUint(d), update: decoding.readVarUint8Array(d) }
    case 'awareness':
      return { kind, from, update: decoding.readVarUint8Array(d) }
    case 'hello':
      return { kind, from, seq: decoding.readVarUint(d) }
    case 'erased':
      return { kind, from }
    case 'ballot':
      return { kind, from, personId: decoding.readVarString(d) }
    default:
      throw new Error('unknown fan-out message kind')
  }
}
