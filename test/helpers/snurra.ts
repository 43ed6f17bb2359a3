/**
 * A raw protocol client that speaks y-websocket's sync frames and Snurra's own message type 100
 * (intents, results, ballots, rejections), as a modified client could: it holds a role token
 * and, optionally, a device key (`person`), keeps its own Yjs doc, sends its local changes as
 * they are made, and records every byte the server sends it, so tests can search what a client
 * has *received*, not only what its document shows.
 */
import { randomBytes } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket as RawWebSocket } from 'ws'
import * as Y from 'yjs'
import { FACILITATION_KEY, readFacilitation, type FacilitationState } from '../../core/facilitation.ts'
import { MESSAGE_SNURRA, type ServerSnurraMessage } from '../../core/messages.ts'
import { decodeFrame, step1Frame, syncFrame, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE, updateFrame, waitFor, type DecodedFrame } from './clients.ts'
import { querySqlite } from './server.ts'

/** A fresh random device key (what Snurra's client keeps in localStorage). */
export function deviceKey(): string {
  return randomBytes(24).toString('base64url') // 32 characters
}

/** Encodes `{t:'intent', id, intent}` — or any payload — as message type 100. */
export function snurraFrame(payload: unknown): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SNURRA)
  encoding.writeVarString(encoder, typeof payload === 'string' ? payload : JSON.stringify(payload))
  return encoding.toUint8Array(encoder)
}

/** Reads a type-100 frame's JSON, or null for any other frame. */
export function parseSnurraFrame(bytes: Uint8Array): ServerSnurraMessage | null {
  const decoder = decoding.createDecoder(bytes)
  if (decoding.readVarUint(decoder) !== MESSAGE_SNURRA) return null
  return JSON.parse(decoding.readVarString(decoder)) as ServerSnurraMessage
}

/** An update with no structs that deletes `len` clocks of `client` from `clock` on (Yjs update v1). */
export function deleteOnlyUpdate(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 0) // no struct groups
  encoding.writeVarUint(e, 1) // one client in the delete set
  encoding.writeVarUint(e, client)
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint(e, clock)
  encoding.writeVarUint(e, len)
  return encoding.toUint8Array(e)
}

export type Result = Extract<ServerSnurraMessage, { t: 'result' }>
export type Hello = Extract<ServerSnurraMessage, { t: 'hello' }>

export interface SnurraClientOptions {
  /** Device key sent as `?person=`; omitted when null/undefined. */
  person?: string | null
  /** Connect to `/ws/<boardId>/private` (the person's private drafts) instead of the board. */
  private?: boolean
}

const REMOTE = Symbol('remote')
const live = new Set<SnurraClient>()

export class SnurraClient {
  readonly doc = new Y.Doc()
  readonly ws: RawWebSocket
  /** Every binary frame received, as received. */
  readonly raw: Uint8Array[] = []
  readonly frames: DecodedFrame[] = []
  /** Every type-100 message received, in order. */
  readonly messages: ServerSnurraMessage[] = []
  readonly opened: Promise<void>
  readonly closed: Promise<{ code: number; reason: string }>
  /** Resolves when the server answered our first sync step 1. */
  readonly synced: Promise<void>
  /** Local time at which each hello arrived (parallel to the hellos in `messages`). */
  readonly helloAt: number[] = []
  private nextId = 1
  private step2s = 0
  private httpStatus: number | undefined

