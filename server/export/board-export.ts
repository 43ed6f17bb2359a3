import { encodeBackup } from '../../core/backup.ts'
import type { Delimiter } from '../../core/csv.ts'
import { exportFileNames, type FileNames } from '../../core/file-name.ts'
import { storedState, docFromState } from '../stored-doc.ts'
import { readBoardView, type BoardView } from '../../core/board-view.ts'
import { readFacilitation } from '../../core/facilitation.ts'
import type { Storage } from '../storage/storage.ts'
import type { Language } from './labels.ts'
import { registerCsv, registerXlsx } from './register-files.ts'
import { reportHtml } from '../report/html.ts'
import { reportFromState } from '../report/report-data.ts'

/**
 * One board (or one of its versions) as a file: what the export route sends and the CLI
 * writes, made in one place. CSV and XLSX are the register, JSON the backup, PDF and HTML the
 * report document.
 */
export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'pdf' | 'html'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'pdf', 'html']

export interface ExportRequest {
  format: ExportFormat
  lang: Language
  delimiter: Delimiter
  /** A named version's id; absent for the board as it is now. */
  versionId?: string | null
}

export interface ExportFile extends FileNames {
  body: string | Buffer
  contentType: string
}

export class ExportError extends Error {}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
}

export async function exportBoardFile(storage: Storage, boardId: string, req: ExportRequest, now = new Date()): Promise<ExportFile> {
  const board = await storage.getBoard(boardId)
  if (!board) throw new ExportError('no such board')
  const { state, versionName } = await boardOrVersionState(storage, boardId, req.versionId ?? null)
  const date = now.toISOString().slice(0, 10)
  const names = exportFileNames(versionName ? [board.title, versionName] : [board.title], date, req.format)
  let body: string | Buffer
  if (req.format === 'pdf' || req.format === 'html') {
    const model = reportFromState(state, req.lang, date, versionName)
    if (!model) throw new ExportError('the board has no meta')
    // PDFKit and its fonts load on the first PDF, not with the server.
    body = req.format === 'pdf' ? await (await import('../report/pdf.ts')).reportPdf(model, now) : reportHtml(model)
  } else if (req.format === 'json') {
    const versions = versionName === null ? await versionStates(storage, boardId) : []
    body = JSON.stringify(encodeBackup({ id: board.id, title: board.title, templateId: board.templateId, createdAt: board.createdAt }, state, versions, now))
  } else {
    const { view, votes } = viewOf(state)
    body = req.format === 'csv' ? registerCsv(view, votes, req.lang, req.delimiter) : await registerXlsx(view, votes, req.lang)
  }
  return { body, contentType: TYPES[req.format], ...names }
}

/** A board's state now, or of one of its named versions ('current' means now). */
export async function boardOrVersionState(storage: Storage, boardId: string, versionId: string | null): Promise<{ state: Uint8Array; versionName: string | null }> {
  if (versionId === null || versionId === 'current') return { state: await storedState(storage, boardId), versionName: null }
  const version = await storage.getVersion(boardId, versionId)
  if (!version) throw new ExportError('no such version')
  return { state: version.state, versionName: version.info.name }
}

/** The board as plain data plus the last vote's public results. */
export function viewOf(state: Uint8Array): { view: BoardView; votes: Record<string, number> } {
  const doc = docFromState(state)
  try {
    const view = readBoardView(doc)
    if (!view) throw new ExportError('the board has no meta')
    return { view, votes: readFacilitation(doc).vote.results }
  } finally {
    doc.destroy()
  }
}

export async function versionStates(storage: Storage, boardId: string): Promise<{ id: string; name: string; createdAt: number; state: Uint8Array }[]> {
  const out = []
  for (const info of await storage.listVersions(boardId)) {
    const v = await storage.getVersion(boardId, info.id)
    if (v) out.push({ ...info, state: v.state })
  }
  return out
}
