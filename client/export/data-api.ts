import { apiError, type CreatedBoard } from '../api.ts'
import { createKeyHeader } from '../create-key.ts'
import type { Language } from '../i18n/messages.ts'

/** The board's data endpoints (register, backup, import, delete) as this browser calls them. */
const base = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`

export type RegisterFormat = 'csv' | 'xlsx' | 'json' | 'pdf' | 'html'

export interface RegisterOptions {
  lang: Language
  semicolon?: boolean
  versionId?: string
}

/** A plain link: the server answers with Content-Disposition: attachment and its own file name. */
export function exportUrl(boardId: string, token: string, format: RegisterFormat, opts: RegisterOptions): string {
  const q = new URLSearchParams({ format, token, lang: opts.lang })
  if (format === 'csv') q.set('delimiter', opts.semicolon ? 'semicolon' : 'comma')
  if (opts.versionId) q.set('version', opts.versionId)
  return `${base(boardId)}/export?${q}`
}

export interface LineError {
  line: number
  message: string
}

/** A refused import: the reason, and for CSV every bad row with its line number. */
export class ImportRejected extends Error {
  constructor(
    message: string,
    readonly errors: LineError[],
  ) {
    super(message)
    this.name = 'ImportRejected'
  }
}

async function readError(res: Response): Promise<{ message: string; errors: LineError[]; body: unknown }> {
  const body = (await res.json().catch(() => null)) as { error?: unknown; errors?: unknown } | null
  const message = typeof body?.error === 'string' ? body.error : res.statusText || `HTTP ${res.status}`
  const errors = Array.isArray(body?.errors)
    ? body.errors
        .filter((e): e is LineError => typeof e?.line === 'number' && typeof e?.message === 'string')
        .map((e) => ({ line: e.line, message: e.message }))
    : []
  return { message, errors, body }
}

async function send(url: string, init: RequestInit): Promise<Response> {
  const res = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } })
  if (res.ok) return res
  const { message, errors, body } = await readError(res)
  if (res.status === 422 || res.status === 400) throw new ImportRejected(message, errors)
  throw apiError(res, body)
}

/** `lang`: the language of the per-line error messages. */
export async function importCsv(boardId: string, token: string, csv: string, lang: Language): Promise<number> {
  const url = `${base(boardId)}/import?${new URLSearchParams({ format: 'csv', token, lang })}`
  const res = await send(url, { method: 'POST', headers: { 'Content-Type': 'text/csv; charset=utf-8' }, body: csv })
  const body = (await res.json()) as { added?: unknown }
  return typeof body.added === 'number' ? body.added : 0
}

export async function importBackup(boardId: string, token: string, json: string): Promise<CreatedBoard> {
  const url = `${base(boardId)}/import?${new URLSearchParams({ format: 'json', token })}`
  const res = await send(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...createKeyHeader() }, body: json })
  return (await res.json()) as CreatedBoard
}

export async function deleteBoard(boardId: string, token: string): Promise<void> {
  await send(`${base(boardId)}?${new URLSearchParams({ token })}`, { method: 'DELETE' })
}
