import { isBoardId } from '../core/ids.ts'
import { CLOSE } from './close-codes.ts'
import { currentGenerations, isCurrent } from './links.ts'
import type { BoardInfo, Storage } from './storage/storage.ts'
import { verifyToken, type TokenClaims } from './tokens.ts'

/**
 * The one place that decides whether a link opens a board, for the HTTP API and the WebSocket
 * alike: a valid signature for this board, an existing (not deleted) board, and the link's
 * current generation. It fails closed: when storage cannot answer, the verdict is a refusal
 * ("unavailable"), never a pass — a replaced or deleted board's link must not slip in while the
 * database hiccups.
 */
export type Refusal =
  /** Not a board id at all, or no board of that id. */
  | 'not-found'
  /** Missing, malformed, forged, expired, or for another board. */
  | 'unauthorized'
  /** A link the facilitator has replaced. */
  | 'replaced'
  /** The board was deleted. */
  | 'gone'
  /** Storage did not answer: cannot decide, so no. */
  | 'unavailable'

export type Verdict = { ok: true; claims: TokenClaims; board: BoardInfo } | { ok: false; refusal: Refusal; error?: Error }

export async function authorize(storage: Storage, secret: Buffer, boardId: string, token: unknown): Promise<Verdict> {
  if (!isBoardId(boardId)) return { ok: false, refusal: 'not-found' }
  const check = verifyToken(secret, token, boardId)
  if (!check.ok) return { ok: false, refusal: 'unauthorized' }
  try {
    const board = await storage.getBoard(boardId)
    if (!board) return { ok: false, refusal: (await storage.wasDeleted(boardId)) ? 'gone' : 'not-found' }
    if (!isCurrent(check.claims, await currentGenerations(storage, boardId))) return { ok: false, refusal: 'replaced' }
    return { ok: true, claims: check.claims, board }
  } catch (err) {
    return { ok: false, refusal: 'unavailable', error: err as Error }
  }
}

const HTTP: Record<Refusal, { status: number; message: string }> = {
  'not-found': { status: 404, message: 'no such board' },
  unauthorized: { status: 401, message: 'invalid or expired link' },
  replaced: { status: 401, message: 'this link has been replaced' },
  gone: { status: 410, message: 'this board was deleted' },
  unavailable: { status: 503, message: 'storage unavailable; try again' },
}

/** The HTTP status and message of a refusal. */
export const httpRefusal = (refusal: Refusal) => HTTP[refusal]

const CLOSES: Record<Refusal, { code: number; reason: string }> = {
  'not-found': { code: CLOSE.notFound, reason: 'no such board' },
  unauthorized: { code: CLOSE.unauthorized, reason: 'unauthorized' },
  replaced: { code: CLOSE.unauthorized, reason: 'link replaced' },
  gone: { code: CLOSE.gone, reason: 'board deleted' },
  // Not a 44xx: the client should come back once storage answers again.
  unavailable: { code: CLOSE.serverError, reason: 'board unavailable' },
}

/** The WebSocket close code and reason of a refusal. */
export const closeRefusal = (refusal: Refusal) => CLOSES[refusal]

/** Refusals that say the link itself is wrong (not a passing fault): these count towards a refusal storm. */
export const isFinalRefusal = (refusal: Refusal) => refusal !== 'unavailable'
