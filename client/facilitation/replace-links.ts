import type { Role } from '../../core/roles.ts'
import { ApiError } from '../api.ts'

/** Asks the server for new participant and viewer links; the old ones stop working at once. */
export async function replaceLinks(boardId: string, token: string): Promise<Record<Role, string>> {
  const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/links?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ roles: ['participant', 'viewer'] }),
  })
  const body = (await res.json().catch(() => null)) as { links?: Record<Role, string>; error?: string } | null
  if (!res.ok || !body?.links) throw new ApiError(res.status, body?.error ?? res.statusText)
  return body.links
}
