import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, WebSocket, type RawData } from 'ws'
import { CLOSE } from './close-codes.ts'
import type { Logger } from './log.ts'
import { privateRoomName, type Boards } from './boards.ts'
import { personIdFor } from './identity.ts'
import { clientAddress, connectionRateLimiter, ConnectionCounter, type RateLimits } from './limits.ts'
import { authorize, closeRefusal, isFinalRefusal, type Refusal } from './authorize.ts'
import { closeReason, countFrame, type Metrics } from './metrics.ts'
import { originAllowed, type OriginPolicy } from './origin.ts'
import type { Connection, Room } from './room.ts'
import type { Rooms } from './rooms.ts'
import type { Storage } from './storage/storage.ts'
import type { RefusalGuard } from './refusals.ts'

export interface WebSocketOptions {
  rooms: Rooms
  boards: Boards
  storage: Storage
  secret: Buffer
  log: Logger
  maxPayload: number
  /** A client whose unsent data passes this is disconnected, so one stalled reader cannot grow our memory. */
  maxBufferedBytes: number
  metrics: Metrics
  limits: RateLimits & { perBoard: number; perAddress: number; trustProxy: number }
  origins: OriginPolicy
  /** Per-address count of refused upgrades: a storm of them is answered 429 before the upgrade. */
  refusals: RefusalGuard
}

