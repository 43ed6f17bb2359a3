import type { IncomingMessage, ServerResponse } from 'node:http'
import { eraseBoard } from '../board-lifecycle.ts'
import { authorizeFacilitator, type ApiContext } from './context.ts'
import { exportBoard } from './exports.ts'
import { importIntoBoard } from './imports.ts'
import { compareVersions, getVersion, listVersions, restoreVersion, saveVersion } from './versions.ts'

const BOARD = /^\/api\/boards\/([^/]+)(?:\/(export|import|versions|compare))?(?:\/([^/]+))?(?:\/(restore))?$/

/**
 * The planner's routes on one board: export, import, versions, compare, delete. Returns false
 * for a path that is none of them, so the caller can go on matching.
 */
export async function routeBoardData(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const m = BOARD.exec(url.pathname)
  if (!m) return false
  const [, boardId, section, versionId, restore] = m
  const method = req.method ?? 'GET'
  const params = url.searchParams
  const token = params.get('token')

  if (!section && !versionId && method === 'DELETE') {
    await authorizeFacilitator(ctx, boardId, token, 'delete the board')
    await eraseBoard(ctx.storage, ctx.rooms, ctx.log, boardId)
    res.writeHead(204, { 'Cache-Control': 'no-store' })
    res.end()
    return true
  }
  if (section === 'export' && !versionId && method === 'GET') return done(exportBoard(ctx, res, boardId, params))
  if (section === 'import' && !versionId && method === 'POST') return done(importIntoBoard(ctx, req, res, boardId, params))
  if (section === 'compare' && !versionId && method === 'GET') return done(compareVersions(ctx, res, boardId, params))
  if (section === 'versions') {
    if (!versionId && method === 'POST') return done(saveVersion(ctx, req, res, boardId, token))
    if (!versionId && method === 'GET') return done(listVersions(ctx, res, boardId, token))
    if (versionId && !restore && method === 'GET') return done(getVersion(ctx, res, boardId, versionId, token))
    if (versionId && restore && method === 'POST') return done(restoreVersion(ctx, req, res, boardId, versionId, token))
  }
  return false
}

const done = async (work: Promise<void>) => {
  await work
  return true
}
