import { angleOf } from './circle.ts'
import type { SegmentKind, SegmentShapeProps } from './shapes.ts'
import { wedgeLayout, type WedgeLayout } from './wedge.ts'

// Sizes in page units; at 100% zoom these are CSS pixels, so labels stay readable.
export const FONT: Record<SegmentKind, { max: number; min: number; weight: number }> = {
  center: { max: 26, min: 14, weight: 700 },
  task: { max: 22, min: 14, weight: 700 },
  path: { max: 16, min: 13, weight: 600 },
}
export const BADGE_HEIGHT = 28

const cache = new WeakMap<SegmentShapeProps, WedgeLayout>()

/** Where a segment's label and count go (memoised per props object: tldraw keeps it until it changes). */
export function layoutOf(props: SegmentShapeProps): WedgeLayout {
  let layout = cache.get(props)
  if (!layout) {
    layout = wedgeLayout(props, props.label, FONT[props.kind], { height: BADGE_HEIGHT, onRim: props.kind === 'path' })
    cache.set(props, layout)
  }
  return layout
}

/** The angle the label sits at, so a connection line points at the name it connects to. */
export function labelAngle(props: SegmentShapeProps): number {
  const { center } = layoutOf(props)
  return angleOf({ x: center.x - props.outerRadius, y: center.y - props.outerRadius })
}
