/**
 * Clients for the integration tests: the stock y-websocket provider (as a user's script would
 * use it) and a raw `ws` client for hand-made frames and close codes.
 */
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import WS, { WebSocket as RawWebSocket } from 'ws'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import { sleep } from './server.ts'

export interface Client {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Close codes of every connection the server closed (in order). */
  closeCodes: number[]
  destroy(): void
}

const live = new Set<Client>()

/**
 * A stock WebsocketProvider for `boardId`. BroadcastChannel is disabled: otherwise providers
 * in one process sync through it and tests would pass without the server.
 */
export function connectClient(wsUrl: string, boardId: string, token: string, options: { doc?: Y.Doc; connect?: boolean } = {}): Client {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(`${wsUrl}/ws`, boardId, doc, {
    params: { token },
    WebSocketPolyfill: WS as unknown as typeof WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 500,
  })
  const closeCodes: number[] = []
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code)
  })
  const client: Client = {
    doc,
    provider,
    closeCodes,
    destroy() {
      if (!live.has(client)) return
      live.delete(client)
      provider.destroy()
      doc.destroy()
    },
  }
  live.add(client)
  return client
}

/** Destroys every client still open (afterEach). */
export function destroyAllClients(): void {
  for (const client of [...live]) client.destroy()
  for (const raw of [...liveRaw]) raw.terminate()
}

export function waitSynced(client: Client, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.provider.off('sync', onSynced)
      reject(new Error(`client not synced within ${timeoutMs} ms (close codes: ${client.closeCodes.join(', ') || 'none'})`))
    }, timeoutMs)
    const onSynced = (synced: boolean) => {
      if (!synced) return
      clearTimeout(timer)
      client.provider.off('sync', onSynced)
      resolve()
    }
    client.provider.on('sync', onSynced)
  })
}

export async function connectSynced(wsUrl: string, boardId: string, token: string): Promise<Client> {
  const client = connectClient(wsUrl, boardId, token)
  await waitSynced(client)
  return client
}

/** Polls `predicate` until it holds; fails with `message` (and the last error) after the timeout. */
export async function waitFor(predicate: () => boolean, message = 'condition', timeoutMs = 10_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      if (predicate()) return
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${lastError ? `: ${(lastError as Error).message}` : ''}`)
    }
    await sleep(intervalMs)
  }
}

// ---------------------------------------------------------------------------------------------
// Raw frames (y-websocket wire format, lib0 encoding)

export const MSG_SYNC = 0
export const MSG_AWARENESS = 1
export const MSG_AUTH = 2
export const MSG_QUERY_AWARENESS = 3
export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2

export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_SYNC)
  encoding.writeVarUint(encoder, step)
  encoding.writeVarUint8Array(encoder, payload)
  return encoding.toUint8Array(encoder)
}

export const step1Frame = (doc: Y.Doc) => syncFrame(SYNC_STEP1, Y.encodeStateVector(doc))
export const updateFrame = (update: Uint8Array) => syncFrame(SYNC_UPDATE, update)

export function awarenessFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MSG_AWARENESS)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** An awareness update for one (made-up) client id with `state` (null = gone). */
export function awarenessUpdateFor(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, clientId)
  encoding.writeVarUint(encoder, clock)
  encoding.writeVarString(encoder, JSON.stringify(state))
  return encoding.toUint8Array(encoder)
}

export type DecodedFrame =
  | { kind: 'sync'; step: number; payload: Uint8Array }
  | { kind: 'awareness'; payload: Uint8Array }
  | { kind: 'other'; type: number; bytes: Uint8Array }

export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const decoder = decoding.createDecoder(bytes)
  const type = decoding.readVarUint(decoder)
  if (type === MSG_SYNC) return { kind: 'sync', step: decoding.readVarUint(decoder), payload: decoding.readVarUint8Array(decoder) }
  if (type === MSG_AWARENESS) return { kind: 'awareness', payload: decoding.readVarUint8Array(decoder) }
  return { kind: 'other', type, bytes }
}

export interface RawClient {
  ws: RawWebSocket
  /** Every binary frame received, decoded. */
  frames: DecodedFrame[]
  /** Resolves on open; rejects if the upgrade fails (with the HTTP status in the message). */
  opened: Promise<void>
  /** Resolves with the close code and reason (also when the upgrade was refused: code -1). */
  closed: Promise<{ code: number; reason: string }>
  /** HTTP status if the upgrade was refused. */
  httpStatus(): number | undefined
  send(data: Uint8Array | string): void
  waitForFrame(pred: (f: DecodedFrame) => boolean, message?: string, timeoutMs?: number): Promise<DecodedFrame>
  isOpen(): boolean
  close(): void
  terminate(): void
}

const liveRaw = new Set<RawClient>()

export function rawConnect(
  wsUrl: string,
  boardId: string,
  token: string | null,
  opts: { onOpen?: (ws: RawWebSocket) => void; headers?: Record<string, string> } = {},
): RawClient {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  const ws = new RawWebSocket(`${wsUrl}/ws/${boardId}${query}`, { headers: opts.headers })
  ws.binaryType = 'nodebuffer'
  const frames: DecodedFrame[] = []
  let status: number | undefined
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return
    const buf = data as Buffer
    try {
      frames.push(decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)))
    } catch {
      frames.push({ kind: 'other', type: -1, bytes: new Uint8Array(buf) })
    }
  })
  ws.on('error', (err) => {
    // A refused upgrade: "Unexpected server response: 401". Everything else surfaces through `closed`.
    const m = /Unexpected server response: (\d+)/.exec(err.message)
    if (m) status = Number(m[1])
  })
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => {
      opts.onOpen?.(ws)
      resolve()
    })
    ws.once('close', () => reject(new Error(`socket closed before open (HTTP ${status ?? '?'})`)))
  })
  opened.catch(() => {})
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => {
      liveRaw.delete(client)
      resolve({ code: status !== undefined && code === 1006 ? -1 : code, reason: reason.toString() })
    })
  })
  const client: RawClient = {
    ws,
    frames,
    opened,
    closed,
    httpStatus: () => status,
    send(data) {
      ws.send(data, { binary: typeof data !== 'string' })
    },
    async waitForFrame(pred, message = 'frame', timeoutMs = 10_000) {
      let found: DecodedFrame | undefined
      await waitFor(() => (found = frames.find(pred)) !== undefined, message, timeoutMs)
      return found!
    },
    isOpen: () => ws.readyState === RawWebSocket.OPEN,
    close: () => ws.close(),
    terminate: () => ws.terminate(),
  }
  liveRaw.add(client)
  return client
}

/** Resolves with the close code, failing if the socket stays open past the timeout. */
export async function closeCode(raw: RawClient, timeoutMs = 10_000): Promise<number> {
  let timer: NodeJS.Timeout
  const result = await Promise.race([
    raw.closed,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs)
    }),
  ]).finally(() => clearTimeout(timer))
  return result.code
}

export { awarenessProtocol }
