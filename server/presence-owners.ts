import type { Awareness } from 'y-protocols/awareness'
import type { Role } from '../core/roles.ts'
import {
  changesAnything,
  encodeAwarenessEntries,
  isRemoval,
  MAX_AWARENESS_CLIENTS_PER_CONNECTION,
  readAwarenessEntries,
  type AwarenessEntry,
} from './awareness-filter.ts'
import { ProtocolError } from './protocol.ts'

/** What the owners need to know of a connection. */
export interface PresenceHolder {
  readonly role: Role
  /** Board-scoped id of the sender's device, or null. */
  readonly personId: string | null
}

/** Holder of the client ids that arrive from other instances (through Redis). */
const REMOTE = Symbol('remote')
/** Holder of the server's own awareness client id, which nobody may use. */
const SERVER = Symbol('server')

/**
 * Who may speak for each awareness client id in one room: the connection that introduced it,
 * first come. Any socket can write any client id into an awareness update, and y-protocols
 * takes whatever has the highest clock; without this, a viewer could rename the facilitator
 * for everyone, or remove her cursor, and a high clock would keep her own renewal out.
 *
 * Every change a connection sends goes through `filter`; an id another connection holds is
 * dropped (and counted), an id nobody holds is introduced by the sender and stays its own until
 * it leaves (`release`). Ids held by another instance's clients arrive through `filterRemote`
 * and are not claimable until their state goes. The role in each accepted state is the one the
 * server knows from the sender's token, not the one it claims.
 */
export class PresenceOwners<C extends PresenceHolder> {
  private readonly holders = new Map<number, C | typeof REMOTE | typeof SERVER>()
  private readonly held = new Map<C, Set<number>>()

  /** `onRefused` hears of each update whose entries for another connection's ids were dropped. */
  constructor(
    private readonly awareness: Awareness,
    private readonly onRefused: (conn: C, count: number) => void = () => {},
  ) {
    this.holders.set(awareness.clientID, SERVER)
  }

  /**
   * The part of `conn`'s awareness update that it may apply, with roles rewritten, or null if
   * nothing is left. Throws ProtocolError for what only a hostile client sends (see
   * readAwarenessEntries, and more than MAX_AWARENESS_CLIENTS_PER_CONNECTION ids). Only the
   * states that are kept are parsed.
   */
  filter(conn: C, update: Uint8Array): Uint8Array | null {
    const own = this.held.get(conn)
    const kept: AwarenessEntry[] = []
    const claimed = new Set<number>()
    let refused = 0
    for (const entry of readAwarenessEntries(update)) {
      if (!changesAnything(this.awareness, entry)) continue
      const holder = this.holders.get(entry.clientId)
      if (holder === undefined) {
        // Nobody holds it, so it has no state to remove.
        if (isRemoval(entry)) continue
        claimed.add(entry.clientId)
      } else if (holder !== conn) {
        if (!this.sameDevice(holder, conn)) {
          refused++
          continue
        }
        claimed.add(entry.clientId)
      }
      // Before any parsing: a flood of made-up ids costs no more than reading them.
      if ((own?.size ?? 0) + claimed.size > MAX_AWARENESS_CLIENTS_PER_CONNECTION) {
        throw new ProtocolError(`more than ${MAX_AWARENESS_CLIENTS_PER_CONNECTION} awareness clients on one connection`)
      }
      kept.push(isRemoval(entry) ? entry : { ...entry, state: withRole(entry.state, conn.role) })
    }
    for (const clientId of claimed) this.hold(clientId, conn)
    if (refused) this.onRefused(conn, refused)
    return kept.length ? encodeAwarenessEntries(kept) : null
  }

  /** The client ids `conn` held, now free: the caller removes their states. */
  release(conn: C): number[] {
    const ids = this.held.get(conn)
    this.held.delete(conn)
    if (!ids) return []
    for (const id of ids) this.holders.delete(id)
    return [...ids]
  }

  /**
   * The part of another instance's awareness update that applies here: its clients' ids become
   * unclaimable by local sockets; entries for ids a local connection holds are dropped.
   */
  filterRemote(update: Uint8Array): Uint8Array | null {
    const entries = readAwarenessEntries(update)
    const kept = entries.filter((entry) => {
      const holder = this.holders.get(entry.clientId)
      return holder === undefined || holder === REMOTE
    })
    for (const entry of kept) {
      if (!isRemoval(entry) && changesAnything(this.awareness, entry)) this.holders.set(entry.clientId, REMOTE)
    }
    if (kept.length === entries.length) return update
    return kept.length ? encodeAwarenessEntries(kept) : null
  }

  /**
   * States that went from the room's awareness (removed or timed out): another instance's
   * client ids are free again. A local connection keeps its ids until it leaves.
   */
  statesRemoved(clientIds: readonly number[]): void {
    for (const id of clientIds) if (this.holders.get(id) === REMOTE) this.holders.delete(id)
  }

  /** The client ids held by this instance's connections that have a state now. */
  localIds(): number[] {
    return [...this.held.values()].flatMap((ids) => [...ids].filter((id) => this.awareness.states.has(id)))
  }

  private hold(clientId: number, conn: C): void {
    const previous = this.holders.get(clientId)
    if (previous !== undefined && typeof previous !== 'symbol') this.held.get(previous)?.delete(clientId)
    this.holders.set(clientId, conn)
    let ids = this.held.get(conn)
    if (!ids) this.held.set(conn, (ids = new Set()))
    ids.add(clientId)
  }

  /**
   * A reconnect from the same device: its old socket may linger half-open for minutes, and the
   * tab comes back with the same client id. The device key behind `personId` is the device's
   * secret, so nobody else can present it.
   */
  private sameDevice(holder: C | symbol, conn: C): boolean {
    return typeof holder !== 'symbol' && conn.personId !== null && holder.personId === conn.personId
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The state with `user.role` set to the role the server knows; other shapes pass unchanged (clients show no name without a user). */
function withRole(json: string, role: Role): string {
  let state: unknown
  try {
    state = JSON.parse(json)
  } catch {
    throw new ProtocolError('awareness state is not JSON')
  }
  if (!isObject(state) || !Object.hasOwn(state, 'user') || !isObject(state.user)) return json
  state.user.role = role
  return JSON.stringify(state)
}
