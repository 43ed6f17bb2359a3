import { HTMLContainer, Polygon2d, useEditor, useValue, Vec, type Geometry2d } from 'tldraw'
import { TemplateShapeUtil } from './TemplateShapeUtil.ts'
import { PATH_COLOR } from '../../core/circle.ts'
import { SEGMENT_TYPE, segmentShapeProps, type SegmentKind, type SegmentShapeProps } from '../../core/shapes.ts'
import { layerCounts } from '../canvas/counts.ts'
import { heatFor } from '../canvas/heat.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { SegmentShape } from './types.ts'
import { BADGE_HEIGHT, FONT, layoutOf } from './segment-layout.ts'
import { wedgePath, wedgePolygon, type WedgeLayout } from './wedge.ts'
import { textColorOn, wrapText } from './wrap-text.ts'

const HATCH_ID = 'snurra-uncovered-hatch'
/** Width of the band in the task's colour along the inner edge of a nested path. */
const BAND = 10

/** The fill a segment shows: its own colour, or for an action path the heat of its count. */
function look(props: SegmentShapeProps, count: number) {
  if (props.kind !== 'path') return { fill: props.color, text: textColorOn(props.color), uncovered: false }
  const heat = heatFor(count)
  return { fill: count === 0 ? `url(#${HATCH_ID})` : heat.fill, text: heat.text, uncovered: count === 0 }
}

/**
 * One piece of the template circle. Written only by core's setup code (locked records with
 * meta.template), so it cannot be resized, rotated, edited or snapped to. Tasks and paths show
 * their live count; paths are coloured by it, and a path no activity hits is hatched.
 */
export class SegmentShapeUtil extends TemplateShapeUtil<SegmentShape> {
  static override type = SEGMENT_TYPE
  static override props = segmentShapeProps

  getDefaultProps(): SegmentShape['props'] {
    return { w: 200, h: 200, kind: 'task', refId: '', label: '', color: PATH_COLOR, innerRadius: 0, outerRadius: 100, startAngle: 0, endAngle: 90 }
  }

  getGeometry(shape: SegmentShape): Geometry2d {
    return new Polygon2d({ points: wedgePolygon(shape.props).map((p) => new Vec(p.x, p.y)), isFilled: true })
  }

  override isAspectRatioLocked() {
    return true
  }

  override getCanvasSvgDefs() {
    return [{ key: HATCH_ID, component: Hatch }]
  }

  // On screen the label is HTML, so the browser wraps it and it reads as one piece of text;
  // exports get the SVG version with estimated line breaks.
  component(shape: SegmentShape) {
    return <SegmentView shape={shape} />
  }

  override toSvg(shape: SegmentShape) {
    const counts = layerCounts(this.editor).get()
    const count = shape.props.kind === 'task' ? counts.tasks.get(shape.props.refId) : shape.props.kind === 'path' ? counts.paths.get(shape.props.refId) : undefined
    return <SegmentGraphic props={shape.props} count={count ?? 0} />
  }

  getIndicatorPath(shape: SegmentShape) {
    return new Path2D(wedgePath(shape.props))
  }
}

function Hatch() {
  return (
    <pattern id={HATCH_ID} width="12" height="12" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="12" height="12" fill="#eef0f3" />
      <rect width="4" height="12" fill="#c3c8cf" />
    </pattern>
  )
}

function Wedge({ props, fill, uncovered }: { props: SegmentShapeProps; fill: string; uncovered: boolean }) {
  const nested = props.kind === 'path' && props.color !== PATH_COLOR
  const stroke = props.kind === 'center' ? '#4a4f57' : '#ffffff'
  const R = props.outerRadius
  return (
    <>
      <path d={wedgePath(props)} fill={fill} fillRule="evenodd" stroke={stroke} strokeWidth={props.kind === 'center' ? 3 : 4} />
      {uncovered && <path d={wedgePath({ ...props, innerRadius: props.innerRadius + 4, outerRadius: R - 4 }, R)} fill="none" stroke="#4a4f57" strokeWidth={2} strokeDasharray="8 6" />}
      {nested && <path d={wedgePath({ ...props, outerRadius: props.innerRadius + BAND }, R)} fill={props.color} stroke="#ffffff" strokeWidth={2} />}
    </>
  )
}

