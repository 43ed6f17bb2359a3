import type { IndexKey } from '@tldraw/utils'
import type { JsonRecord } from './record-store.ts'
import { templateShapeRecord } from './template-record.ts'
import { CELL_TYPE, type CellKind, type CellShapeProps } from './shapes.ts'
import type { Template } from './template.ts'

/**
 * The matrix template layer: rows are the board's sectors, columns are the template's tasks
 * (Borlänge's priorities). Page coordinates, top-left corner at (0, 0). Cards are placed in
 * the body cells; a card in a column hits that priority, as a card in a task segment of the
 * circle hits that task.
 */
export const MATRIX = { headerHeight: 190, rowHeaderWidth: 320, columnWidth: 320, rowHeight: 420 } as const

export interface CellSpec {
  id: string
  x: number
  y: number
  props: CellShapeProps
}

/** What hit-testing needs of a cell: its page rectangle and what it stands for. */
export interface CellGeometry {
  x: number
  y: number
  w: number
  h: number
  kind: CellKind
  taskId: string
  sectorId: string
}

// '+' cannot occur in a template id, so a body cell's id is unambiguous.
export const cellId = (kind: CellKind, sectorId: string, taskId: string): string =>
  kind === 'corner' ? 'shape:matrix-corner' : kind === 'column' ? `shape:matrix-column-${taskId}` : kind === 'row' ? `shape:matrix-row-${sectorId}` : `shape:matrix-cell-${sectorId}+${taskId}`

function cell(kind: CellKind, x: number, y: number, w: number, h: number, taskId: string, sectorId: string, label: string, color: string): CellSpec {
  return { id: cellId(kind, sectorId, taskId), x, y, props: { w, h, kind, taskId, sectorId, label, color } }
}

/** Every cell the template calls for: the corner, one header per column and per row, and the body. */
export function matrixCells(template: Template): CellSpec[] {
  if (template.layout !== 'matrix') return []
  const { headerHeight, rowHeaderWidth, columnWidth, rowHeight } = MATRIX
  const out: CellSpec[] = [cell('corner', 0, 0, rowHeaderWidth, headerHeight, '', '', template.title, '#ffffff')]
  template.tasks.forEach((task, j) => {
    out.push(cell('column', rowHeaderWidth + j * columnWidth, 0, columnWidth, headerHeight, task.id, '', task.label, task.color))
  })
  template.sectors.forEach((sector, i) => {
    const y = headerHeight + i * rowHeight
    out.push(cell('row', 0, y, rowHeaderWidth, rowHeight, '', sector.id, sector.label, sector.color))
    template.tasks.forEach((task, j) => {
      out.push(cell('cell', rowHeaderWidth + j * columnWidth, y, columnWidth, rowHeight, task.id, sector.id, '', task.color))
    })
  })
  return out
}

/** The template-layer record of a cell. */
export function cellRecord(spec: CellSpec, index: IndexKey): JsonRecord {
  return templateShapeRecord(spec.id, CELL_TYPE, { x: spec.x, y: spec.y }, { ...spec.props }, index)
}

/**
 * What a page point means on the matrix: the column's task (body or header) and the row's
 * sector (body or header). Right and bottom edges belong to the next cell.
 */
export function matrixAt(point: { x: number; y: number }, cells: readonly CellGeometry[]): { taskId: string | null; sectorId: string | null } {
  for (const c of cells) {
    if (point.x < c.x || point.x >= c.x + c.w || point.y < c.y || point.y >= c.y + c.h) continue
    return { taskId: c.taskId || null, sectorId: c.sectorId || null }
  }
  return { taskId: null, sectorId: null }
}
