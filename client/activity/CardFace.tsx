import { useEditor, useValue } from 'tldraw'
import type { CardShapeProps } from '../../core/shapes.ts'
import { computeCoverage } from '../../core/coverage.ts'
import { useT, type Translate } from '../i18n/I18nProvider.tsx'
import { isLanguage, translate, DEFAULT_LANGUAGE } from '../i18n/messages.ts'
import { textColorOn } from '../shapes/wrap-text.ts'
import { labelsAtom } from './board-labels.ts'
import { STATUS_LABELS } from './labels.ts'
import './card.css'

const NO_SECTOR = '#d5d8dd'

/**
 * tldraw renders image exports in a React root of its own, outside our I18nProvider; there
 * the page's current language (which the provider writes to <html lang>) is used instead.
 */
function useCardT(): Translate {
  try {
    return useT()
  } catch {
    const lang = document.documentElement.lang
    return (key, vars) => translate(isLanguage(lang) ? lang : DEFAULT_LANGUAGE, key, vars)
  }
}

/**
 * What a card shows on the canvas: sector band, title, chips for the tasks and paths it hits,
 * and "hits N of M paths" (counted by core's coverage code, like every other count). All text
 * is React text nodes. The compact face, for zoomed-out views, keeps title, colour and N/M.
 */
export function CardFace({ props, compact }: { props: CardShapeProps; compact: boolean }) {
  const editor = useEditor()
  const t = useCardT()
  const labels = useValue(labelsAtom(editor.store))
  const [hit] = computeCoverage([{ id: '', ...props }], labels.tasks, labels.paths).activities
  const sector = labels.sectors.find((s) => s.id === props.sector)
  const band = sector?.color ?? NO_SECTOR
  const title = props.title || t('card.untitled')
  const total = labels.paths.length
  const count = hit.pathIds.length

  if (compact) {
    return (
      <div className="activity-card__compact" style={{ borderTopColor: band }}>
        <p className={props.title ? 'activity-card__big-title' : 'activity-card__big-title is-empty'}>{title}</p>
        {total > 0 && (
          <p className="activity-card__big-hits" data-testid="card-hits" data-count={count} data-total={total}>
            {t('activity.hitsShort', { count, total })}
          </p>
        )}
      </div>
    )
  }

  const tasks = labels.tasks.filter((task) => hit.taskIds.includes(task.id))
  const paths = labels.paths.filter((path) => hit.pathIds.includes(path.id))
  return (
    <>
      <div className="activity-card__band" style={{ background: band, color: textColorOn(band) }}>
        <span className="activity-card__sector">{sector?.label ?? (props.sector || t('activity.sectorNone'))}</span>
        <span className="activity-card__status">{t(STATUS_LABELS[props.status])}</span>
      </div>
      <div className="activity-card__body">
        <p className={props.title ? 'snurra-card__title' : 'snurra-card__title snurra-card__title--empty'}>{title}</p>
        {(tasks.length > 0 || paths.length > 0) && (
          <ul className="activity-card__chips">
            {tasks.map((task) => (
              <li key={task.id} className="chip chip--task" style={{ background: task.color, color: textColorOn(task.color) }}>
                {task.label}
              </li>
            ))}
            {paths.map((path) => (
              <li key={path.id} className="chip chip--path">
                {path.label}
              </li>
            ))}
          </ul>
        )}
        {total > 0 && (
          <p className="activity-card__hits" data-testid="card-hits" data-count={count} data-total={total}>
            {t('activity.hits', { count, total })}
          </p>
        )}
      </div>
    </>
  )
}
