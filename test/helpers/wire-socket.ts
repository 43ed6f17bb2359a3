/**
 * A bare WebSocket client on a TCP socket: the handshake as one write, frames masked with a
 * zero key, server frames parsed by hand. It does a fraction of the `ws` client's work per
 * connection, so a test can open tens of thousands of them on a shared machine. For tests only:
 * it checks nothing the server says beyond the status line.
 */
import { connect, type Socket } from 'node:net'

export class WireSocket {
  closeCode: number | null = null
  private readonly socket: Socket
  private buffer: Buffer = Buffer.alloc(0)
  private upgraded = false
  private readonly openedPromise: Promise<boolean>
  private onOpen!: (ok: boolean) => void
  private listeners = new Set<() => void>()

  /** `first`: a frame to send in the same write as the handshake (it reaches the server before the upgrade completes). */
  constructor(
    port: number,
    path: string,
    private readonly onMessage: (data: Buffer) => void,
    first?: Uint8Array | string,
  ) {
    this.openedPromise = new Promise((resolve) => (this.onOpen = resolve))
    this.socket = connect(port, '127.0.0.1')
    this.socket.setNoDelay(true)
    const handshake = Buffer.from(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    )
    this.socket.write(first === undefined ? handshake : Buffer.concat([handshake, clientFrame(first)]))
    this.socket.on('data', (chunk) => this.receive(chunk))
    this.socket.on('error', () => {})
    this.socket.on('close', () => {
      this.closeCode ??= 1006
      this.onOpen(false)
      this.notify()
    })
  }

  /** True once the server answered 101, false if it refused or closed. */
  opened(): Promise<boolean> {
    return this.openedPromise
  }

  get open(): boolean {
    return this.upgraded && this.closeCode === null && !this.socket.destroyed
  }

  send(data: Uint8Array | string): boolean {
    if (!this.open) return false
    this.socket.write(clientFrame(data))
    return true
  }

  /** Resolves at the next message or close, or after `ms`. */
  changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.listeners.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.listeners.add(done)
    })
  }

  destroy(): void {
    this.socket.destroy()
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener()
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    if (!this.upgraded) {
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end < 0) return
      const status = this.buffer.subarray(0, this.buffer.indexOf('\r\n')).toString()
      this.buffer = this.buffer.subarray(end + 4)
      if (!/^HTTP\/1\.1 101 /.test(status)) {
        this.closeCode = -Number(status.split(' ')[1] ?? 0) // a refused upgrade: minus its HTTP status
        this.socket.destroy()
        return
      }
      this.upgraded = true
      this.onOpen(true)
    }
    for (;;) {
      if (this.buffer.length < 2) return
      const opcode = this.buffer[0] & 0x0f
      let length = this.buffer[1] & 0x7f
      let offset = 2
      if (length === 126) {
        if (this.buffer.length < 4) return
        length = this.buffer.readUInt16BE(2)
        offset = 4
      } else if (length === 127) {
        if (this.buffer.length < 10) return
        length = Number(this.buffer.readBigUInt64BE(2))
        offset = 10
      }
      if (this.buffer.length < offset + length) return
      const payload = this.buffer.subarray(offset, offset + length)
      this.buffer = this.buffer.subarray(offset + length)
      if (opcode === 0x8) {
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005
        this.socket.destroy() // no closing handshake: the server's timer would cover it anyway
        this.notify()
        return
      }
      if (opcode === 0x2 || opcode === 0x1) this.onMessage(payload)
      this.notify()
    }
  }
}

/** One client-to-server frame: FIN, binary (or text), masked with a zero key (so unchanged). */
export function clientFrame(data: Uint8Array | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const opcode = typeof data === 'string' ? 0x1 : 0x2
  let header: Buffer
  if (payload.length < 126) header = Buffer.from([0x80 | opcode, 0x80 | payload.length])
  else if (payload.length < 65_536) {
    header = Buffer.alloc(4)
    header[0] = 0x80 | opcode
    header[1] = 0x80 | 126
    header.writeUInt16BE(payload.length, 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = 0x80 | opcode
    header[1] = 0x80 | 127
    header.writeBigUInt64BE(BigInt(payload.length), 2)
  }
  return Buffer.concat([header, Buffer.alloc(4), payload])
}
