import type { IncomingMessage, ServerResponse } from 'node:http'
import { encodeBackup } from '../../core/backup.ts'
import { compareBoards } from '../../core/compare.ts'
import { createBoardFromState, newVersionId } from '../board-lifecycle.ts'
import { HttpError, json, readJson } from '../http-util.ts'
import { storedState } from '../stored-doc.ts'
import { authorizeFacilitator, type ApiContext } from './context.ts'
import { stateOf, viewOf } from './board-state.ts'

const MAX_NAME = 200

/** `POST /api/boards/<id>/versions` `{name}`: freezes the board as it is now (facilitator). */
export async function saveVersion(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, boardId: string, token: string | null): Promise<void> {
  await authorizeFacilitator(ctx, boardId, token, 'save versions')
  const { name } = await readJson(req)
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) throw new HttpError(400, `name must be a non-empty string of at most ${MAX_NAME} characters`)
  ctx.quotas.checkVersions((await ctx.storage.listVersions(boardId)).length + 1)
  const state = await storedState(ctx.storage, boardId)
  ctx.quotas.checkBoardBytes(state.length)
  const info = { id: newVersionId(), name: name.trim(), createdAt: Date.now() }
  await ctx.storage.saveVersion(boardId, info, state)
  ctx.log.info('version saved', { board: boardId, version: info.id })
  json(res, 201, info)
}

/** `GET /api/boards/<id>/versions`: the board's versions, oldest first (any role). */
export async function listVersions(ctx: ApiContext, res: ServerResponse, boardId: string, token: string | null): Promise<void> {
  await ctx.authorize(boardId, token)
  json(res, 200, await ctx.storage.listVersions(boardId))
}

/** `GET /api/boards/<id>/versions/<vid>`: the version as a backup document, to open read-only. */
export async function getVersion(ctx: ApiContext, res: ServerResponse, boardId: string, versionId: string, token: string | null): Promise<void> {
  await ctx.authorize(boardId, token)
  const version = await ctx.storage.getVersion(boardId, versionId)
  const board = await ctx.storage.getBoard(boardId)
  if (!version || !board) throw new HttpError(404, 'no such version')
  json(res, 200, { ...encodeBackup(board, version.state, []), savedVersion: version.info })
}

/** `POST /api/boards/<id>/versions/<vid>/restore`: the version as a new board (facilitator). */
export async function restoreVersion(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, boardId: string, versionId: string, token: string | null): Promise<void> {
  const { title } = await authorizeFacilitator(ctx, boardId, token, 'restore versions')
  ctx.gateCreation(req)
  const version = await ctx.storage.getVersion(boardId, versionId)
  const board = await ctx.storage.getBoard(boardId)
  if (!version || !board) throw new HttpError(404, 'no such version')
  const newTitle = `${title} – ${version.info.name}`.slice(0, MAX_NAME)
  const info = await createBoardFromState(ctx.storage, { title: newTitle, templateId: board.templateId }, version.state, [], true)
  ctx.log.info('version restored as a new board', { board: boardId, version: versionId, restored: info.id })
  json(res, 201, { id: info.id, links: ctx.newLinks(req, info.id) })
}

/** `GET /api/boards/<id>/compare?from=<vid|current>&to=<vid|current>`: added, removed, changed. */
export async function compareVersions(ctx: ApiContext, res: ServerResponse, boardId: string, params: URLSearchParams): Promise<void> {
  await ctx.authorize(boardId, params.get('token'))
  const from = params.get('from')
  const to = params.get('to') ?? 'current'
  if (!from) throw new HttpError(400, 'from is required (a version id or "current")')
  const [a, b] = await Promise.all([stateOf(ctx, boardId, from), stateOf(ctx, boardId, to)])
  json(res, 200, {
    from: { id: from, name: a.versionName },
    to: { id: to, name: b.versionName },
    ...compareBoards(viewOf(a.state).view, viewOf(b.state).view),
  })
}
