import type { IncomingMessage, ServerResponse } from 'node:http'

/** What every route needs: an error with its status, JSON in and out, a bounded body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra fields of the JSON error body (e.g. the per-line errors of an import). */
    readonly details?: Record<string, unknown>,
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers?: Record<string, string>,
  ) {
    super(message)
  }
}

const MAX_JSON_BODY = 64 * 1024

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
  res.end(text)
}

/** The request body, refused with 413 past `max` bytes (checked while reading, not after). */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > max) throw new HttpError(413, `request body over ${max} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > max) throw new HttpError(413, `request body over ${max} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function readJson(req: IncomingMessage, max = MAX_JSON_BODY): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'expected Content-Type: application/json')
  const body = await readBody(req, max)
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}')
  } catch {
    throw new HttpError(400, 'request body is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'request body must be a JSON object')
  return parsed as Record<string, unknown>
}
