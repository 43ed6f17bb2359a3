import type { IncomingMessage, ServerResponse } from 'node:http'
import * as Y from 'yjs'
import { seedBoard } from '../core/board-doc.ts'
import { newBoardId } from '../core/ids.ts'
import { isRole, type Role } from '../core/roles.ts'
import type { Template } from '../core/template.ts'
import type { Config } from './config.ts'
import type { Health } from './health.ts'
import type { Logger } from './log.ts'
import { serveMetrics, type Metrics } from './metrics.ts'
import { serveStatic } from './static.ts'
import type { Storage } from './storage/storage.ts'
import { CLOSE } from './close-codes.ts'
import { boardLinks, rotateLinks } from './links.ts'
import { createGate } from './create-gate.ts'
import { QuotaGuard } from './quotas.ts'
import { authorize, httpRefusal } from './authorize.ts'
import type { Rooms } from './rooms.ts'
import type { TokenClaims } from './tokens.ts'
import { HttpError, json, readJson } from './http-util.ts'
import type { ApiContext } from './api/context.ts'
import { routeBoardData } from './api/routes.ts'
import { boardRoomNames } from './board-lifecycle.ts'
import type { Boards } from './boards.ts'

export interface HttpDeps {
  config: Config
  storage: Storage
  templates: Map<string, Template>
  secret: Buffer
  log: Logger
  rooms: Rooms
  boards: Boards
  metrics: Metrics
  health: Health
}

const MAX_TITLE = 200

const SECURITY_HEADERS = {
  // Links carry role tokens in the query string: never leak them to another site.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
}

