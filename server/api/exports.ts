import type { ServerResponse } from 'node:http'
import { HttpError } from '../http-util.ts'
import { EXPORT_FORMATS, ExportError, exportBoardFile, type ExportFormat } from '../export/board-export.ts'
import { languageParam } from '../export/labels.ts'
import { attachment, type ApiContext } from './context.ts'

/**
 * `GET /api/boards/<id>/export?format=csv|xlsx|json|pdf|html&token=…[&lang=sv|en]
 * [&delimiter=semicolon][&version=<id>]`: the activity register, the whole board as a JSON
 * backup, or the report document. Any role.
 */
export async function exportBoard(ctx: ApiContext, res: ServerResponse, boardId: string, params: URLSearchParams): Promise<void> {
  await ctx.authorize(boardId, params.get('token'))
  const format = params.get('format') ?? 'csv'
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new HttpError(400, `format must be one of ${EXPORT_FORMATS.join(', ')}`)
  const delimiter = params.get('delimiter') ?? 'comma'
  if (delimiter !== 'comma' && delimiter !== 'semicolon') throw new HttpError(400, 'delimiter must be comma or semicolon')
  let file
  try {
    file = await exportBoardFile(ctx.storage, boardId, {
      format: format as ExportFormat,
      lang: languageParam(params.get('lang')),
      delimiter: delimiter === 'semicolon' ? ';' : ',',
      versionId: params.get('version'),
    })
  } catch (err) {
    if (err instanceof ExportError) throw new HttpError(404, err.message)
    throw err
  }
  ctx.log.info('board exported', { board: boardId, format })
  attachment(res, file.body, file.contentType, file.fileName, file.asciiFileName)
}