  constructor(wsUrl: string, readonly boardId: string, readonly token: string | null, readonly options: SnurraClientOptions = {}) {
    const query = new URLSearchParams()
    if (token !== null) query.set('token', token)
    if (options.person) query.set('person', options.person)
    this.ws = new RawWebSocket(`${wsUrl}/ws/${boardId}${options.private ? '/private' : ''}?${query}`)
    this.ws.binaryType = 'nodebuffer'
    let markSynced!: () => void
    this.synced = new Promise((resolve) => (markSynced = resolve))
    this.ws.on('message', (data, isBinary) => {
      if (!isBinary) return
      const buf = data as Buffer
      const bytes = new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
      this.raw.push(bytes)
      const frame = decodeFrame(bytes)
      this.frames.push(frame)
      if (frame.kind === 'sync') {
        if (frame.step === SYNC_STEP1) {
          // Answer as y-websocket does: whatever we have that the server lacks.
          this.send(syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, frame.payload)))
        } else {
          Y.applyUpdate(this.doc, frame.payload, REMOTE)
          if (frame.step === SYNC_STEP2) {
            this.step2s++
            markSynced()
          }
        }
      } else if (frame.kind === 'other' && frame.type === MESSAGE_SNURRA) {
        const message = parseSnurraFrame(bytes)!
        if (message.t === 'hello') this.helloAt.push(Date.now())
        this.messages.push(message)
      }
    })
    this.ws.on('error', (err) => {
      const m = /Unexpected server response: (\d+)/.exec(err.message)
      if (m) this.httpStatus = Number(m[1])
    })
    this.opened = new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => {
        this.send(step1Frame(this.doc))
        resolve()
      })
      this.ws.once('close', () => reject(new Error(`socket closed before open (HTTP ${this.httpStatus ?? '?'})`)))
    })
    this.opened.catch(() => {})
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        live.delete(this)
        resolve({ code: this.httpStatus !== undefined && code === 1006 ? -1 : code, reason: reason.toString() })
      })
    })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(updateFrame(update))
    })
    live.add(this)
  }

  isOpen(): boolean {
    return this.ws.readyState === RawWebSocket.OPEN
  }

  send(data: Uint8Array | string): void {
    if (this.isOpen()) this.ws.send(data, { binary: typeof data !== 'string' })
  }

  /** Makes a local change (sent to the server as a sync update, as a stock client would). */
  change(fn: (doc: Y.Doc) => void): void {
    this.doc.transact(() => fn(this.doc))
  }

  /** Sends a hand-made update without applying it locally. */
  sendUpdate(update: Uint8Array): void {
    this.send(updateFrame(update))
  }

  /**
   * Resolves once the server has handled everything this client sent before: the server answers
   * a sync step 1 from its room queue, after every update received earlier (and after broadcasting
   * anything earlier to this socket).
   */
  async barrier(timeoutMs = 15_000): Promise<void> {
    const before = this.step2s
    this.send(step1Frame(this.doc))
    await waitFor(() => this.step2s > before || !this.isOpen(), 'the answer to a sync step 1', timeoutMs)
    if (this.step2s <= before) throw new Error('socket closed while waiting for a barrier')
  }

  /** Sends an intent (or any payload as `intent`) and resolves with its result. */
  async intent(intent: unknown, timeoutMs = 15_000): Promise<Result> {
    const id = this.nextId++
    this.send(snurraFrame({ t: 'intent', id, intent }))
    return (await this.waitMessage((m) => m.t === 'result' && m.id === id, `result of intent ${id} (${JSON.stringify(intent).slice(0, 80)})`, timeoutMs)) as Result
  }

  async waitMessage(pred: (m: ServerSnurraMessage) => boolean, what = 'a Snurra message', timeoutMs = 15_000): Promise<ServerSnurraMessage> {
    let found: ServerSnurraMessage | undefined
    await waitFor(() => (found = this.messages.find(pred)) !== undefined, what, timeoutMs)
    return found!
  }

  async hello(): Promise<Hello> {
    return (await this.waitMessage((m) => m.t === 'hello', 'hello')) as Hello
  }

  rejections(): Array<Extract<ServerSnurraMessage, { t: 'rejected' }>> {
    return this.messages.filter((m): m is Extract<ServerSnurraMessage, { t: 'rejected' }> => m.t === 'rejected')
  }

  /** The facilitation state as this client's document holds it. */
  facilitation(): FacilitationState {
    return readFacilitation(this.doc)
  }

  /** The raw `facilitation` map (empty object when nothing was ever written). */
  facilitationMap(): Record<string, unknown> {
    return this.doc.getMap(FACILITATION_KEY).toJSON()
  }

  /** Whether any frame received so far contains `text` (UTF-8) anywhere in its bytes. */
  received(text: string, from = 0): boolean {
    const needle = Buffer.from(text, 'utf8')
    return this.raw.slice(from).some((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) !== -1)
  }

  /** Sync updates (document changes) received since frame index `from`. */
  updatesSince(from: number): Uint8Array[] {
    return this.frames.slice(from).flatMap((f) => (f.kind === 'sync' && f.step === SYNC_UPDATE ? [f.payload] : []))
  }

  close(): void {
    this.ws.close()
  }

  terminate(): void {
    this.ws.terminate()
  }
}

