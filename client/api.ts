import { isRole, type Role } from '../core/roles.ts'
import { createKeyHeader, storedCreateKey } from './create-key.ts'

/**
 * The server's HTTP API, as the client uses it. Errors carry the HTTP status for the UI, and for
 * a key, rate limit or quota the server's `code` and `limit` (see limit-messages.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly limit?: number,
    readonly retryAfter?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The ApiError of a failed response whose JSON body (or null) has been read. */
export function apiError(res: Response, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; code?: unknown; limit?: unknown }
  const message = typeof b.error === 'string' ? b.error : res.statusText || `HTTP ${res.status}`
  const retryAfter = Number(res.headers.get('Retry-After'))
  return new ApiError(
    res.status,
    message,
    typeof b.code === 'string' ? b.code : undefined,
    typeof b.limit === 'number' ? b.limit : undefined,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  )
}

export interface TemplateSummary {
  id: string
  title: string
  layout: string
}

export interface CreatedBoard {
  id: string
  links: Record<Role, string>
}

export interface Session {
  boardId: string
  role: Role
  title: string
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init?.headers } })
  const body: unknown = await res.json().catch(() => null)
  if (!res.ok) throw apiError(res, body)
  return body as T
}

export async function fetchTemplates(): Promise<TemplateSummary[]> {
  const list = await request<unknown>('/api/templates')
  if (!Array.isArray(list)) throw new ApiError(500, 'unexpected templates response')
  return list.filter((t): t is TemplateSummary => typeof t?.id === 'string' && typeof t?.title === 'string')
}

/** `key`: CREATE_KEY, when the server requires one (by default the one this browser remembers). */
export function createBoard(template: string, title?: string, key: string | null = storedCreateKey()): Promise<CreatedBoard> {
  return request<CreatedBoard>('/api/boards', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...createKeyHeader(key) },
    body: JSON.stringify({ template, title }),
  })
}

export async function fetchSession(boardId: string, token: string): Promise<Session> {
  const session = await request<Session>(`/api/boards/${encodeURIComponent(boardId)}/session?token=${encodeURIComponent(token)}`)
  if (!isRole(session.role)) throw new ApiError(500, 'unexpected session response')
  return session
}
