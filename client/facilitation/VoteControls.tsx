import { useId, useState, type FormEvent } from 'react'
import { useValue, type Editor } from 'tldraw'
import type { VoteState } from '../../core/facilitation.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { useIntent } from './hooks.ts'

/**
 * The facilitator opens a dot vote (on every activity or on the selected cards; votes per
 * person; several on one card or not; results hidden until the end or live) and ends it.
 */
export function VoteControls({ connection, editor, vote, privateIds }: { connection: BoardConnection; editor: Editor | null; vote: VoteState; privateIds: ReadonlySet<string> }) {
  const t = useT()
  const ids = { votes: useId(), scope: useId() }
  const [votes, setVotes] = useState(String(vote.votesPerPerson || 3))
  const [scope, setScope] = useState<'all' | 'selected'>('all')
  const [multiple, setMultiple] = useState(vote.allowMultiplePerCard)
  const [hidden, setHidden] = useState(vote.hideResultsUntilEnd)
  const [requireName, setRequireName] = useState(vote.requireName ?? false)
  const { send, message, busy, setMessage } = useIntent(connection)
  // Only cards on the board can be voted on, never anyone's private drafts.
  const selected = useValue('selected cards', () => (editor ? editor.getSelectedShapes().filter((s) => s.type === CARD_TYPE && !privateIds.has(s.id)).map((s) => s.id) : []), [editor, privateIds])
  const perPerson = Number(votes)
  const valid = Number.isInteger(perPerson) && perPerson >= 1 && perPerson <= 100

  function open(e: FormEvent) {
    e.preventDefault()
    if (!valid) return
    if (scope === 'selected' && selected.length === 0) return setMessage(t('vote.noneSelected'))
    void send(
      { type: 'vote.open', votesPerPerson: perPerson, allowMultiplePerCard: multiple, hideResultsUntilEnd: hidden, cardIds: scope === 'selected' ? selected : null, requireName },
      t('vote.opened'),
    )
  }

  if (vote.status === 'open') {
    return (
      <div className="facilitation-controls" data-testid="vote-controls">
        <p>{t('vote.openSummary', { votes: vote.votesPerPerson, voters: vote.voters })}</p>
        <button type="button" className="button primary" disabled={busy} onClick={() => void send({ type: 'vote.close' }, t('vote.closedDone'))} data-testid="vote-close">
          {t('vote.close')}
        </button>
        <p className="status-line" role="status" aria-live="polite">
          {message}
        </p>
      </div>
    )
  }

  return (
    <form className="facilitation-controls" onSubmit={open} data-testid="vote-controls">
      <fieldset className="fieldset">
        <legend>{t('vote.scope')}</legend>
        <label className="check">
          <input type="radio" name={ids.scope} checked={scope === 'all'} onChange={() => setScope('all')} />
          {t('vote.scopeAll')}
        </label>
        <label className="check">
          <input type="radio" name={ids.scope} checked={scope === 'selected'} onChange={() => setScope('selected')} data-testid="vote-scope-selected" />
          {t('vote.scopeSelected', { count: selected.length })}
        </label>
      </fieldset>
      <div className="field field--inline">
        <label htmlFor={ids.votes}>{t('vote.perPerson')}</label>
        <input id={ids.votes} type="number" min={1} max={100} step={1} value={votes} onChange={(e) => setVotes(e.target.value)} aria-invalid={!valid || undefined} data-testid="vote-per-person" />
      </div>
      <label className="check">
        <input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.target.checked)} data-testid="vote-multiple" />
        {t('vote.allowMultiple')}
      </label>
      <label className="check">
        <input type="checkbox" checked={hidden} onChange={(e) => setHidden(e.target.checked)} data-testid="vote-hidden" />
        {t('vote.hideResults')}
      </label>
      <label className="check">
        <input type="checkbox" checked={requireName} onChange={(e) => setRequireName(e.target.checked)} data-testid="vote-require-name" />
        {t('vote.requireName')}
      </label>
      <p className="hint">{t('vote.devicesNote')}</p>
      <button type="submit" className="button primary" disabled={!valid || busy} data-testid="vote-open">
        {t('vote.open')}
      </button>
      <p className="status-line" role="status" aria-live="polite">
        {message}
      </p>
    </form>
  )
}
