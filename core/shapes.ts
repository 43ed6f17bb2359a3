import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { activityProps, type Activity } from './activity.ts'

/**
 * Snurra's custom tldraw shapes, defined once: the client's ShapeUtils and the server's schema
 * (which seeds boards and records the schema version in the document) both use these.
 */
export const CARD_TYPE = 'snurra-card'
export const SEGMENT_TYPE = 'snurra-segment'
export const CELL_TYPE = 'snurra-cell'

/** An activity card: its box plus the activity's fields (core/activity.ts). */
export const cardShapeProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  ...activityProps,
}

export interface CardShapeProps extends Activity {
  w: number
  h: number
}

export const CARD_SIZE = { w: 240, h: 150 } as const

export const SEGMENT_KINDS = ['center', 'task', 'path'] as const
export type SegmentKind = (typeof SEGMENT_KINDS)[number]

/**
 * One piece of the template circle: the centre, a main-task segment or an action-path segment
 * of the outer ring. Every segment's box is the square around its own ring, centred on the
 * circle's centre, so the geometry is just radii and angles.
 */
export const segmentShapeProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  kind: T.literalEnum(...SEGMENT_KINDS),
  refId: T.string,
  label: T.string,
  color: T.string,
  innerRadius: T.number,
  outerRadius: T.nonZeroNumber,
  /** Degrees, clockwise from 12 o'clock. */
  startAngle: T.number,
  endAngle: T.number,
}

export interface SegmentShapeProps {
  w: number
  h: number
  kind: SegmentKind
  refId: string
  label: string
  color: string
  innerRadius: number
  outerRadius: number
  startAngle: number
  endAngle: number
}

export const CELL_KINDS = ['corner', 'column', 'row', 'cell'] as const
export type CellKind = (typeof CELL_KINDS)[number]

/**
 * One rectangle of a matrix template (core/matrix.ts): a column header (a priority), a row
 * header (a sector) or a body cell where the two meet. `taskId`/`sectorId` are '' where they
 * do not apply.
 */
export const cellShapeProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  kind: T.literalEnum(...CELL_KINDS),
  taskId: T.string,
  sectorId: T.string,
  label: T.string,
  color: T.string,
}

export interface CellShapeProps {
  w: number
  h: number
  kind: CellKind
  taskId: string
  sectorId: string
  label: string
  color: string
}

export const customShapeSchemas = {
  [CARD_TYPE]: { props: cardShapeProps },
  [SEGMENT_TYPE]: { props: segmentShapeProps },
  [CELL_TYPE]: { props: cellShapeProps },
}

export function createSnurraSchema(): TLSchema {
  return createTLSchema({
    shapes: { ...defaultShapeSchemas, ...customShapeSchemas },
    bindings: defaultBindingSchemas,
  })
}
