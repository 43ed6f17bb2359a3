import { createHash } from 'node:crypto'

const DEVICE_KEY = /^[A-Za-z0-9_-]{22,128}$/

/**
 * A person's id on one board, from the random key their device keeps. Role tokens are shared
 * by everyone with the link; this is what tells one participant's votes and private drafts
 * from another's. Only a hash travels onwards, and it differs per board.
 */
export function personIdFor(boardId: string, deviceKey: string | null): string | null {
  if (!deviceKey || !DEVICE_KEY.test(deviceKey)) return null
  return createHash('sha256').update(`${boardId}:${deviceKey}`).digest('base64url').slice(0, 22)
}
