import { useEffect, useRef } from 'react'
import { BaseBoxShapeUtil, HTMLContainer, useEditor, useIsEditing, type TLResizeInfo } from 'tldraw'
import { defaultActivity } from '../../core/activity.ts'
import { CARD_SIZE, CARD_TYPE, cardShapeProps, type CardShapeProps } from '../../core/shapes.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { CardShape } from './types.ts'

const MIN_SIZE = { w: 120, h: 80 }

/** An activity card: a title and a description, edited in place on double-click. */
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

  getIndicatorPath(shape: CardShape) {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }
}

function CardView({ shape }: { shape: CardShape }) {
  const editor = useEditor()
  const t = useT()
  const isEditing = useIsEditing(shape.id)
  const { w, h, title, description } = shape.props

  const titleInput = useRef<HTMLInputElement>(null)

  // A double-click's second mousedown moves focus to the canvas after the fields mount, so
  // focus the title again on the next frame unless the user is already in one of the fields.
  useEffect(() => {
    if (!isEditing) return
    const focus = () => {
      const input = titleInput.current
      if (input && !input.parentElement?.contains(document.activeElement)) input.focus()
    }
    focus()
    const frame = requestAnimationFrame(focus)
    return () => cancelAnimationFrame(frame)
  }, [isEditing])

  const update = (props: Partial<CardShapeProps>) => editor.updateShape({ id: shape.id, type: CARD_TYPE, props })
  // While editing, the fields own the pointer: the canvas must not start a drag or deselect.
  const keepPointer = (e: React.PointerEvent) => e.stopPropagation()

  return (
    <HTMLContainer className="snurra-card" data-editing={isEditing || undefined} style={{ width: w, height: h, pointerEvents: isEditing ? 'all' : undefined }}>
      {isEditing ? (
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
            maxLength={4000}
            onChange={(e) => update({ description: e.target.value })}
            onPointerDown={keepPointer}
            data-testid="card-description-input"
          />
        </>
      ) : (
        <>
          <p className={title ? 'snurra-card__title' : 'snurra-card__title snurra-card__title--empty'}>{title || t('card.untitled')}</p>
          {description && <p className="snurra-card__description">{description}</p>}
        </>
      )}
    </HTMLContainer>
  )
}
