import type { Logger } from './log.ts'
import type { Room } from './room.ts'

/**
 * The loaded rooms of this process, by name (a board id, or a board's private draft). A room
 * is loaded on its first connection and unloaded (compacted first) once it has had no
 * connection for `idleUnloadMs`.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly idleTimers = new Map<string, NodeJS.Timeout>()

  constructor(private readonly opts: { log: Logger; idleUnloadMs: number }) {}

  get loadedCount(): number {
    return this.rooms.size
  }

  /**
   * The room with this name, created with `create` if it is not loaded. Rejects if it could not
   * be loaded. `create` receives the callback the room calls when its last connection leaves.
   */
  async acquire(name: string, create: (onEmpty: (room: Room) => void) => Room): Promise<Room> {
    this.cancelIdle(name)
    // A room that failed to store a change of its own (storage was down) is loaded afresh;
    // left in place, every client that reconnects to it would wait forever for its sync.
    if (this.rooms.get(name)?.stale) void this.unload(name)
    // A room still being unloaded must finish storing before it is loaded again.
    await this.unloading.get(name)
    let room = this.rooms.get(name)
    if (!room) {
      const created = create(() => this.scheduleIdle(name, created))
      room = created
      this.rooms.set(name, created)
      created.ready().catch((err) => {
        this.opts.log.error('room load failed', { room: name, error: (err as Error).message })
        if (this.rooms.get(name) === created) this.rooms.delete(name)
      })
    }
    await room.ready()
    return room
  }

  /** For a caller that acquired a room but never joined it (its socket closed meanwhile). */
  release(name: string, room: Room): void {
    if (room.size === 0) this.scheduleIdle(name, room)
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name)
  }

  names(): IterableIterator<string> {
    return this.rooms.keys()
  }

  /** Unloads a room now, whatever its connections (after they were closed, e.g. on delete). */
  unload(name: string): Promise<void> {
    this.cancelIdle(name)
    const room = this.rooms.get(name)
    if (!room) return this.unloading.get(name) ?? Promise.resolve()
    this.rooms.delete(name)
    const done = room.unload().finally(() => this.unloading.delete(name))
    this.unloading.set(name, done)
    return done
  }

  /** Drops a room without storing it (its board is being erased). */
  discard(name: string): Promise<void> {
    this.cancelIdle(name)
    const room = this.rooms.get(name)
    if (!room) return this.unloading.get(name) ?? Promise.resolve()
    this.rooms.delete(name)
    return room.discard()
  }

  /** Shutdown: close every connection with `code`, then store and unload every room. */
  async closeAll(code: number, reason: string): Promise<void> {
    for (const room of this.rooms.values()) room.closeAll(code, reason)
    await Promise.all([...this.rooms.keys()].map((name) => this.unload(name)))
    await Promise.all(this.unloading.values())
  }

  private scheduleIdle(name: string, room: Room): void {
    this.cancelIdle(name)
    const timer = setTimeout(() => {
      this.idleTimers.delete(name)
      if (room.size === 0 && this.rooms.get(name) === room) void this.unload(name)
    }, this.opts.idleUnloadMs)
    timer.unref()
    this.idleTimers.set(name, timer)
  }

  private cancelIdle(name: string): void {
    const timer = this.idleTimers.get(name)
    if (timer) clearTimeout(timer)
    this.idleTimers.delete(name)
  }
}
