import type { Editor, TLShapeId } from 'tldraw'
import { activityFromRecord } from '../../core/board-view.ts'
import type { JsonRecord } from '../../core/record-store.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { labelsAtom } from '../activity/board-labels.ts'
import type { Translate } from '../i18n/I18nProvider.tsx'
import { composePicture, serializeSvg, type Picture } from './compose.ts'
import { exportFileName } from './file-name.ts'
import { legendModel } from './legend-model.ts'
import { pictureToPng } from './to-png.ts'

/** PDF is the server's report document (ReportSection), not a picture made here. */
export type PictureFormat = 'png' | 'svg'
export const PICTURE_FORMATS: PictureFormat[] = ['png', 'svg']
export type PictureScope = 'board' | 'selection'

export interface PictureRequest {
  format: PictureFormat
  scope: PictureScope
}

export interface PictureContext {
  title: string
  /** The template's source line for the header, if the board has one. */
  source?: string
  lang: 'sv' | 'en'
  t: Translate
}

/** Thrown when there is nothing to draw (an empty board or selection); the dialog says so. */
export class NothingToExport extends Error {
  constructor() {
    super('nothing to export')
  }
}

/** The selected shapes and everything inside them (a frame or group brings its cards). */
function withDescendants(editor: Editor, ids: TLShapeId[]): Set<TLShapeId> {
  const out = new Set<TLShapeId>()
  const visit = (id: TLShapeId) => {
    out.add(id)
    for (const child of editor.getSortedChildIdsForParent(id)) visit(child)
  }
  ids.forEach(visit)
  return out
}

/** The board (or the selection) as tldraw's SVG, with the legend and header composed around it. */
export async function composeBoardPicture(editor: Editor, scope: PictureScope, ctx: PictureContext, date: Date): Promise<Picture> {
  const ids = scope === 'selection' ? editor.getSelectedShapeIds() : editor.getSortedChildIdsForParent(editor.getCurrentPageId())
  if (ids.length === 0) throw new NothingToExport()
  const result = await editor.getSvgElement(ids, { background: false, padding: 24, darkMode: false })
  if (!result) throw new NothingToExport()
  // tldraw unmounts its export root on the next tick: take our own copy now.
  const board = { svg: result.svg.cloneNode(true) as SVGSVGElement, width: result.width, height: result.height }

  const cards = editor.getCurrentPageShapes().filter((s) => s.type === CARD_TYPE)
  const activities = cards.map((s) => activityFromRecord(s as unknown as JsonRecord))
  const inScope = scope === 'selection' ? withDescendants(editor, ids) : null
  const labels = labelsAtom(editor.store).get()
  const model = legendModel(
    {
      title: ctx.title,
      date,
      source: ctx.source,
      tasks: labels.tasks,
      paths: labels.paths,
      activities,
      selectedActivities: inScope ? cards.filter((c) => inScope.has(c.id)).length : undefined,
    },
    ctx.t,
  )
  return composePicture(board, model)
}

/** Makes the file: the composed SVG as is, or drawn to PNG. */
export async function exportPicture(editor: Editor, request: PictureRequest, ctx: PictureContext): Promise<{ blob: Blob; fileName: string }> {
  const date = new Date()
  const picture = await composeBoardPicture(editor, request.scope, ctx, date)
  const fileName = exportFileName(ctx.title, date, request.format)
  if (request.format === 'svg') {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${serializeSvg(picture.svg)}`
    return { blob: new Blob([text], { type: 'image/svg+xml;charset=utf-8' }), fileName }
  }
  return { blob: await pictureToPng(picture), fileName }
}
