import { useEditor, useValue } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import { ALL_LINES_UP_TO, drawnLines } from './Connections.tsx'
import { HEAT } from './heat.ts'
import { segmentShapes } from './template-shapes.ts'

const STEPS = [...HEAT].reverse()
const RANGE = ['0', '1', '2', '3–4', '5+']

/** Explains the ring's heat colours; 0 is shown hatched, as on the ring. */
export function HeatLegend() {
  const editor = useEditor()
  const t = useT()
  const hasPaths = useValue('has path segments', () => segmentShapes(editor).some((s) => s.props.kind === 'path'), [editor])
  const limited = useValue('lines limited', () => drawnLines(editor).get().limited, [editor])
  if (!hasPaths) return null
  return (
    <div className="heat-legend" data-testid="heat-legend">
      <p className="heat-legend__title">{t('canvas.legendTitle')}</p>
      <ul>
        {STEPS.map((step, i) => (
          <li key={step.min}>
            <span className={i === 0 ? 'heat-legend__swatch heat-legend__swatch--none' : 'heat-legend__swatch'} style={{ background: i === 0 ? undefined : step.fill }} aria-hidden="true" />
            {i === 0 ? t('canvas.legendNone') : RANGE[i]}
          </li>
        ))}
      </ul>
      {limited && (
        <p className="heat-legend__note" data-testid="lines-limited">
          {t('canvas.linesSelectedOnly', { count: ALL_LINES_UP_TO })}
        </p>
      )}
    </div>
  )
}