function SegmentView({ shape }: { shape: SegmentShape }) {
  const { props } = shape
  const editor = useEditor()
  const t = useT()
  const count = useValue(
    'segment count',
    () => {
      const counts = layerCounts(editor).get()
      return props.kind === 'task' ? counts.tasks.get(props.refId) : props.kind === 'path' ? counts.paths.get(props.refId) : undefined
    },
    [editor, props.kind, props.refId],
  )
  const layout = layoutOf(props)
  const { fill, text, uncovered } = look(props, count ?? 0)
  return (
    <HTMLContainer className="snurra-segment" data-kind={props.kind} data-ref={props.refId} data-count={count ?? undefined}>
      <svg className="snurra-segment__wedge" width={props.w} height={props.h} aria-hidden="true">
        <Wedge props={props} fill={fill} uncovered={uncovered} />
      </svg>
      <div
        className="snurra-segment__label"
        style={{
          left: layout.center.x - layout.width / 2,
          top: layout.center.y - layout.height / 2,
          width: layout.width,
          height: layout.height,
          color: text,
          fontSize: layout.fontSize,
          fontWeight: FONT[props.kind].weight,
        }}
      >
        <span style={{ WebkitLineClamp: layout.maxLines }}>{props.label}</span>
      </div>
      {layout.badge && count !== undefined && (
        <span
          className={count === 0 ? 'snurra-badge snurra-badge--none' : 'snurra-badge'}
          style={{ left: layout.badge.x, top: layout.badge.y }}
          data-testid={`count-${props.kind}-${props.refId}`}
          title={t(count === 1 ? 'canvas.countOne' : 'canvas.countMany', { count })}
        >
          {props.kind === 'task' ? t(count === 1 ? 'canvas.countOne' : 'canvas.countMany', { count }) : count}
        </span>
      )}
    </HTMLContainer>
  )
}

/** The export version: plain SVG, estimated line breaks, the count as a badge. */
function SegmentGraphic({ props, count }: { props: SegmentShapeProps; count: number }) {
  const layout: WedgeLayout = layoutOf(props)
  const { fill, text, uncovered } = look(props, count)
  const lineHeight = layout.fontSize * 1.2
  const lines = wrapText(props.label, layout.fontSize, layout.width, layout.maxLines)
  const top = layout.center.y - ((lines.length - 1) * lineHeight) / 2
  return (
    <g>
      {uncovered && (
        <defs>
          <Hatch />
        </defs>
      )}
      <Wedge props={props} fill={fill} uncovered={uncovered} />
      <text x={layout.center.x} textAnchor="middle" dominantBaseline="central" fill={text} fontFamily="system-ui, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" fontSize={layout.fontSize} fontWeight={FONT[props.kind].weight}>
        {lines.map((line, i) => (
          <tspan key={i} x={layout.center.x} y={top + i * lineHeight}>
            {line}
          </tspan>
        ))}
      </text>
      {layout.badge && props.kind !== 'center' && (
        <g transform={`translate(${layout.badge.x} ${layout.badge.y})`}>
          <rect x={-18} y={-BADGE_HEIGHT / 2} width={36} height={BADGE_HEIGHT} rx={BADGE_HEIGHT / 2} fill="#ffffff" stroke="#1b1d21" strokeWidth={2} strokeDasharray={count === 0 ? '4 3' : undefined} />
          <text textAnchor="middle" dominantBaseline="central" fill="#1b1d21" fontFamily="system-ui, sans-serif" fontSize={15} fontWeight={700}>
            {count}
          </text>
        </g>
      )}
    </g>
  )
}
