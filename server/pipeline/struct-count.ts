import * as decoding from 'lib0/decoding'

/**
 * Counts the structs of a Yjs update (format v1) without building them, and stops as soon as
 * the count passes `max` (or its delete set's ranges pass `maxDeleteRanges`): decoding a 1 MiB update into Yjs items costs hundreds of milliseconds
 * (one object per item), so an update over the cap must be refused before `Y.decodeUpdate`
 * runs. Returns the count, or null when it passes `max`. Throws on bytes that are not an update;
 * `Y.decodeUpdate` then reports those properly.
 *
 * Mirrors yjs's readClientsStructRefs and readItemContent (UpdateDecoderV1): per client a
 * struct count, the client and the first clock, then each struct — an info byte, then a GC or
 * Skip length, or an item's origins, parent, key and content.
 */
export function countStructs(update: Uint8Array, max: number, maxDeleteRanges = Infinity): number | null {
  const d = decoding.createDecoder(update)
  const clients = decoding.readVarUint(d)
  let total = 0
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(d)
    total += structs
    if (total > max) return null
    decoding.readVarUint(d) // client
    decoding.readVarUint(d) // first clock
    for (let i = 0; i < structs; i++) skipStruct(d)
  }
  // The delete set: per client, its ranges (clock, length). Decoding makes an object of each.
  let ranges = 0
  for (let c = decoding.readVarUint(d); c > 0; c--) {
    decoding.readVarUint(d) // client
    const n = decoding.readVarUint(d)
    ranges += n
    if (ranges > maxDeleteRanges) return null
    for (let i = 0; i < n; i++) {
      decoding.readVarUint(d)
      decoding.readVarUint(d)
    }
  }
  return total
}

const BIT6 = 32
const BIT7 = 64
const BIT8 = 128
const BITS5 = 31

function skipStruct(d: decoding.Decoder): void {
  const info = decoding.readUint8(d)
  const kind = info & BITS5
  if (kind === 0 || kind === 10) {
    decoding.readVarUint(d) // GC or Skip length
    return
  }
  if (info & BIT8) skipId(d) // origin
  if (info & BIT7) skipId(d) // right origin
  if ((info & (BIT7 | BIT8)) === 0) {
    if (decoding.readVarUint(d) === 1) decoding.readVarString(d) // parent: a root's name…
    else skipId(d) // …or the item holding the parent type
    if (info & BIT6) decoding.readVarString(d) // parentSub
  }
  switch (kind) {
    case 1: // deleted
      decoding.readVarUint(d)
      return
    case 2: // JSON
      for (let n = decoding.readVarUint(d); n > 0; n--) decoding.readVarString(d)
      return
    case 3: // binary
      decoding.readVarUint8Array(d)
      return
    case 4: // string
    case 5: // embed
      decoding.readVarString(d)
      return
    case 6: // format
      decoding.readVarString(d)
      decoding.readVarString(d)
      return
    case 7: {
      // type: XmlElement (3) and XmlHook (5) carry a name
      const ref = decoding.readVarUint(d)
      if (ref === 3 || ref === 5) decoding.readVarString(d)
      return
    }
    case 8: // any
      for (let n = decoding.readVarUint(d); n > 0; n--) decoding.readAny(d)
      return
    case 9: // subdocument
      decoding.readVarString(d)
      decoding.readAny(d)
      return
    default:
      throw new Error(`unknown content kind ${kind}`)
  }
}

function skipId(d: decoding.Decoder): void {
  decoding.readVarUint(d)
  decoding.readVarUint(d)
}