const MAX_EARLY_FRAMES = 1000
// /ws/<boardId> for the board, /ws/<boardId>/private for the sender's private drafts.
const WS_PATH = /^\/ws\/([^/?#]*)(\/private)?$/

/**
 * Upgrades `/ws/<boardId>?token=…` and wires each socket to its board's room. A bad token or
 * an unknown board is answered after the upgrade with a close code (4401 / 4404), which the
 * y-websocket client treats as final instead of retrying forever.
 */
export function createWebSocketHandler(opts: WebSocketOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload, perMessageDeflate: false })
  let nextId = 1
  const perBoard = new ConnectionCounter(opts.limits.perBoard)
  const perAddress = new ConnectionCounter(opts.limits.perAddress)
  const limitHit = (limit: string) => opts.metrics.limitHits.inc({ limit })

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => opts.log.debug('upgrade socket error', { error: err.message }))
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://localhost')
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const match = WS_PATH.exec(url.pathname)
    if (!match) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const target = { boardId: safeDecode(match[1]), private: match[2] !== undefined }
    const params = { token: url.searchParams.get('token'), person: url.searchParams.get('person') }
    if (!originAllowed(req, opts.origins)) {
      opts.metrics.upgradesRefused.inc({ reason: 'origin' })
      opts.log.info('upgrade refused: origin not allowed', { origin: String(req.headers.origin).slice(0, 200) })
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    const address = clientAddress(req, opts.limits.trustProxy)
    const wait = opts.refusals.retryAfter(address)
    if (wait > 0) {
      opts.refusals.throttled(address)
      opts.metrics.upgradesRefused.inc({ reason: 'refusals' })
      socket.end(`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${wait}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => void connect(ws, target, params, address))
  }

  async function connect(
    ws: WebSocket,
    target: { boardId: string; private: boolean },
    params: { token: string | null; person: string | null },
    address: string,
  ): Promise<void> {
    const { boardId } = target
    const id = nextId++
    // Unhandled, ws's 'error' (oversized or invalid frame) would take the whole process down.
    ws.on('error', (err) => opts.log.warn('socket error', { conn: id, board: boardId, error: err.message }))
    countCloses(ws, opts.metrics)
    if (!perAddress.tryAcquire(address)) {
      limitHit('address')
      ws.close(CLOSE.addressFull, 'too many connections from this address')
      return
    }
    ws.once('close', () => perAddress.release(address))

    // Frames that arrive while we check the token and load the board wait here, in order.
    const early: RawData[] = []
    let onMessage = (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return
      if (!isBinary) return ws.close(CLOSE.malformed, 'binary frames only')
      if (early.push(data) > MAX_EARLY_FRAMES) {
        limitHit('early_frames')
        ws.close(CLOSE.tryAgainLater, 'too many frames before sync')
      }
    }
    const overLimit = connectionRateLimiter(opts.limits)
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== WebSocket.OPEN) return
      const bytes = toBytes(data)
      countFrame(opts.metrics, bytes)
      const hit = overLimit(bytes.length)
      if (hit) {
        limitHit(hit)
        opts.log.warn('rate limit, disconnecting', { conn: id, board: boardId, limit: hit })
        return ws.close(CLOSE.rateLimited, `over the ${hit} per second limit`)
      }
      onMessage(data, isBinary)
    })

    const refuse = (refusal: Refusal, error?: Error) => {
      if (error) opts.log.error('authorization undecided: storage failed', { conn: id, board: boardId, error: error.message })
      if (isFinalRefusal(refusal)) opts.refusals.refused(address, refusal)
      const { code, reason } = closeRefusal(refusal)
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason)
    }
    const verdict = await authorize(opts.storage, opts.secret, boardId, params.token)
    if (!verdict.ok) return refuse(verdict.refusal, verdict.error)
    // The client may have gone while we asked storage: then no 'close' would release a count.
    if (ws.readyState !== WebSocket.OPEN) return
    const personId = personIdFor(boardId, params.person)
    if (target.private && (!personId || verdict.claims.role === 'viewer')) {
      opts.refusals.refused(address, 'private')
      ws.close(CLOSE.unauthorized, 'private drafts need a participant with a device key')
      return
    }
    // Counted before the board is loaded: a full board costs a refused socket nothing more.
    if (!perBoard.tryAcquire(boardId)) {
      limitHit('board')
      ws.close(CLOSE.boardFull, 'board full')
      return
    }
    ws.once('close', () => perBoard.release(boardId))
    const conn: Connection = {
      id,
      role: verdict.claims.role,
      personId,
      send(data) {
        if (ws.readyState !== WebSocket.OPEN) return
        if (ws.bufferedAmount > opts.maxBufferedBytes) {
          opts.log.warn('client too slow, disconnecting', { conn: id, board: boardId, buffered: ws.bufferedAmount })
          limitHit('send_buffer')
          ws.close(CLOSE.tryAgainLater, 'too far behind')
          // The close frame waits behind the data it is not reading: free that data in a second
          // rather than when ws stops waiting for the closing handshake (30 s).
          setTimeout(() => ws.terminate(), 1000).unref()
          return
        }
        ws.send(data)
      },
      close(code, reason) {
        if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason)
      },
      presenceRefused: (count) => opts.metrics.presenceRefused.inc(count),
    }

    let room: Room
    try {
      room = target.private ? await opts.boards.openPrivate(boardId, personId!) : await opts.boards.openBoard(boardId)
    } catch (err) {
      opts.log.error('board unavailable', { conn: id, board: boardId, error: (err as Error).message })
      conn.close(CLOSE.serverError, 'board unavailable')
      return
    }
    if (ws.readyState !== WebSocket.OPEN) {
      opts.rooms.release(target.private ? privateRoomName(boardId, personId!) : boardId, room)
      return
    }
    const joined = room
    joined.join(conn)
    ws.on('close', () => joined.leave(conn))
    // Links replaced (or the board deleted) while this socket was being set up: those closed
    // only the connections already in the room, so ask again now that this one is in. Frames
    // keep waiting in `early` meanwhile, so nothing it sent is applied before this check; and
    // if storage cannot answer, the socket goes.
    const again = await authorize(opts.storage, opts.secret, boardId, params.token)
    if (!again.ok) return refuse(again.refusal, again.error)
    // ws still emits frames that arrived before a close we started: they must not count.
    onMessage = (data, isBinary) => {
      if (ws.readyState !== WebSocket.OPEN) return
      if (!isBinary) return conn.close(CLOSE.malformed, 'binary frames only')
      joined.receive(conn, toBytes(data))
    }
    for (const data of early.splice(0)) {
      if (ws.readyState !== WebSocket.OPEN) break
      joined.receive(conn, toBytes(data))
    }
    opts.log.debug('connected', { conn: id, board: boardId, role: conn.role })
  }

  return { handleUpgrade, wss }
}

/**
 * Counts the socket's close in /metrics: the server's code when the server closes it, counted
 * as it is sent (ws.close, also called by ws itself for 1009) — a client that stopped reading
 * never answers a close frame, and its 'close' event would come half a minute later saying
 * 1006 — or else the client's code, when the socket is gone.
 */
function countCloses(ws: WebSocket, metrics: Metrics): void {
  let byServer = false
  const count = (code: number, initiator: 'server' | 'client') => metrics.closes.inc({ code: String(code), reason: closeReason(code), initiator })
  const close = ws.close.bind(ws)
  ws.close = (code?: number, reason?: string | Buffer) => {
    // ws echoes a client's close frame through close() too: that one is the client's.
    const echo = (ws as unknown as { _closeFrameReceived?: boolean })._closeFrameReceived === true
    if (!byServer && !echo && ws.readyState === WebSocket.OPEN) {
      byServer = true
      count(code ?? 1005, 'server')
    }
    close(code, reason)
  }
  ws.once('close', (code) => {
    if (!byServer) count(code, 'client')
  })
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return ''
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
