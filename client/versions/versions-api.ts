import { apiError, type CreatedBoard } from '../api.ts'
import { createKeyHeader } from '../create-key.ts'

/** Named versions of a board, as the server keeps them. */
export interface VersionInfo {
  id: string
  name: string
  createdAt: string | number
}

/** One side of a comparison: a saved version, or "current" for the live board. */
export interface CompareSide {
  id: string
  /** null for "current", the live board. */
  name: string | null
}

/** Codes and free text as strings, year as a number, flags as booleans, tasks and paths as names. */
export type FieldValue = string | number | boolean | null | string[]

export interface FieldChange {
  field: string
  before: FieldValue
  after: FieldValue
}

export interface Comparison {
  from: CompareSide
  to: CompareSide
  added: Array<{ id: string; title: string }>
  removed: Array<{ id: string; title: string }>
  changed: Array<{ id: string; title: string; changes: FieldChange[] }>
}

/** A JSON backup, as GET …/versions/<id> returns it; `document` is a base64 Yjs update. */
export interface Backup {
  format: 'snurra-board'
  version: number
  board: { id: string; title: string; templateId: string; createdAt: string | number }
  document: string
}

const base = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/versions`

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init?.headers } })
  const body: unknown = await res.json().catch(() => null)
  if (!res.ok) throw apiError(res, body)
  return body as T
}

const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`

export function listVersions(boardId: string, token: string): Promise<VersionInfo[]> {
  return call<VersionInfo[]>(`${base(boardId)}${q({ token })}`).then((list) => (Array.isArray(list) ? list : []))
}

export function saveVersion(boardId: string, token: string, name: string): Promise<VersionInfo> {
  return call<VersionInfo>(`${base(boardId)}${q({ token })}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  })
}

export function fetchVersion(boardId: string, token: string, versionId: string): Promise<Backup> {
  return call<Backup>(`${base(boardId)}/${encodeURIComponent(versionId)}${q({ token })}`)
}

export function restoreVersion(boardId: string, token: string, versionId: string): Promise<CreatedBoard> {
  return call<CreatedBoard>(`${base(boardId)}/${encodeURIComponent(versionId)}/restore${q({ token })}`, { method: 'POST', headers: createKeyHeader() })
}

export const CURRENT = 'current'

export function compareVersions(boardId: string, token: string, from: string, to: string): Promise<Comparison> {
  return call<Comparison>(`/api/boards/${encodeURIComponent(boardId)}/compare${q({ from, to, token })}`)
}
