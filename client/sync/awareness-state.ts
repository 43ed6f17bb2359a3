/**
 * What each client publishes through Yjs awareness. Anything read from a peer is untrusted:
 * `readPeer` checks every field before the UI or tldraw sees it.
 */
export interface PeerUser {
  id: string
  name: string
  color: string
  sector: string
}

export interface PeerState {
  user: PeerUser
  cursor: { x: number; y: number } | null
  selection: string[]
  pageId: string
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' ? v.slice(0, max) : null)
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const COLOR = /^#[0-9a-fA-F]{6}$/

export function readPeer(state: unknown): PeerState | null {
  if (typeof state !== 'object' || state === null) return null
  const s = state as Record<string, unknown>
  const u = s.user as Record<string, unknown> | undefined
  if (typeof u !== 'object' || u === null) return null
  const id = str(u.id, 64)
  if (!id || !/^[a-z0-9]+$/i.test(id)) return null
  const color = str(u.color, 7)
  const c = s.cursor as Record<string, unknown> | null | undefined
  return {
    user: { id, name: str(u.name, 80) ?? '', color: color && COLOR.test(color) ? color : '#4a4f57', sector: str(u.sector, 64) ?? '' },
    cursor: c && num(c.x) && num(c.y) ? { x: c.x, y: c.y } : null,
    selection: Array.isArray(s.selection) ? s.selection.filter((x): x is string => typeof x === 'string').slice(0, 500) : [],
    pageId: str(s.pageId, 64) ?? 'page:page',
  }
}
