import type { IncomingMessage, ServerResponse } from 'node:http'
import { BackupError, decodeBackup } from '../../core/backup.ts'
import { readRegisterCsv } from '../../core/register-import.ts'
import { addActivities, createBoardFromState } from '../board-lifecycle.ts'
import { HttpError, json, readBody } from '../http-util.ts'
import { allLabels, languageParam, translate } from '../export/labels.ts'
import { authorizeFacilitator, type ApiContext } from './context.ts'
import { stateOf, viewOf } from './board-state.ts'

const MAX_CSV_BYTES = 5 * 1024 * 1024

/**
 * `POST /api/boards/<id>/import?format=csv|json&token=<facilitator>`. CSV adds activities to
 * this board, all or none; JSON restores a backup as a new board.
 */
export async function importIntoBoard(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, boardId: string, params: URLSearchParams): Promise<void> {
  await authorizeFacilitator(ctx, boardId, params.get('token'), 'import')
  const format = params.get('format')
  if (format === 'json') ctx.gateCreation(req)
  if (format === 'csv') return importCsv(ctx, req, res, boardId, params)
  if (format === 'json') return importBackup(ctx, req, res)
  throw new HttpError(400, 'format must be csv or json')
}

async function importCsv(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, boardId: string, params: URLSearchParams): Promise<void> {
  const body = await readBody(req, MAX_CSV_BYTES)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new HttpError(400, 'the file is not UTF-8 text: save it as "CSV UTF-8"')
  }
  const lang = languageParam(params.get('lang'))
  const { view } = viewOf((await stateOf(ctx, boardId, null)).state)
  const { activities, errors } = readRegisterCsv(text, view, allLabels)
  if (errors.length) {
    const lines = errors.map((e) => ({ line: e.line, message: translate(lang, e.key, e.vars) }))
    throw new HttpError(422, `${errors.length} problem(s) in the file; nothing was imported`, { errors: lines })
  }
  if (!(await addActivities(ctx.boards, ctx.rooms, boardId, activities))) throw new HttpError(503, 'storage unavailable; nothing was imported')
  ctx.log.info('activities imported', { board: boardId, count: activities.length })
  json(res, 200, { added: activities.length })
}

async function importBackup(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'expected Content-Type: application/json')
  const body = await readBody(req, ctx.quotas.quotas.maxBackupBytes).catch((err) => {
    throw err instanceof HttpError && err.status === 413 ? ctx.quotas.backupTooLarge() : err
  })
  let backup
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    // Counted before the versions are decoded, which is the costly part of a restore.
    const versions = (parsed as { versions?: unknown } | null)?.versions
    if (Array.isArray(versions)) ctx.quotas.checkVersions(versions.length)
    backup = decodeBackup(parsed)
  } catch (err) {
    if (err instanceof BackupError) throw new HttpError(400, `not a Snurra backup: ${err.message}`)
    if (err instanceof SyntaxError) throw new HttpError(400, 'not valid JSON')
    throw err
  }
  // All of it checked before the board is made: a refused restore leaves nothing behind.
  for (const state of [backup.state, ...backup.versions.map((v) => v.state)]) ctx.quotas.checkBoardBytes(state.length)
  const info = await createBoardFromState(ctx.storage, backup.board, backup.state, backup.versions)
  ctx.log.info('board restored from backup', { board: info.id })
  json(res, 201, { id: info.id, links: ctx.newLinks(req, info.id) })
}
