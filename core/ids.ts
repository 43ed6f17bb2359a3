// Board ids appear in URLs and storage keys: lower-case base32, fixed length, so that a
// malformed id can be rejected with one regex before anything touches storage.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const BOARD_ID_LENGTH = 16
const BOARD_ID = /^[a-z2-7]{16}$/

export function newBoardId(): string {
  const bytes = new Uint8Array(BOARD_ID_LENGTH)
  globalThis.crypto.getRandomValues(bytes)
  let id = ''
  for (const b of bytes) id += ALPHABET[b & 31]
  return id
}

export function isBoardId(value: unknown): value is string {
  return typeof value === 'string' && BOARD_ID.test(value)
}

/** Short random id for things inside a board (paths, cards). */
export function newLocalId(length = 10): string {
  const bytes = new Uint8Array(length)
  globalThis.crypto.getRandomValues(bytes)
  let id = ''
  for (const b of bytes) id += ALPHABET[b & 31]
  return id
}
