import { useState } from 'react'
import type { AgendaState } from '../../core/facilitation.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { AgendaEditor } from './AgendaEditor.tsx'
import { useIntent } from './hooks.ts'

/** The facilitator's agenda: the steps, which one is current, next and previous, and editing. */
export function AgendaControls({ connection, agenda }: { connection: BoardConnection; agenda: AgendaState }) {
  const t = useT()
  const [editing, setEditing] = useState(false)
  const { send, message, busy } = useIntent(connection)
  const { steps, current } = agenda

  const go = (index: number) => void send({ type: 'agenda.go', index }, index >= 0 ? t('agenda.wentTo', { step: steps[index]?.title ?? '' }) : t('agenda.notStarted'))

  if (editing) {
    return (
      <AgendaEditor
        steps={steps}
        busy={busy}
        onCancel={() => setEditing(false)}
        onSave={async (next) => {
          if (await send({ type: 'agenda.set', steps: next }, t('agenda.saved'))) setEditing(false)
        }}
      />
    )
  }

  return (
    <div className="facilitation-controls" data-testid="agenda-controls">
      {steps.length === 0 ? (
        <p>{t('agenda.empty')}</p>
      ) : (
        <ol className="agenda-list">
          {steps.map((step, i) => (
            <li key={step.id} aria-current={i === current ? 'step' : undefined} className={i === current ? 'agenda-list__current' : undefined}>
              {step.title}
            </li>
          ))}
        </ol>
      )}
      <div className="button-row">
        <button type="button" className="button" disabled={busy || current < 0} onClick={() => go(current - 1)} data-testid="agenda-prev">
          {t('agenda.previous')}
        </button>
        <button type="button" className="button primary" disabled={busy || current >= steps.length - 1} onClick={() => go(current + 1)} data-testid="agenda-next">
          {current < 0 ? t('agenda.begin') : t('agenda.next')}
        </button>
      </div>
      <button type="button" className="button" onClick={() => setEditing(true)} data-testid="agenda-edit">
        {steps.length ? t('agenda.edit') : t('agenda.create')}
      </button>
      <p className="status-line" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  )
}
