import { HttpError } from '../http-util.ts'
import { boardOrVersionState, ExportError } from '../export/board-export.ts'
import type { ApiContext } from './context.ts'

export { viewOf } from '../export/board-export.ts'

/** A board's state now, or of one of its named versions; 404 for an unknown version. */
export async function stateOf(ctx: ApiContext, boardId: string, versionId: string | null): Promise<{ state: Uint8Array; versionName: string | null }> {
  try {
    return await boardOrVersionState(ctx.storage, boardId, versionId)
  } catch (err) {
    if (err instanceof ExportError) throw new HttpError(404, err.message)
    throw err
  }
}
