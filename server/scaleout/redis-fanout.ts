import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../log.ts'
import type { Room } from '../room.ts'
import { RoomFanout, type FanoutHub, type FanoutLink, type RoomSource } from './room-fanout.ts'
import { decodeFanout, encodeFanout, type FanoutMessage } from './wire.ts'

export interface ScaleoutOptions {
  redisUrl: string
  log: Logger
  /** How often every loaded room checks storage for updates it may have missed. */
  resyncIntervalMs: number
  /** Counts failed Redis commands and lost connections (metrics). */
  onRedisError?: () => void
  /** Test hook: the share (0–1) of other instances' document updates to drop on arrival. */
  dropRate?: number
}

const CHANNEL_PREFIX = 'snurra:room:'

/**
 * Redis fan-out between instances that share boards: one pub/sub channel per room, subscribed
 * only while the room is loaded here, on two connections (a subscribed connection cannot
 * publish). Redis being down never stops this instance serving its own clients: publishing is
 * skipped, and every room catches up from storage when the subscription is back, and
 * periodically, which also covers a message lost while Redis stayed up.
 */
export class Scaleout implements FanoutHub {
  readonly instanceId = randomBytes(9).toString('base64url')
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly channels = new Map<string, RoomFanout>()
  private readonly resync: NodeJS.Timeout
  /** Set after a failure was logged; cleared when the subscriber is ready again. */
  private warned = false

  constructor(private readonly opts: ScaleoutOptions) {
    const common = {
      // Keep trying, at most a second apart: instances must find each other again soon.
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
      // Never queue while disconnected: a late publish is useless (storage has the update) and
      // subscriptions are renewed on 'ready'.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5000,
    }
    this.pub = new Redis(opts.redisUrl, { ...common, connectionName: `snurra-pub-${this.instanceId}` })
    this.sub = new Redis(opts.redisUrl, { ...common, connectionName: `snurra-sub-${this.instanceId}`, autoResubscribe: false })
    this.pub.on('error', (err: Error) => this.failed('redis publisher', err))
    this.sub.on('error', (err: Error) => this.failed('redis subscriber', err))
    this.sub.on('ready', () => void this.resubscribe())
    // Whatever was stored while the publisher was away was never published: announce every
    // room's position so that the others fetch it (the first 'ready' has nothing to announce).
    this.pub.on('ready', () => {
      for (const fanout of this.channels.values()) fanout.announce()
    })
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel.toString(), message))
    this.resync = setInterval(() => {
      for (const fanout of this.channels.values()) fanout.catchUpSoon(0)
    }, opts.resyncIntervalMs)
    this.resync.unref()
  }

  /** The fan-out of a room being created (RoomOptions.fanout). */
  attach(room: Room, source: RoomSource): RoomFanout {
    const channel = CHANNEL_PREFIX + room.name
    const fanout = new RoomFanout(room, this.linkFor(channel), source)
    this.channels.set(channel, fanout)
    if (this.sub.status === 'ready') {
      // Catch up once the subscription stands: what was stored between the room's load and
      // now comes from storage, everything later through the channel.
      this.sub.subscribe(channel).then(
        () => fanout.subscribed(),
        (err: Error) => this.failed('redis subscribe', err),
      )
    }
    return fanout
  }

  async close(): Promise<void> {
    clearInterval(this.resync)
    await Promise.all([this.pub, this.sub].map((client) => client.quit().catch(() => client.disconnect())))
  }

  private linkFor(channel: string): FanoutLink {
    return {
      instanceId: this.instanceId,
      log: this.opts.log,
      publish: (message) => this.publish(channel, message),
      detach: (fanout) => {
        if (this.channels.get(channel) !== fanout) return
        this.channels.delete(channel)
        if (this.sub.status === 'ready') this.sub.unsubscribe(channel).catch((err: Error) => this.failed('redis unsubscribe', err))
      },
    }
  }

  private publish(channel: string, message: FanoutMessage): void {
    if (this.pub.status !== 'ready') return // down: storage carries updates meanwhile
    this.pub.publish(channel, Buffer.from(encodeFanout(message))).catch((err: Error) => this.failed('redis publish', err))
  }

  /** After every (re)connect: subscribe to every loaded room again, then let each catch up. */
  private async resubscribe(): Promise<void> {
    if (this.warned) this.opts.log.info('redis is back: resubscribing and catching up', { rooms: this.channels.size })
    this.warned = false
    const channels = [...this.channels.keys()]
    if (channels.length === 0) return
    try {
      await this.sub.subscribe(...channels)
    } catch (err) {
      this.failed('redis subscribe', err as Error)
      return
    }
    for (const channel of channels) this.channels.get(channel)?.subscribed()
  }

  private deliver(channel: string, bytes: Buffer): void {
    const fanout = this.channels.get(channel)
    if (!fanout) return
    let message: FanoutMessage
    try {
      message = decodeFanout(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    } catch (err) {
      this.opts.log.warn('ignoring a malformed fan-out message', { channel, error: (err as Error).message })
      return
    }
    if (message.from === this.instanceId) return // our own, back from Redis
    if (message.kind === 'update' && this.opts.dropRate && Math.random() < this.opts.dropRate) return
    fanout.receive(message)
  }

  private failed(what: string, err: Error): void {
    this.opts.onRedisError?.()
    if (this.warned) return // one line per outage, not one per retry
    this.warned = true
    this.opts.log.warn(`${what} failed: serving this instance's clients only until redis is back`, { error: err.message })
  }
}
