import { getIndexBelow, type IndexKey } from '@tldraw/utils'
import type { ActionPath } from './board-meta.ts'
import type { JsonRecord } from './record-store.ts'
import { templateShapeRecord } from './template-record.ts'
import { SEGMENT_TYPE, type SegmentKind, type SegmentShapeProps } from './shapes.ts'
import type { Template } from './template.ts'

export { PAGE_ID } from './template-record.ts'
export const DOCUMENT_ID = 'document:document'

/**
 * The activity circle's geometry, in page coordinates around (0, 0). Angles are degrees
 * clockwise from 12 o'clock.
 *
 * Action paths live in rings outside the main tasks. A path nested under a main task is drawn
 * in the first ring, inside that task's angle range (the task's range is shared evenly by its
 * nested paths). Paths that stand across all main tasks share the whole of the outermost ring.
 * With no nested paths there is only one ring, right outside the tasks.
 */
export const CIRCLE = { centerRadius: 170, taskRadius: 470, ringDepth: 190 } as const

/** Fill of an action path's segment before the client colours it by coverage. */
export const PATH_COLOR = '#4a4f57'

export const segmentId = (kind: SegmentKind, refId: string) => `shape:${kind}-${refId}`

export interface SegmentSpec {
  id: string
  props: SegmentShapeProps
}

/** What hit-testing and anchoring need of a segment (its props, or the spec's). */
export type SegmentGeometry = Pick<SegmentShapeProps, 'kind' | 'refId' | 'innerRadius' | 'outerRadius' | 'startAngle' | 'endAngle'>

function segment(kind: SegmentKind, refId: string, label: string, color: string, inner: number, outer: number, start: number, end: number): SegmentSpec {
  return {
    id: segmentId(kind, refId),
    props: { w: outer * 2, h: outer * 2, kind, refId, label, color, innerRadius: inner, outerRadius: outer, startAngle: start, endAngle: end },
  }
}

/** Every segment the template and its action paths call for, in drawing order. */
export function circleSegments(template: Template, paths: ActionPath[]): SegmentSpec[] {
  if (template.layout !== 'circle') return []
  const { centerRadius, taskRadius, ringDepth } = CIRCLE
  const out: SegmentSpec[] = [segment('center', 'center', template.title, '#ffffff', 0, centerRadius, 0, 360)]
  const taskStep = 360 / template.tasks.length
  template.tasks.forEach((task, i) => {
    out.push(segment('task', task.id, task.label, task.color, centerRadius, taskRadius, i * taskStep, (i + 1) * taskStep))
  })

  // A path nested under a task that is not in the template (an edited template) stands across all.
  const nestedUnder = (p: ActionPath) => (p.taskId && template.tasks.some((t) => t.id === p.taskId) ? p.taskId : null)
  const general = paths.filter((p) => !nestedUnder(p))
  const hasNested = general.length < paths.length
  template.tasks.forEach((task, i) => {
    const nested = paths.filter((p) => nestedUnder(p) === task.id)
    const step = taskStep / Math.max(1, nested.length)
    nested.forEach((path, j) => {
      const start = i * taskStep + j * step
      out.push(segment('path', path.id, path.label, task.color, taskRadius, taskRadius + ringDepth, start, start + step))
    })
  })
  const inner = hasNested ? taskRadius + ringDepth : taskRadius
  const step = general.length ? 360 / general.length : 0
  general.forEach((path, i) => {
    out.push(segment('path', path.id, path.label, PATH_COLOR, inner, inner + ringDepth, i * step, (i + 1) * step))
  })
  return out
}

/** The template-layer record of a segment: its box is the square around its ring. */
export function segmentRecord(spec: SegmentSpec, index: IndexKey): JsonRecord {
  const r = spec.props.outerRadius
  return templateShapeRecord(spec.id, SEGMENT_TYPE, { x: -r, y: -r }, { ...spec.props }, index)
}

/** Angle of a page point around the circle's centre, in [0, 360), clockwise from 12 o'clock. */
export function angleOf(point: { x: number; y: number }): number {
  const degrees = (Math.atan2(point.x, -point.y) * 180) / Math.PI
  return (degrees + 360) % 360
}

/**
 * The segment under a page point (the circle is centred on (0, 0)), or null. Each segment owns
 * its start angle and inner radius, so a point on a border belongs to exactly one segment.
 */
export function segmentAt<S extends SegmentGeometry>(point: { x: number; y: number }, segments: readonly S[]): S | null {
  const radius = Math.hypot(point.x, point.y)
  const angle = angleOf(point)
  for (const s of segments) {
    if (radius < s.innerRadius || radius >= s.outerRadius) continue
    if (s.endAngle - s.startAngle >= 360 || (angle >= s.startAngle && angle < s.endAngle)) return s
  }
  return null
}

/**
 * Where a connection line meets a segment: just inside its inner edge, at `angle` (the client
 * passes the angle its label is drawn at), by default the middle.
 */
export function segmentAnchor(s: SegmentGeometry, at = (s.startAngle + s.endAngle) / 2): { x: number; y: number } {
  const angle = (at * Math.PI) / 180
  const radius = s.innerRadius + Math.min(24, (s.outerRadius - s.innerRadius) / 4)
  return { x: radius * Math.sin(angle), y: -radius * Math.cos(angle) }
}

/** An index below every one given, so new template pieces never cover existing cards. */
export function indexBelowAll(indices: Iterable<string>): IndexKey {
  let lowest: string | null = null
  for (const index of indices) if (lowest === null || index < lowest) lowest = index
  return getIndexBelow(lowest as IndexKey | null)
}