export function createHttpHandler(deps: HttpDeps) {
  const { config, storage, templates, secret, log, rooms, boards, metrics, health } = deps

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET'
    const path = url.pathname
    if (path === '/healthz') {
      await storage.ping()
      // Damaged data is not "can serve": say so, and why, until someone restores it.
      const report = health.report()
      if (!report.ok) return json(res, 503, { status: 'damaged', faults: report.faults, faultCount: report.faultCount })
      return json(res, 200, { status: 'ok' })
    }
    if (path === '/metrics' && method === 'GET') return serveMetrics(req, res, metrics, config.metricsToken)
    if (path === '/config.js' && method === 'GET') {
      // The client reads run-time settings from here, so one build serves every deployment.
      const settings = { tldrawLicenseKey: config.tldrawLicenseKey, createKeyRequired: config.createKey !== undefined }
      const body = `window.__SNURRA_CONFIG__ = ${JSON.stringify(settings)};\n`
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' })
      return void res.end(body)
    }
    if (path === '/api/templates' && method === 'GET') {
      return json(res, 200, [...templates.values()].map((t) => ({ id: t.id, title: t.title, layout: t.layout })))
    }
    if (path === '/api/boards' && method === 'POST') return createBoard(req, res)
    const session = /^\/api\/boards\/([^/]+)\/session$/.exec(path)
    if (session && method === 'GET') return getSession(res, session[1], url.searchParams.get('token'))
    const links = /^\/api\/boards\/([^/]+)\/links$/.exec(path)
    if (links && method === 'POST') return replaceLinks(req, res, links[1], url.searchParams.get('token'))
    if (path.startsWith('/api/boards/') && (await routeBoardData(api, req, res, url))) return
    if (path.startsWith('/api/')) throw new HttpError(404, 'not found')

    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method not allowed')
    if (serveStatic(config.clientDir, path, res, method)) return
    // Client-side routes (/, /b/<id>) all load the app shell.
    if (path === '/' || /^\/b\/[^/]+$/.test(path)) {
      if (serveStatic(config.clientDir, '/index.html', res, method)) return
      throw new HttpError(503, 'the client is not built: run npm run build')
    }
    throw new HttpError(404, 'not found')
  }

  async function createBoard(req: IncomingMessage, res: ServerResponse): Promise<void> {
    gateCreation(req)
    const body = await readJson(req)
    const templateId = body.template ?? 'hallunda-norsborg'
    const template = typeof templateId === 'string' ? templates.get(templateId) : undefined
    if (!template) throw new HttpError(400, `unknown template: ${String(templateId).slice(0, 64)}`)
    const title = body.title === undefined ? template.title : body.title
    if (typeof title !== 'string' || title.trim() === '' || title.length > MAX_TITLE) {
      throw new HttpError(400, `title must be a non-empty string of at most ${MAX_TITLE} characters`)
    }
    const id = newBoardId()
    const doc = new Y.Doc()
    seedBoard(doc, template, title.trim())
    await storage.createBoard({ id, title: title.trim(), templateId: template.id, createdAt: Date.now() }, Y.encodeStateAsUpdate(doc))
    doc.destroy()
    log.info('board created', { board: id, template: template.id })
    json(res, 201, { id, links: boardLinks(secret, baseUrl(req), id, expiry(), {}) })
  }

  const baseUrl = (req: IncomingMessage) => config.publicUrl ?? `http://${req.headers.host ?? `localhost:${config.port}`}`
  const expiry = () => Date.now() + config.tokenTtlDays * 24 * 3600_000

  /** The claims of a valid, current token for an existing board; throws the right HTTP error otherwise. */
  async function authorizeRequest(boardId: string, token: string | null): Promise<{ claims: TokenClaims; title: string }> {
    const verdict = await authorize(storage, secret, boardId, token)
    if (verdict.ok) return { claims: verdict.claims, title: verdict.board.title }
    if (verdict.error) log.error('authorization undecided: storage failed', { board: boardId, error: verdict.error.message })
    const { status, message } = httpRefusal(verdict.refusal)
    throw new HttpError(status, message)
  }

  async function getSession(res: ServerResponse, boardId: string, token: string | null): Promise<void> {
    const { claims, title } = await authorizeRequest(boardId, token)
    json(res, 200, { boardId, role: claims.role, title, expiresAt: claims.expiresAt })
  }

  /**
   * The facilitator replaces any of the three links (their own too, when it has leaked); sockets
   * on the old ones close with 4401, and the answer carries the new links.
   */
  async function replaceLinks(req: IncomingMessage, res: ServerResponse, boardId: string, token: string | null): Promise<void> {
    const { claims } = await authorizeRequest(boardId, token)
    if (claims.role !== 'facilitator') throw new HttpError(403, 'only the facilitator can replace links')
    const body = await readJson(req)
    // Absent means both; anything else must be a list (a lone string is a mistake, not "both").
    const roles: unknown = body.roles === undefined ? ['participant', 'viewer'] : body.roles
    if (!Array.isArray(roles) || roles.length === 0 || roles.length > 3 || !roles.every((r): r is Role => isRole(r))) {
      throw new HttpError(400, 'roles must list "facilitator", "participant" and/or "viewer"')
    }
    const generations = await rotateLinks(storage, boardId, roles)
    for (const name of boardRoomNames(rooms, boardId)) {
      for (const conn of [...(rooms.get(name)?.connections() ?? [])]) if (roles.includes(conn.role)) conn.close(CLOSE.unauthorized, 'link replaced')
    }
    log.info('links replaced', { board: boardId, roles })
    json(res, 200, { id: boardId, links: boardLinks(secret, baseUrl(req), boardId, expiry(), generations) })
  }

  const gateCreation = createGate({ key: config.createKey, perHour: config.createRatePerHour, trustProxy: config.trustProxy, metrics })
  const quotas = new QuotaGuard(config.quotas, metrics)
  const api: ApiContext = {
    storage,
    rooms,
    boards,
    log,
    authorize: authorizeRequest,
    newLinks: (req, id) => boardLinks(secret, baseUrl(req), id, expiry(), {}),
    gateCreation,
    quotas,
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://localhost')
    } catch {
      return json(res, 400, { error: 'bad request target' })
    }
    try {
      await route(req, res, url)
    } catch (err) {
      if (err instanceof HttpError) return json(res, err.status, { error: err.message, ...err.details }, err.headers)
      // Log the path only: the query string may hold a token.
      log.error('request failed', { method: req.method, path: url.pathname, error: (err as Error).message })
      if (!res.headersSent) json(res, 500, { error: 'internal error' })
      else res.destroy()
    }
  }
}
