import { isRole, type Role } from '../../core/roles.ts'

/**
 * What each client publishes through Yjs awareness. Anything read from a peer is untrusted:
 * `readPeer` checks every field before the UI or tldraw sees it. The server passes on a peer's
 * state only from the connection that introduced that peer, with `user.role` set to the role
 * in that connection's token (server/presence-owners.ts); what a client sends there is ignored.
 */
export interface PeerUser {
  id: string
  name: string
  color: string
  sector: string
  role: Role
}

export interface PeerState {
  user: PeerUser
  cursor: { x: number; y: number } | null
  selection: string[]
  pageId: string
  /** The peer's camera and screen size, so that others can follow their view. */
  camera: { x: number; y: number; z: number } | null
  screen: { w: number; h: number } | null
  /** The user id this peer is following, if any. */
  following: string | null
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' ? v.slice(0, max) : null)
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const COLOR = /^#[0-9a-fA-F]{6}$/
const USER_ID = /^[a-z0-9]+$/i

export function readPeer(state: unknown): PeerState | null {
  if (typeof state !== 'object' || state === null) return null
  const s = state as Record<string, unknown>
  const u = s.user as Record<string, unknown> | undefined
  if (typeof u !== 'object' || u === null) return null
  const id = str(u.id, 64)
  if (!id || !USER_ID.test(id)) return null
  const color = str(u.color, 7)
  const c = s.cursor as Record<string, unknown> | null | undefined
  const cam = s.camera as Record<string, unknown> | null | undefined
  const scr = s.screen as Record<string, unknown> | null | undefined
  const following = str(s.following, 64)
  return {
    user: {
      id,
      name: str(u.name, 80) ?? '',
      color: color && COLOR.test(color) ? color : '#4a4f57',
      sector: str(u.sector, 64) ?? '',
      role: isRole(u.role) ? u.role : 'participant',
    },
    cursor: c && num(c.x) && num(c.y) ? { x: c.x, y: c.y } : null,
    selection: Array.isArray(s.selection) ? s.selection.filter((x): x is string => typeof x === 'string').slice(0, 500) : [],
    pageId: str(s.pageId, 64) ?? 'page:page',
    camera: cam && num(cam.x) && num(cam.y) && num(cam.z) && cam.z > 0 ? { x: cam.x, y: cam.y, z: cam.z } : null,
    screen: scr && num(scr.w) && num(scr.h) && scr.w > 0 && scr.h > 0 ? { w: scr.w, h: scr.h } : null,
    following: following && USER_ID.test(following) ? following : null,
  }
}
