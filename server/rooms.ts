import type { Logger } from './log.ts'
import { Room } from './room.ts'
import type { Storage } from './storage/storage.ts'

export interface RoomsOptions {
  storage: Storage
  log: Logger
  compactEvery: number
  idleUnloadMs: number
}

/**
 * The loaded boards of this process. A board is loaded on its first connection and unloaded
 * (compacted first) once it has had no connection for `idleUnloadMs`.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>()
  private readonly unloading = new Map<string, Promise<void>>()
  private readonly idleTimers = new Map<string, NodeJS.Timeout>()

  constructor(private readonly opts: RoomsOptions) {}

  get loadedCount(): number {
    return this.rooms.size
  }

  /** The room for a board, loading it if needed. Rejects if the board could not be loaded. */
  async acquire(boardId: string): Promise<Room> {
    this.cancelIdle(boardId)
    // A board still being unloaded must finish storing before it is loaded again.
    await this.unloading.get(boardId)
    let room = this.rooms.get(boardId)
    if (!room) {
      room = new Room(boardId, { ...this.opts, onEmpty: (r) => this.scheduleIdle(r) })
      this.rooms.set(boardId, room)
      room.ready().catch((err) => {
        this.opts.log.error('board load failed', { board: boardId, error: (err as Error).message })
        if (this.rooms.get(boardId) === room) this.rooms.delete(boardId)
      })
    }
    await room.ready()
    return room
  }

  /** For a caller that acquired a room but never joined it (its socket closed meanwhile). */
  release(room: Room): void {
    if (room.size === 0) this.scheduleIdle(room)
  }

  get(boardId: string): Room | undefined {
    return this.rooms.get(boardId)
  }

  /** Unloads a board now, whatever its connections (after they were closed, e.g. on delete). */
  unload(boardId: string): Promise<void> {
    this.cancelIdle(boardId)
    const room = this.rooms.get(boardId)
    if (!room) return this.unloading.get(boardId) ?? Promise.resolve()
    this.rooms.delete(boardId)
    const done = room.unload().finally(() => this.unloading.delete(boardId))
    this.unloading.set(boardId, done)
    return done
  }

  /** Shutdown: close every connection with `code`, then store and unload every board. */
  async closeAll(code: number, reason: string): Promise<void> {
    for (const room of this.rooms.values()) room.closeAll(code, reason)
    await Promise.all([...this.rooms.keys()].map((id) => this.unload(id)))
    await Promise.all(this.unloading.values())
  }

  private scheduleIdle(room: Room): void {
    this.cancelIdle(room.boardId)
    const timer = setTimeout(() => {
      this.idleTimers.delete(room.boardId)
      if (room.size === 0 && this.rooms.get(room.boardId) === room) void this.unload(room.boardId)
    }, this.opts.idleUnloadMs)
    timer.unref()
    this.idleTimers.set(room.boardId, timer)
  }

  private cancelIdle(boardId: string): void {
    const timer = this.idleTimers.get(boardId)
    if (timer) clearTimeout(timer)
    this.idleTimers.delete(boardId)
  }
}
