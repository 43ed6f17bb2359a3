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

export function polar(spec: WedgeSpec, radius: number, angle: number, center = spec.outerRadius): Point {
  const a = (angle * Math.PI) / 180
  return { x: center + radius * Math.sin(a), y: center - radius * Math.cos(a) }
}

const sweepOf = (spec: WedgeSpec) => Math.min(360, Math.max(0, spec.endAngle - spec.startAngle))
const isFull = (spec: WedgeSpec) => sweepOf(spec) >= 359.999

/**
 * SVG path data for the filled wedge (a disc or a ring when it goes all the way round).
 * `center` is where the circle's centre is in the shape: (R, R) for the wedge itself; a band
 * drawn inside a wedge (narrower radii) passes the wedge's own R.
 */
export function wedgePath(spec: WedgeSpec, center = spec.outerRadius): string {
  const { innerRadius: r0, outerRadius: r1 } = spec
  const f = (n: number) => n.toFixed(2)
  if (isFull(spec)) {
    const circle = (r: number) => `M ${f(center - r)} ${f(center)} a ${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0 a ${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0 Z`
    return r0 > 0 ? `${circle(r1)} ${circle(r0)}` : circle(r1)
  }
  const large = sweepOf(spec) > 180 ? 1 : 0
  const o0 = polar(spec, r1, spec.startAngle, center)
  const o1 = polar(spec, r1, spec.endAngle, center)
  let d = `M ${f(o0.x)} ${f(o0.y)} A ${f(r1)} ${f(r1)} 0 ${large} 1 ${f(o1.x)} ${f(o1.y)}`
  if (r0 > 0) {
    const i1 = polar(spec, r0, spec.endAngle, center)
    const i0 = polar(spec, r0, spec.startAngle, center)
    d += ` L ${f(i1.x)} ${f(i1.y)} A ${f(r0)} ${f(r0)} 0 ${large} 0 ${f(i0.x)} ${f(i0.y)}`
  } else {
    d += ` L ${f(center)} ${f(center)}`
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

/** Where a wedge's label and its count badge go, in the shape's own coordinates. */
export interface WedgeLayout {
  center: Point
  width: number
  height: number
  fontSize: number
  /** Lines the label may take; more is cut with an ellipsis (the full name is in the tooltip). */
  maxLines: number
  /** Centre of the count badge; null for the centre disc, which has no count. */
  badge: Point | null
}

const LINE = 1.2

/**
 * Fits a horizontal label into a wedge. The label sits in the inner part of the wedge and the
 * count badge near its outer edge, both on the middle angle. Near the label the wedge is
 * roughly a rectangle (chord × depth) turned by the middle angle; the largest upright box
 * inside it depends on that angle (at 3 o'clock a ring is as wide as it is deep, at 12 as wide
 * as its chord). Tries font sizes from `maxFont` down and line counts up until the words fit.
 */
export function wedgeLayout(spec: WedgeSpec, text: string, font: { max: number; min: number }, badge: { height: number; onRim: boolean }): WedgeLayout {
  if (spec.innerRadius <= 0 && isFull(spec)) {
    const width = spec.outerRadius * 1.6
    return { center: { x: spec.outerRadius, y: spec.outerRadius }, width, height: spec.outerRadius * 1.4, fontSize: fitFont(text, font.max, width), maxLines: 6, badge: null }
  }
  // A wide segment may have more room for upright text nearer 12 or 6 o'clock than at its
  // middle; try those angles too and keep the middle unless another fits clearly better.
  const sweep = sweepOf(spec)
  const middle = spec.startAngle + sweep / 2
  const margin = Math.min(sweep / 2, 25)
  const clamp = (angle: number) => Math.min(spec.endAngle - margin, Math.max(spec.startAngle + margin, angle))
  const candidates = [middle, ...[0, 180, 360].map(clamp)]
  let best: Fit | null = null
  for (const angle of candidates) {
    const fit = fitAt(spec, text, font, badge, angle, 2 * Math.min(angle - spec.startAngle, spec.endAngle - angle))
    if (!best || better(fit, best)) best = fit
  }
  return best!.layout
}

interface Fit {
  fits: boolean
  layout: WedgeLayout
}

const better = (a: Fit, b: Fit) =>
  a.fits !== b.fits ? a.fits : a.layout.fontSize !== b.layout.fontSize ? a.layout.fontSize > b.layout.fontSize : a.layout.maxLines < b.layout.maxLines

/** The label laid out at one angle, with `sweep` degrees of the wedge around it. */
function fitAt(spec: WedgeSpec, text: string, font: { max: number; min: number }, badge: { height: number; onRim: boolean }, angle: number, sweep: number): Fit {
  // A badge on the rim straddles the outer edge, leaving the ring's depth to the label.
  const badgeRadius = badge.onRim ? spec.outerRadius - 4 : spec.outerRadius - badge.height / 2 - 8
  const top = spec.innerRadius + 8
  const depth = Math.max(20, badgeRadius - badge.height / 2 - 6 - top)
  const radius = top + depth / 2
  const chord = sweep >= 180 ? 2 * radius * 0.8 : 2 * (top + depth * 0.25) * Math.sin((sweep * Math.PI) / 360) - 12
  const a = (angle * Math.PI) / 180
  const sin = Math.abs(Math.sin(a))
  const cos = Math.abs(Math.cos(a))
  const widthFor = (h: number) => Math.min(cos > 0.02 ? (chord - h * sin) / cos : Infinity, sin > 0.02 ? (depth - h * cos) / sin : Infinity)
  const place = (fontSize: number, width: number, lines: number): WedgeLayout => ({
    center: polar(spec, radius, angle),
    width,
    height: lines * fontSize * LINE,
    fontSize,
    maxLines: lines,
    badge: polar(spec, badgeRadius, angle),
  })

  for (let size = font.max; size >= font.min; size--) {
    for (let lines = 1; lines <= 8; lines++) {
      const width = widthFor(lines * size * LINE)
      if (width < size * 3) break
      if (fitFont(text, size, width) >= size && wrapCount(text, size, width) <= lines) return { fits: true, layout: place(size, width, lines) }
    }
  }
  // Does not fit at the smallest size: take the box with the most room and cut the text.
  let lines = 1
  while (lines < 8 && widthFor((lines + 1) * font.min * LINE) >= font.min * 8) lines++
  return { fits: false, layout: place(font.min, Math.max(font.min * 6, widthFor(lines * font.min * LINE)), lines) }
}

/** Estimated glyph width: bold sans-serif averages a little over half an em; a long word is judged wider, as it must not break. */
const EM = 0.58
const EM_WORD = 0.64

function wrapCount(text: string, size: number, width: number): number {
  const perLine = Math.max(1, Math.floor(width / (size * EM)))
  let lines = 1
  let used = 0
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (used === 0) used = word.length
    else if (used + 1 + word.length <= perLine) used += 1 + word.length
    else {
      lines++
      used = word.length
    }
  }
  return lines
}

/** The largest size up to `max` at which the longest word fits on one line. */
function fitFont(text: string, max: number, width: number): number {
  const longest = Math.max(1, ...text.split(/\s+/).map((w) => w.length))
  return Math.min(max, Math.floor(width / (longest * EM_WORD)))
}
