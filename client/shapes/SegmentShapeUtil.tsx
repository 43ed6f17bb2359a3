import { HTMLContainer, Polygon2d, ShapeUtil, Vec, type Geometry2d } from 'tldraw'
import { SEGMENT_TYPE, segmentShapeProps, type SegmentKind } from '../../core/shapes.ts'
import type { SegmentShape } from './types.ts'
import { labelBox, wedgePath, wedgePolygon } from './wedge.ts'
import { fitFontSize, textColorOn, wrapText } from './wrap-text.ts'

// Sizes in page units; at 100% zoom these are CSS pixels, so labels stay readable.
const LABEL_STYLE: Record<SegmentKind, { fontSize: number; weight: number; maxLines: number }> = {
  center: { fontSize: 26, weight: 700, maxLines: 6 },
  task: { fontSize: 22, weight: 700, maxLines: 6 },
  path: { fontSize: 16, weight: 600, maxLines: 5 },
}

/**
 * One piece of the template circle. Written only by core's setup code (locked records with
 * meta.template), so it cannot be resized, rotated, edited or snapped to.
 */
export class SegmentShapeUtil extends ShapeUtil<SegmentShape> {
  static override type = SEGMENT_TYPE
  static override props = segmentShapeProps

  getDefaultProps(): SegmentShape['props'] {
    return { w: 200, h: 200, kind: 'task', refId: '', label: '', color: '#4a4f57', innerRadius: 0, outerRadius: 100, startAngle: 0, endAngle: 90 }
  }

  getGeometry(shape: SegmentShape): Geometry2d {
    return new Polygon2d({ points: wedgePolygon(shape.props).map((p) => new Vec(p.x, p.y)), isFilled: true })
  }

  override canResize() {
    return false
  }
  override canEdit() {
    return false
  }
  override canSnap() {
    return false
  }
  override canTabTo() {
    return false
  }
  override hideRotateHandle() {
    return true
  }
  override hideResizeHandles() {
    return true
  }
  override isAspectRatioLocked() {
    return true
  }
  override getText(shape: SegmentShape) {
    return shape.props.label
  }

  // On screen the label is HTML, so the browser wraps it and it reads as one piece of text;
  // exports get the SVG version with estimated line breaks.
  component(shape: SegmentShape) {
    return <SegmentView shape={shape} />
  }

  override toSvg(shape: SegmentShape) {
    return <SegmentGraphic shape={shape} />
  }

  getIndicatorPath(shape: SegmentShape) {
    return new Path2D(wedgePath(shape.props))
  }
}

function SegmentView({ shape }: { shape: SegmentShape }) {
  const { props } = shape
  const style = LABEL_STYLE[props.kind]
  const box = labelBox(props)
  return (
    <HTMLContainer className="snurra-segment" data-kind={props.kind}>
      <svg className="snurra-segment__wedge" width={props.w} height={props.h} aria-hidden="true">
        <path d={wedgePath(props)} fill={props.color} fillRule="evenodd" stroke={props.kind === 'center' ? '#4a4f57' : '#ffffff'} strokeWidth={props.kind === 'center' ? 3 : 4} />
      </svg>
      <div
        className="snurra-segment__label"
        style={{
          left: box.center.x - box.width / 2,
          top: box.center.y - box.height / 2,
          width: box.width,
          height: box.height,
          color: textColorOn(props.color),
          fontSize: fitFontSize(props.label, style.fontSize, box.width),
          fontWeight: style.weight,
        }}
      >
        <span>{props.label}</span>
      </div>
    </HTMLContainer>
  )
}

function SegmentGraphic({ shape }: { shape: SegmentShape }) {
  const { props } = shape
  const style = LABEL_STYLE[props.kind]
  const box = labelBox(props)
  const fontSize = fitFontSize(props.label, style.fontSize, box.width)
  const lines = wrapText(props.label, fontSize, box.width, Math.min(style.maxLines, Math.max(1, Math.floor(box.height / (fontSize * 1.2)))))
  const lineHeight = fontSize * 1.2
  const top = box.center.y - ((lines.length - 1) * lineHeight) / 2
  return (
    <g>
      <path d={wedgePath(props)} fill={props.color} fillRule="evenodd" stroke={props.kind === 'center' ? '#4a4f57' : '#ffffff'} strokeWidth={props.kind === 'center' ? 3 : 4} />
      <text
        x={box.center.x}
        textAnchor="middle"
        dominantBaseline="central"
        fill={textColorOn(props.color)}
        fontFamily="system-ui, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
        fontSize={fontSize}
        fontWeight={style.weight}
      >
        {lines.map((line, i) => (
          <tspan key={i} x={box.center.x} y={top + i * lineHeight}>
            {line}
          </tspan>
        ))}
      </text>
    </g>
  )
}
