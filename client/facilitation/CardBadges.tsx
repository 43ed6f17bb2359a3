import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import { cardMarksAtom } from './card-marks.ts'
import { voteCount } from './vote-count.ts'
import './card-badges.css'

/**
 * Drawn on each activity card: "private" on a draft only its author sees, and during or after
 * a vote the card's total (when results are shown) and this person's own votes, with a "−" to
 * take one back.
 */
export function CardBadges({ shapeId }: { shapeId: TLShapeId }) {
  const editor = useEditor()
  const t = useT()
  const marks = useValue('card marks', () => cardMarksAtom(editor.store).get(), [editor])
  // Zoomed out, the marks keep a readable size on screen (up to three times their size on the card).
  const scale = useValue('mark scale', () => Math.min(3, Math.max(1, 1 / editor.getZoomLevel())), [editor])
  const isPrivate = useValue('card private', () => marks?.privateIds.get().has(shapeId) ?? false, [marks, shapeId])
  const vote = useValue(
    'card vote',
    () => {
      if (!marks) return null
      const view = marks.votes.view.get()
      if (view.status === 'idle' || !marks.votes.isEligible(shapeId)) return null
      return { total: view.showResults ? (view.results[shapeId] ?? 0) : null, mine: view.mine[shapeId] ?? 0, canVote: view.canVote }
    },
    [marks, shapeId],
  )
  if (!isPrivate && !vote) return null
  const shape = editor.getShape(shapeId)
  const title = (shape?.props as { title?: string } | undefined)?.title || t('card.untitled')
  // The "−" must not start a drag or a vote on the canvas underneath.
  const keepPointer = (e: React.PointerEvent) => e.stopPropagation()

  return (
    <div className="card-marks" style={{ '--mark-scale': scale } as React.CSSProperties}>
      <div className="card-marks__start">
        {isPrivate && (
          <span className="card-mark card-mark--private" data-testid="card-private">
            {t('private.marker')}
          </span>
        )}
      </div>
      <div className="card-marks__end">
        {vote && vote.total !== null && vote.total > 0 && (
          <span className="card-mark card-mark--total" data-testid="card-votes" data-votes={vote.total}>
            <span aria-hidden="true">● {vote.total}</span>
            <span className="visually-hidden">{voteCount(t, vote.total)}</span>
          </span>
        )}
        {vote && vote.mine > 0 && (
          <span className="card-mark card-mark--mine" data-testid="card-my-votes" data-votes={vote.mine}>
            {t('vote.mineShort', { count: vote.mine })}
            {vote.canVote && (
              <button
                type="button"
                className="card-mark__retract"
                aria-label={t('vote.retractLabel', { title })}
                onPointerDown={keepPointer}
                onClick={() => void marks?.votes.retract(shapeId)}
                data-testid="card-retract"
              >
                −
              </button>
            )}
          </span>
        )}
      </div>
    </div>
  )
}
