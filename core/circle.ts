import { getIndexBelow, type IndexKey } from '@tldraw/utils'
import type { ActionPath } from './board-meta.ts'
import type { JsonRecord } from './record-store.ts'
import { SEGMENT_TYPE, type SegmentKind, type SegmentShapeProps } from './shapes.ts'
import type { Template } from './template.ts'

/** The activity circle's geometry, in page coordinates around (0, 0). */
export const CIRCLE = { centerRadius: 170, taskRadius: 470, pathRadius: 620 } as const

export const PAGE_ID = 'page:page'
export const DOCUMENT_ID = 'document:document'

export const segmentId = (kind: SegmentKind, refId: string) => `shape:${kind}-${refId}`

export interface SegmentSpec {
  id: string
  props: SegmentShapeProps
}

function segment(kind: SegmentKind, refId: string, label: string, color: string, inner: number, outer: number, start: number, end: number): SegmentSpec {
  return {
    id: segmentId(kind, refId),
    props: {
      w: outer * 2,
      h: outer * 2,
      kind,
      refId,
      label,
      color,
      innerRadius: inner,
      outerRadius: outer,
      startAngle: start,
      endAngle: end,
    },
  }
}

/** Every segment the template and its action paths call for, in drawing order. */
export function circleSegments(template: Template, paths: ActionPath[]): SegmentSpec[] {
  if (template.layout !== 'circle') return []
  const out: SegmentSpec[] = [segment('center', 'center', template.title, '#ffffff', 0, CIRCLE.centerRadius, 0, 360)]
  const taskStep = 360 / template.tasks.length
  template.tasks.forEach((task, i) => {
    out.push(segment('task', task.id, task.label, task.color, CIRCLE.centerRadius, CIRCLE.taskRadius, i * taskStep, (i + 1) * taskStep))
  })
  const pathStep = paths.length ? 360 / paths.length : 0
  paths.forEach((path, i) => {
    out.push(segment('path', path.id, path.label, '#4a4f57', CIRCLE.taskRadius, CIRCLE.pathRadius, i * pathStep, (i + 1) * pathStep))
  })
  return out
}

/**
 * A full tldraw shape record for a segment. The template layer is locked (only the
 * facilitator's setup writes it) and sits below every card: `index` comes from the caller,
 * below the lowest index on the page.
 */
export function segmentRecord(spec: SegmentSpec, index: IndexKey): JsonRecord {
  return {
    id: spec.id,
    typeName: 'shape',
    type: SEGMENT_TYPE,
    parentId: PAGE_ID,
    index,
    x: -spec.props.outerRadius,
    y: -spec.props.outerRadius,
    rotation: 0,
    isLocked: true,
    opacity: 1,
    meta: { template: true },
    props: { ...spec.props },
  }
}

/** An index below every one given, so new template pieces never cover existing cards. */
export function indexBelowAll(indices: Iterable<string>): IndexKey {
  let lowest: string | null = null
  for (const index of indices) if (lowest === null || index < lowest) lowest = index
  return getIndexBelow(lowest as IndexKey | null)
}
