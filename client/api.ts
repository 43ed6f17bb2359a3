import { isRole, type Role } from '../core/roles.ts'

/** The server's HTTP API, as the client uses it. Errors carry the HTTP status for the UI. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
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
  if (!res.ok) {
    const message = typeof (body as { error?: unknown } | null)?.error === 'string' ? (body as { error: string }).error : res.statusText
    throw new ApiError(res.status, message || `HTTP ${res.status}`)
  }
  return body as T
}

export async function fetchTemplates(): Promise<TemplateSummary[]> {
  const list = await request<unknown>('/api/templates')
  if (!Array.isArray(list)) throw new ApiError(500, 'unexpected templates response')
  return list.filter((t): t is TemplateSummary => typeof t?.id === 'string' && typeof t?.title === 'string')
}

export function createBoard(template: string, title?: string): Promise<CreatedBoard> {
  return request<CreatedBoard>('/api/boards', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ template, title }),
  })
}

export async function fetchSession(boardId: string, token: string): Promise<Session> {
  const session = await request<Session>(`/api/boards/${encodeURIComponent(boardId)}/session?token=${encodeURIComponent(token)}`)
  if (!isRole(session.role)) throw new ApiError(500, 'unexpected session response')
  return session
}
