import type { Logger } from '../log.ts'
import type { Room } from '../room.ts'
import { RoomFanout, type FanoutHub, type RoomSource } from './room-fanout.ts'

/**
 * PostgreSQL without Redis: the proxy routes each board to one instance, so normally nothing
 * needs to travel between instances. If a board is ever served by two at once anyway (a failover
 * while the old instance still had clients, two proxies that disagree), each instance notices
 * the other's appends as holes in the sequence and catches up from the database, and loaded
 * boards check it periodically: clients converge, just later than with Redis.
 */
export class StorageOnlyHub implements FanoutHub {
  private readonly fanouts = new Set<RoomFanout>()
  private readonly resync: NodeJS.Timeout

  constructor(private readonly opts: { log: Logger; resyncIntervalMs: number }) {
    this.resync = setInterval(() => {
      for (const fanout of this.fanouts) fanout.catchUpSoon(0)
    }, opts.resyncIntervalMs)
    this.resync.unref()
  }

  attach(room: Room, source: RoomSource): RoomFanout {
    const fanout = new RoomFanout(room, { instanceId: '', log: this.opts.log, publish: () => {}, detach: (f) => this.fanouts.delete(f) }, source)
    this.fanouts.add(fanout)
    return fanout
  }

  async close(): Promise<void> {
    clearInterval(this.resync)
  }
}
