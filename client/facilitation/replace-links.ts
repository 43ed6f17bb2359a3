import type { Role } from '../../core/roles.ts'
import { apiError } from '../api.ts'

/** Asks the server for new links for `roles`; the old ones stop working at once. */
export async function replaceLinks(boardId: string, token: string, roles: Role[] = ['participant', 'viewer']): Promise<Record<Role, string>> {
  const res = await fetch(`/api/boards/${encodeURIComponent(boardId)}/links?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ roles }),
  })
  const body = (await res.json().catch(() => null)) as { links?: Record<Role, string>; error?: string } | null
  if (!res.ok || !body?.links) throw apiError(res, body)
  return body.links
}
