/**
 * A minimal y-websocket protocol client on a raw `ws` socket, for load generation.
 *
 * Why not the stock `WebsocketProvider`: it applies every incoming update to its document,
 * re-broadcasts awareness on a timer and reconnects on its own. With hundreds of clients in one
 * load-generator process (and two CPU cores shared with the server under test) that client-side
 * work would be measured instead of the server. This client speaks the same frames — sync step
 * 1/2, updates, awareness ignored — and lets each caller decide whether to apply what arrives.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
export const MESSAGE_SNURRA = 100
const SYNC_STEP1 = 0
const SYNC_STEP2 = 1
const SYNC_UPDATE = 2

export interface YClientOptions {
  /** Apply the server's sync step 2 and every later update to `doc` (a real client's work). */
  applyRemote?: boolean
  /** Called for every remote update frame (not for step 2), with the update bytes. */
  onUpdate?: (update: Uint8Array, receivedAt: number) => void
  /** Called when the server's sync step 2 arrives (the client is "synced"). */
  onSynced?: (receivedAt: number) => void
}

export class YClient {
  readonly doc = new Y.Doc()
  readonly ws: WebSocket
  readonly opened: Promise<void>
  readonly closed: Promise<number>
  /** Resolves when the server's sync step 2 has arrived (and, with applyRemote, was applied). */
  readonly synced: Promise<void>
  syncedAt = NaN
  /** Snurra refused one of our updates (type 100 `rejected`): a bug in the benchmark's writes. */
  rejections: string[] = []
  framesIn = 0
  closeCode: number | null = null
  /** Whether incoming updates are applied to `doc` (may be switched off after the first sync). */
  applyRemote: boolean
  private resolveSynced!: () => void

  constructor(
    readonly url: string,
    private readonly opts: YClientOptions = {},
  ) {
    this.applyRemote = opts.applyRemote ?? false
    this.synced = new Promise((resolve) => (this.resolveSynced = resolve))
    // perMessageDeflate off: the Snurra server disables it, and the reference must not pay for it either.
    // Each client poses as its own user behind a proxy (X-Forwarded-For; Snurra runs with
    // TRUST_PROXY=1), so Snurra's per-address limit sees many users, as in production, rather
    // than 2,000 sockets from 127.0.0.1. The reference ignores the header.
    this.ws = new WebSocket(url, { perMessageDeflate: false, headers: { 'X-Forwarded-For': fakeAddress() } })
    this.ws.binaryType = 'nodebuffer'
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        this.sendSync(SYNC_STEP1, Y.encodeStateVector(this.doc))
        resolve()
      })
      this.ws.once('error', reject)
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)))
    })
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve((this.closeCode = code))))
    this.ws.on('error', () => {}) // reported through `opened` / `closed`
    this.ws.on('message', (data: Buffer) => this.receive(data))
  }

  /** Sends one Yjs update as a sync "update" message. */
  sendUpdate(update: Uint8Array): void {
    this.sendSync(SYNC_UPDATE, update)
  }

  /**
   * Sends this client's awareness state once, as y-protocols' awareness update for one client
   * (count, client id, clock, JSON) — without an Awareness instance, whose timers would cost
   * more than the state itself across thousands of idle clients.
   */
  sendAwareness(state: unknown, clock = 1): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
    const inner = encoding.createEncoder()
    encoding.writeVarUint(inner, 1)
    encoding.writeVarUint(inner, this.doc.clientID)
    encoding.writeVarUint(inner, clock)
    encoding.writeVarString(inner, JSON.stringify(state))
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner))
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(encoder))
  }

  close(): void {
    this.ws.close()
  }

  terminate(): void {
    this.ws.terminate()
  }

  private sendSync(step: number, payload: Uint8Array): void {
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MESSAGE_SYNC)
    encoding.writeVarUint(encoder, step)
    encoding.writeVarUint8Array(encoder, payload)
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(encoding.toUint8Array(encoder))
  }

  private receive(data: Buffer): void {
    const receivedAt = performance.now()
    this.framesIn++
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    const type = decoding.readVarUint(decoder)
    if (type === MESSAGE_SNURRA) {
      const message = JSON.parse(decoding.readVarString(decoder)) as { t?: string; reason?: string }
      if (message.t === 'rejected') this.rejections.push(message.reason ?? '?')
      return
    }
    if (type !== MESSAGE_SYNC) return // awareness and others: not needed for these measurements
    const step = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (step === SYNC_STEP1) {
      // The server asks for what it lacks; answer like a real client.
      this.sendSync(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, payload))
    } else if (step === SYNC_STEP2) {
      if (this.applyRemote) Y.applyUpdate(this.doc, payload, this)
      if (Number.isNaN(this.syncedAt)) {
        this.syncedAt = receivedAt
        this.opts.onSynced?.(receivedAt)
        this.resolveSynced()
      }
    } else if (step === SYNC_UPDATE) {
      if (this.applyRemote) Y.applyUpdate(this.doc, payload, this)
      this.opts.onUpdate?.(payload, receivedAt)
    }
  }
}

/** A random private address per client (collisions are rare and harmless: the limit is 100 each). */
function fakeAddress(): string {
  const b = () => Math.floor(Math.random() * 256)
  return `10.${b()}.${b()}.${b()}`
}

/**
 * The Yjs client id of the first struct in an update, read from its header without decoding
 * the rest (v1 format: number of clients, then per client the number of structs, the client
 * id and the first clock). Null for an update without structs (deletions only).
 */
export function updateClientId(update: Uint8Array): number | null {
  const decoder = decoding.createDecoder(update)
  if (decoding.readVarUint(decoder) === 0) return null
  decoding.readVarUint(decoder) // number of structs
  return decoding.readVarUint(decoder)
}

/** Captures the update(s) a change to `doc` produces, merged into one. */
export function captureUpdate(doc: Y.Doc, change: () => void): Uint8Array | null {
  const updates: Uint8Array[] = []
  const onUpdate = (u: Uint8Array) => updates.push(u)
  doc.on('update', onUpdate)
  try {
    doc.transact(change)
  } finally {
    doc.off('update', onUpdate)
  }
  if (updates.length === 0) return null
  return updates.length === 1 ? updates[0] : Y.mergeUpdates(updates)
}
