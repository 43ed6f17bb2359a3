import { useId, useState, type FormEvent } from 'react'
import type { AgendaStep } from '../../core/facilitation.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { defaultAgenda, newStep } from './agenda-defaults.ts'

type PrivateChoice = 'keep' | 'on' | 'off'
const choiceOf = (step: AgendaStep): PrivateChoice => (step.privateMode === undefined ? 'keep' : step.privateMode ? 'on' : 'off')

/**
 * Editing the agenda's steps: a title each, and whether going to the step switches private
 * mode (turning it off reveals) or opens a vote. Saved as a whole with one intent.
 */
export function AgendaEditor({ steps, busy, onSave, onCancel }: { steps: AgendaStep[]; busy: boolean; onSave(steps: AgendaStep[]): void; onCancel(): void }) {
  const t = useT()
  const baseId = useId()
  const [draft, setDraft] = useState<AgendaStep[]>(() => (steps.length ? steps.map((s) => ({ ...s })) : defaultAgenda(t)))
  const [error, setError] = useState('')

  const change = (i: number, patch: Partial<AgendaStep>) => setDraft((list) => list.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  const setPrivate = (i: number, choice: PrivateChoice) =>
    setDraft((list) =>
      list.map((s, j) => {
        if (j !== i) return s
        const next = { ...s }
        if (choice === 'keep') delete next.privateMode
        else next.privateMode = choice === 'on'
        return next
      }),
    )
  const move = (i: number, delta: number) =>
    setDraft((list) => {
      const next = [...list]
      const [step] = next.splice(i, 1)
      next.splice(i + delta, 0, step)
      return next
    })

  function save(e: FormEvent) {
    e.preventDefault()
    const cleaned = draft.map((s) => ({ ...s, title: s.title.trim().slice(0, 200) })).filter((s) => s.title)
    if (cleaned.length !== draft.length) return setError(t('agenda.emptyTitle'))
    setError('')
    onSave(cleaned)
  }

  return (
    <form onSubmit={save} className="agenda-editor" data-testid="agenda-editor">
      <ol className="agenda-editor__steps">
        {draft.map((step, i) => {
          const id = `${baseId}-${step.id}`
          const label = t('agenda.stepN', { n: i + 1 })
          return (
            <li key={step.id}>
              <fieldset className="fieldset">
                <legend>{label}</legend>
                <div className="field">
                  <label htmlFor={`${id}-title`}>{t('agenda.stepTitle')}</label>
                  <input id={`${id}-title`} type="text" maxLength={200} value={step.title} onChange={(e) => change(i, { title: e.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-private`}>{t('agenda.privateLabel')}</label>
                  <select id={`${id}-private`} value={choiceOf(step)} onChange={(e) => setPrivate(i, e.target.value as PrivateChoice)}>
                    <option value="keep">{t('agenda.privateKeep')}</option>
                    <option value="on">{t('agenda.privateOn')}</option>
                    <option value="off">{t('agenda.privateOff')}</option>
                  </select>
                </div>
                <label className="check">
                  <input type="checkbox" checked={step.openVote ?? false} onChange={(e) => change(i, { openVote: e.target.checked || undefined })} />
                  {t('agenda.openVote')}
                </label>
                <div className="button-row">
                  <button type="button" className="button button--small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('agenda.moveUp', { step: label })}>
                    ↑
                  </button>
                  <button type="button" className="button button--small" disabled={i === draft.length - 1} onClick={() => move(i, 1)} aria-label={t('agenda.moveDown', { step: label })}>
                    ↓
                  </button>
                  <button type="button" className="button button--small" onClick={() => setDraft((list) => list.filter((_, j) => j !== i))} aria-label={t('agenda.remove', { step: label })}>
                    {t('agenda.removeShort')}
                  </button>
                </div>
              </fieldset>
            </li>
          )
        })}
      </ol>
      <div className="button-row">
        <button type="button" className="button" onClick={() => setDraft((list) => [...list, newStep()])} disabled={draft.length >= 30}>
          {t('agenda.addStep')}
        </button>
        <button type="button" className="button" onClick={() => setDraft(defaultAgenda(t))}>
          {t('agenda.useDefaults')}
        </button>
      </div>
      {error && (
        <p className="error-line" role="alert">
          {error}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button primary" disabled={busy} data-testid="agenda-save">
          {t('agenda.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('agenda.cancel')}
        </button>
      </div>
    </form>
  )
}
