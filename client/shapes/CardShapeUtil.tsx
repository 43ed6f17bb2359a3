import { useEffect, useRef } from 'react'
import { BaseBoxShapeUtil, HTMLContainer, useEditor, useIsEditing, useSvgExportContext, useValue, type TLResizeInfo } from 'tldraw'
import { defaultActivity } from '../../core/activity.ts'
import { CARD_SIZE, CARD_TYPE, cardShapeProps, type CardShapeProps } from '../../core/shapes.ts'
import { labelsAtom } from '../activity/board-labels.ts'
import { CardFace } from '../activity/CardFace.tsx'
import { CardSvg } from '../export/card-svg.tsx'
import { CardBadges } from '../facilitation/CardBadges.tsx'
import { useT } from '../i18n/I18nProvider.tsx'
import type { CardShape } from './types.ts'

const MIN_SIZE = { w: 120, h: 80 }
/**
 * Below this zoom the card switches to its compact face (title, sector colour and N/M in large
 * type). The whole circle fits a laptop screen at about 50 %, where the full face's 11–16 px
 * text would be 6–8 px on screen.
 */
export const COMPACT_BELOW_ZOOM = 0.7

/** An activity card: its face shows the activity; double-click edits title and description in place. */
export class CardShapeUtil extends BaseBoxShapeUtil<CardShape> {
  static override type = CARD_TYPE
  static override props = cardShapeProps

  getDefaultProps(): CardShape['props'] {
    return { w: CARD_SIZE.w, h: CARD_SIZE.h, ...defaultActivity() }
  }

  override canEdit() {
    return true
  }

  override getText(shape: CardShape) {
    return [shape.props.title, shape.props.description].filter(Boolean).join('\n')
  }

  override onResize(shape: CardShape, info: TLResizeInfo<CardShape>) {
    const next = super.onResize(shape, info)
    next.props = { ...next.props, w: Math.max(MIN_SIZE.w, next.props.w), h: Math.max(MIN_SIZE.h, next.props.h) }
    return next
  }

  component(shape: CardShape) {
    return <CardView shape={shape} />
  }

  // Without this tldraw would export the HTML face inside a foreignObject, which PDF cannot show.
  override toSvg(shape: CardShape) {
    return <CardSvg props={shape.props} labels={labelsAtom(this.editor.store).get()} />
  }

  getIndicatorPath(shape: CardShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }
}

function CardView({ shape }: { shape: CardShape }) {
  const editor = useEditor()
  const isEditing = useIsEditing(shape.id)
  // Exports always show the full face, whatever the zoom on screen.
  const exporting = useSvgExportContext() !== null
  const compact = useValue('card compact', () => editor.getZoomLevel() < COMPACT_BELOW_ZOOM, [editor]) && !exporting
  const { w, h } = shape.props

  return (
    <>
      <HTMLContainer
        className={compact && !isEditing ? 'snurra-card activity-card activity-card--compact' : 'snurra-card activity-card'}
        data-editing={isEditing || undefined}
        style={{ width: w, height: h, pointerEvents: isEditing ? 'all' : undefined }}
      >
        {isEditing ? <CardEditor shape={shape} /> : <CardFace props={shape.props} compact={compact} />}
      </HTMLContainer>
      {/* Outside the card's clipped box, so the marks can sit on its edge. */}
      {!exporting && <CardBadges shapeId={shape.id} />}
    </>
  )
}

/** In-place editing of the title and the intended result. */
function CardEditor({ shape }: { shape: CardShape }) {
  const editor = useEditor()
  const t = useT()
  const { title, description } = shape.props
  const titleInput = useRef<HTMLInputElement>(null)

  // A double-click's second mousedown moves focus to the canvas after the fields mount, so
  // focus the title again on the next frame unless the user is already in one of the fields.
  useEffect(() => {
    const focus = () => {
      const input = titleInput.current
      if (input && !input.parentElement?.contains(document.activeElement)) input.focus()
    }
    focus()
    const frame = requestAnimationFrame(focus)
    return () => cancelAnimationFrame(frame)
  }, [])

  const update = (props: Partial<CardShapeProps>) => editor.updateShape({ id: shape.id, type: CARD_TYPE, props })
  // While editing, the fields own the pointer: the canvas must not start a drag or deselect.
  const keepPointer = (e: React.PointerEvent) => e.stopPropagation()

  return (
    <>
      <input
        className="snurra-card__title-input"
        aria-label={t('card.titleLabel')}
        placeholder={t('card.untitled')}
        value={title}
        maxLength={200}
        ref={titleInput}
        onChange={(e) => update({ title: e.target.value })}
        onPointerDown={keepPointer}
        data-testid="card-title-input"
      />
      <textarea
        className="snurra-card__description-input"
        aria-label={t('card.descriptionLabel')}
        value={description}
        maxLength={2000}
        onChange={(e) => update({ description: e.target.value })}
        onPointerDown={keepPointer}
        data-testid="card-description-input"
      />
    </>
  )
}
