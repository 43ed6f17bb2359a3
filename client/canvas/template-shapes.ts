import type { Editor, TLShape, VecLike } from 'tldraw'
import { segmentAt } from '../../core/circle.ts'
import { matrixAt } from '../../core/matrix.ts'
import { CARD_TYPE, CELL_TYPE, SEGMENT_TYPE } from '../../core/shapes.ts'
import type { CellShape } from '../shapes/CellShapeUtil.tsx'
import type { CardShape, SegmentShape } from '../shapes/types.ts'

/**
 * The template layer as the editor has it: the circle's segments or the matrix's cells. Read
 * from the store rather than from the document, so what a gesture hits is what is drawn.
 */
export function segmentShapes(editor: Editor): SegmentShape[] {
  return editor.getCurrentPageShapes().filter((s): s is SegmentShape => s.type === SEGMENT_TYPE)
}

export function cellShapes(editor: Editor): CellShape[] {
  return editor.getCurrentPageShapes().filter((s): s is CellShape => s.type === CELL_TYPE)
}

export const isCard = (shape: TLShape | undefined): shape is CardShape => shape?.type === CARD_TYPE

/** What a page point lies in: a main task (or a matrix column's priority), a sector row, an action path. */
export interface Placement {
  taskId: string | null
  sectorId: string | null
  pathId: string | null
}

export function placementAt(editor: Editor, point: VecLike): Placement {
  const segment = segmentAt(point, segmentShapes(editor).map((s) => s.props))
  if (segment) return { taskId: segment.kind === 'task' ? segment.refId : null, sectorId: null, pathId: segment.kind === 'path' ? segment.refId : null }
  const cells = cellShapes(editor).map((c) => ({ x: c.x, y: c.y, ...c.props }))
  return { ...matrixAt(point, cells), pathId: null }
}

/** The template's names of tasks, paths and sectors, as drawn. */
export interface TemplateNames {
  task(id: string): string
  path(id: string): string
  sector(id: string): string
  /** 'matrix' when the tasks are a matrix's priorities. */
  layout: 'circle' | 'matrix' | 'none'
}

export function templateNames(editor: Editor): TemplateNames {
  const tasks = new Map<string, string>()
  const paths = new Map<string, string>()
  const sectors = new Map<string, string>()
  const segments = segmentShapes(editor)
  const cells = cellShapes(editor)
  for (const s of segments) (s.props.kind === 'task' ? tasks : s.props.kind === 'path' ? paths : new Map()).set(s.props.refId, s.props.label)
  for (const c of cells) {
    if (c.props.kind === 'column') tasks.set(c.props.taskId, c.props.label)
    if (c.props.kind === 'row') sectors.set(c.props.sectorId, c.props.label)
  }
  return {
    task: (id) => tasks.get(id) ?? id,
    path: (id) => paths.get(id) ?? id,
    sector: (id) => sectors.get(id) ?? id,
    layout: segments.length ? 'circle' : cells.length ? 'matrix' : 'none',
  }
}

export function cardCenter(editor: Editor, shape: TLShape): VecLike | null {
  return editor.getShapePageBounds(shape)?.center ?? null
}
