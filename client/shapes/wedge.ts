/**
 * Geometry of one ring segment in the shape's own coordinates: the box is the square of side
 * 2·outerRadius, so the circle's centre is at (R, R). Angles are degrees clockwise from 12
 * o'clock, as in core/circle.ts.
 */
export interface WedgeSpec {
  innerRadius: number
  outerRadius: number
  startAngle: number
  endAngle: number
}

export interface Point {
  x: number
  y: number
}

export function polar(spec: WedgeSpec, radius: number, angle: number): Point {
  const a = (angle * Math.PI) / 180
  return { x: spec.outerRadius + radius * Math.sin(a), y: spec.outerRadius - radius * Math.cos(a) }
}

const sweepOf = (spec: WedgeSpec) => Math.min(360, Math.max(0, spec.endAngle - spec.startAngle))
const isFull = (spec: WedgeSpec) => sweepOf(spec) >= 359.999

/** SVG path data for the filled wedge (a disc or a ring when it goes all the way round). */
export function wedgePath(spec: WedgeSpec): string {
  const { innerRadius: r0, outerRadius: r1 } = spec
  const f = (n: number) => n.toFixed(2)
  if (isFull(spec)) {
    const circle = (r: number) => `M ${f(r1 - r)} ${f(r1)} a ${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0 a ${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0 Z`
    return r0 > 0 ? `${circle(r1)} ${circle(r0)}` : circle(r1)
  }
  const large = sweepOf(spec) > 180 ? 1 : 0
  const o0 = polar(spec, r1, spec.startAngle)
  const o1 = polar(spec, r1, spec.endAngle)
  let d = `M ${f(o0.x)} ${f(o0.y)} A ${f(r1)} ${f(r1)} 0 ${large} 1 ${f(o1.x)} ${f(o1.y)}`
  if (r0 > 0) {
    const i1 = polar(spec, r0, spec.endAngle)
    const i0 = polar(spec, r0, spec.startAngle)
    d += ` L ${f(i1.x)} ${f(i1.y)} A ${f(r0)} ${f(r0)} 0 ${large} 0 ${f(i0.x)} ${f(i0.y)}`
  } else {
    d += ` L ${f(spec.outerRadius)} ${f(spec.outerRadius)}`
  }
  return `${d} Z`
}

/** The wedge's outline as a polygon, for hit-testing and bounds (arcs in steps of ≤ 5°). */
export function wedgePolygon(spec: WedgeSpec): Point[] {
  const sweep = sweepOf(spec)
  const steps = Math.max(2, Math.ceil(sweep / 5))
  const arc = (radius: number, reverse: boolean) => {
    const out: Point[] = []
    for (let i = 0; i <= steps; i++) {
      const k = reverse ? steps - i : i
      out.push(polar(spec, radius, spec.startAngle + (sweep * k) / steps))
    }
    return out
  }
  const outer = arc(spec.outerRadius, false)
  if (spec.innerRadius <= 0) return isFull(spec) ? outer.slice(0, -1) : [...outer, { x: spec.outerRadius, y: spec.outerRadius }]
  return [...outer, ...arc(spec.innerRadius, true)]
}

/** Where a wedge's label goes: its centre point and the width a line of text may take. */
export function labelBox(spec: WedgeSpec): { center: Point; width: number; height: number } {
  const depth = spec.outerRadius - spec.innerRadius
  if (spec.innerRadius <= 0 && isFull(spec)) {
    return { center: { x: spec.outerRadius, y: spec.outerRadius }, width: spec.outerRadius * 1.6, height: spec.outerRadius * 1.4 }
  }
  const sweep = sweepOf(spec)
  const mid = spec.innerRadius + depth / 2
  const chord = 2 * mid * Math.sin((Math.min(sweep, 180) * Math.PI) / 360)
  return {
    center: polar(spec, mid, spec.startAngle + sweep / 2),
    width: Math.max(60, Math.min(chord * 0.8, depth * 1.6)),
    height: depth * 0.85,
  }
}
