import { HTMLContainer, Rectangle2d, useEditor, useValue, type Geometry2d, type TLShape } from 'tldraw'
import { TemplateShapeUtil } from './TemplateShapeUtil.ts'
import { CELL_TYPE, cellShapeProps, type CellShapeProps } from '../../core/shapes.ts'
import { layerCounts } from '../canvas/counts.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { textColorOn, wrapText } from './wrap-text.ts'

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [CELL_TYPE]: CellShapeProps
  }
}

export type CellShape = TLShape<typeof CELL_TYPE>

const FONT = { corner: 18, column: 20, row: 20, cell: 16 } as const
// Body cells are tinted with their column's colour, so a column reads as one band.
const TINT_ALPHA = '14'

function fillOf(props: CellShapeProps): string {
  return props.kind === 'cell' ? `${props.color}${TINT_ALPHA}` : props.kind === 'corner' ? '#ffffff' : props.color
}
const inkOf = (props: CellShapeProps) => (props.kind === 'cell' || props.kind === 'corner' ? '#1b1d21' : textColorOn(props.color))

/**
 * One rectangle of a matrix template (core/matrix.ts): a priority's column header, a sector's
 * row header, or a body cell. Locked and written only by core, like the circle's segments.
 * Headers show their live count: activities hitting the priority, or in the sector.
 */
export class CellShapeUtil extends TemplateShapeUtil<CellShape> {
  static override type = CELL_TYPE
  static override props = cellShapeProps

  getDefaultProps(): CellShape['props'] {
    return { w: 300, h: 200, kind: 'cell', taskId: '', sectorId: '', label: '', color: '#ffffff' }
  }

  getGeometry(shape: CellShape): Geometry2d {
    return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
  }


  component(shape: CellShape) {
    return <CellView shape={shape} />
  }

  override toSvg(shape: CellShape) {
    const { props } = shape
    const size = FONT[props.kind]
    const lines = wrapText(props.label, size, props.w - 28, 5)
    const top = props.h / 2 - ((lines.length - 1) * size * 1.2) / 2
    return (
      <g>
        <rect width={props.w} height={props.h} fill={fillOf(props)} stroke={props.kind === 'cell' ? '#9aa0a8' : '#ffffff'} strokeWidth={2} />
        <text textAnchor="middle" dominantBaseline="central" fill={inkOf(props)} fontFamily="system-ui, sans-serif" fontSize={size} fontWeight={700}>
          {lines.map((line, i) => (
            <tspan key={i} x={props.w / 2} y={top + i * size * 1.2}>
              {line}
            </tspan>
          ))}
        </text>
      </g>
    )
  }

  getIndicatorPath(shape: CellShape) {
    const path = new Path2D()
    path.rect(0, 0, shape.props.w, shape.props.h)
    return path
  }
}

function CellView({ shape }: { shape: CellShape }) {
  const { props } = shape
  const editor = useEditor()
  const t = useT()
  const count = useValue(
    'cell count',
    () => {
      const counts = layerCounts(editor).get()
      if (props.kind === 'column') return counts.tasks.get(props.taskId) ?? 0
      if (props.kind === 'row') return counts.sectors.get(props.sectorId) ?? 0
      return null
    },
    [editor, props.kind, props.taskId, props.sectorId],
  )
  const ref = props.kind === 'column' ? props.taskId : props.sectorId
  return (
    <HTMLContainer className="snurra-cell" data-kind={props.kind} data-ref={props.kind === 'cell' ? `${props.sectorId}+${props.taskId}` : ref || undefined} style={{ width: props.w, height: props.h }}>
      <div className="snurra-cell__inner" style={{ background: fillOf(props), color: inkOf(props) }}>
        {props.label && (
          <p className="snurra-cell__label" style={{ fontSize: FONT[props.kind], fontWeight: 700, WebkitLineClamp: 6 }}>
            {props.label}
          </p>
        )}
        {count !== null && (
          <span className={count === 0 ? 'snurra-badge snurra-badge--none' : 'snurra-badge'} data-testid={`count-${props.kind}-${ref}`}>
            {t(count === 1 ? 'canvas.countOne' : 'canvas.countMany', { count })}
          </span>
        )}
      </div>
    </HTMLContainer>
  )
}