export function snurraConnect(wsUrl: string, boardId: string, token: string | null, options: SnurraClientOptions = {}): SnurraClient {
  return new SnurraClient(wsUrl, boardId, token, options)
}

/** Connects and waits for the first sync (and the hello, when a device key was given to the board socket). */
export async function snurraSynced(wsUrl: string, boardId: string, token: string, options: SnurraClientOptions = {}): Promise<SnurraClient> {
  const client = new SnurraClient(wsUrl, boardId, token, options)
  await client.opened
  await Promise.race([
    client.synced,
    client.closed.then((c) => {
      throw new Error(`closed with ${c.code} before sync`)
    }),
  ])
  // The server greets only a client with a well-formed device key.
  if (options.person && /^[A-Za-z0-9_-]{22,128}$/.test(options.person) && !options.private) await client.hello()
  return client
}

export function destroyAllSnurraClients(): void {
  for (const client of [...live]) client.terminate()
  live.clear()
}

/** The board's document as stored: the snapshot, then every logged update. */
export function storedDoc(dataDir: string, boardId: string): Y.Doc {
  const doc = new Y.Doc()
  const [snap] = querySqlite<{ state: Buffer }>(dataDir, 'SELECT state FROM snapshots WHERE board_id = ?', boardId)
  if (snap) Y.applyUpdate(doc, new Uint8Array(snap.state))
  for (const row of querySqlite<{ data: Buffer }>(dataDir, 'SELECT data FROM updates WHERE board_id = ? ORDER BY seq', boardId)) {
    Y.applyUpdate(doc, new Uint8Array(row.data))
  }
  return doc
}

/** Every stored byte of the board (snapshot and log) as one buffer, to search for text. */
export function storedBytes(dataDir: string, boardId: string): Buffer {
  const parts: Buffer[] = []
  for (const r of querySqlite<{ state: Buffer }>(dataDir, 'SELECT state FROM snapshots WHERE board_id = ?', boardId)) parts.push(r.state)
  for (const r of querySqlite<{ data: Buffer }>(dataDir, 'SELECT data FROM updates WHERE board_id = ?', boardId)) parts.push(r.data)
  return Buffer.concat(parts)
}

/** A server-private JSON value (`board_state`), or null. */
export function storedState(dataDir: string, boardId: string, key: string): unknown {
  const [row] = querySqlite<{ value: string }>(dataDir, 'SELECT value FROM board_state WHERE board_id = ? AND key = ?', boardId, key)
  return row ? JSON.parse(row.value) : null
}

/**
 * Every `results` object encoded in `bytes` (Yjs writes JSON values with lib0's `writeAny`:
 * an object is 118, its key count, then per key a varString and the value). Returns the key
 * counts found after the key "results", so a test can check that a hidden vote never sent a
 * non-empty results object, whatever document the bytes belong to.
 */
export function resultsKeyCounts(bytes: Uint8Array): number[] {
  const key = Buffer.from([7, ...Buffer.from('results', 'utf8')])
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const counts: number[] = []
  for (let i = buf.indexOf(key); i !== -1; i = buf.indexOf(key, i + 1)) {
    const at = i + key.length
    counts.push(buf[at] === 118 ? buf[at + 1] : -1)
  }
  return counts
}
