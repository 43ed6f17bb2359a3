import type { IncomingMessage } from 'node:http'
import type { Role } from '../../core/roles.ts'
import type { Boards } from '../boards.ts'
import type { Logger } from '../log.ts'
import type { Rooms } from '../rooms.ts'
import type { Storage } from '../storage/storage.ts'
import type { TokenClaims } from '../tokens.ts'
import { HttpError } from '../http-util.ts'
import type { QuotaGuard } from '../quotas.ts'

/** What the board API routes share: storage, the loaded rooms, and token checks. */
export interface ApiContext {
  storage: Storage
  rooms: Rooms
  boards: Boards
  log: Logger
  /** The claims of a valid, current token for an existing board; throws 401/404 otherwise. */
  authorize(boardId: string, token: string | null): Promise<{ claims: TokenClaims; title: string }>
  /** Fresh links (generation 0) for a board just created. */
  newLinks(req: IncomingMessage, boardId: string): Record<Role, string>
  /** Throws 401 without CREATE_KEY, 429 past the per-address rate: before anything makes a board. */
  gateCreation(req: IncomingMessage): void
  quotas: QuotaGuard
}

export async function authorizeFacilitator(ctx: ApiContext, boardId: string, token: string | null, what: string): Promise<{ claims: TokenClaims; title: string }> {
  const access = await ctx.authorize(boardId, token)
  if (access.claims.role !== 'facilitator') throw new HttpError(403, `only the facilitator can ${what}`)
  return access
}

/**
 * Sends a file for download: `filename*` keeps the name's every letter (RFC 5987, UTF-8), and
 * `filename` gives the ASCII fallback for clients that do not read `filename*`.
 */
export function attachment(res: import('node:http').ServerResponse, body: string | Buffer, type: string, fileName: string, asciiFallback = fileName): void {
  const ascii = asciiFallback.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '')
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(fileName)}`,
    'Cache-Control': 'no-store',
  })
  res.end(body)
}

/** encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow. */
const encodeRfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
