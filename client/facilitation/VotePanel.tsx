import { useId } from 'react'
import { useValue, type Editor } from 'tldraw'
import type { NameCount } from '../../core/facilitation.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { rankResults } from './rank.ts'
import { voteCount } from './vote-count.ts'
import type { VoteController } from './vote-controller.ts'

interface CardRow {
  id: string
  title: string
}

function useVotableCards(editor: Editor, votes: VoteController, privateIds: ReadonlySet<string>): CardRow[] {
  return useValue(
    'votable cards',
    () =>
      editor
        .getCurrentPageShapes()
        .filter((s) => s.type === CARD_TYPE && !privateIds.has(s.id) && votes.isEligible(s.id))
        .map((s) => ({ id: s.id, title: (s.props as { title?: string }).title ?? '' }))
        .sort((a, b) => a.title.localeCompare(b.title, 'sv')),
    [editor, votes, privateIds],
  )
}

/**
 * The vote without the canvas: every card that can be voted on, with buttons to cast and take
 * back a vote (the keyboard way to vote), and the ranked results once they are shown.
 */
export function VotePanel(props: { editor: Editor; votes: VoteController; privateIds: ReadonlySet<string> }) {
  const view = useValue('vote view', () => props.votes.view.get(), [props.votes])
  // Without a vote, no list of votable cards is kept up to date (it re-sorts on every change).
  return view.status === 'idle' ? null : <ActiveVotePanel {...props} />
}

function ActiveVotePanel({ editor, votes, privateIds }: { editor: Editor; votes: VoteController; privateIds: ReadonlySet<string> }) {
  const t = useT()
  const headingId = useId()
  const view = useValue('vote view', () => votes.view.get(), [votes])
  const cards = useVotableCards(editor, votes, privateIds)
  const titleOf = (row: CardRow) => row.title || t('card.untitled')
  const ranked = view.showResults ? rankResults(view.results, cards) : []

  return (
    <section className="panel-section vote-panel" aria-labelledby={headingId} data-testid="vote-panel">
      <h2 id={headingId}>{view.status === 'open' ? t('vote.headingOpen') : t('vote.headingClosed')}</h2>
      {view.canVote && (
        <p data-testid="vote-remaining" data-remaining={view.remaining}>
          {t('vote.remaining', { remaining: view.remaining, total: view.votesPerPerson })}
        </p>
      )}
      <p className="hint">{t('vote.voters', { count: view.voters })}</p>
      <p className="hint" data-testid="vote-devices-note">
        {t('vote.devicesNote')}
      </p>
      {view.isFacilitator && view.ballotsByName.length > 0 && <BallotsByName rows={view.ballotsByName} />}
      {view.canVote && (
        <ul className="vote-list">
          {cards.map((row) => {
            const mine = view.mine[row.id] ?? 0
            const title = titleOf(row)
            return (
              <li key={row.id} data-testid="vote-row" data-card-id={row.id}>
                <span className="vote-list__title">{title}</span>
                <span className="vote-list__mine">{t('vote.mineShort', { count: mine })}</span>
                <button type="button" className="button button--small" disabled={votes.whyNot('vote.retract', row.id) !== null} aria-label={t('vote.retractLabel', { title })} onClick={() => void votes.retract(row.id)}>
                  −
                </button>
                <button type="button" className="button button--small" disabled={votes.whyNot('vote.cast', row.id) !== null} aria-label={t('vote.castLabel', { title })} onClick={() => void votes.cast(row.id)} data-testid="vote-cast">
                  +
                </button>
              </li>
            )
          })}
        </ul>
      )}
      {view.showResults ? (
        <>
          <h3>{t('vote.resultsHeading')}</h3>
          {ranked.length === 0 ? (
            <p>{t('vote.noVotes')}</p>
          ) : (
            <ol className="vote-results" data-testid="vote-results">
              {ranked.map((r) => (
                <li key={r.id} data-testid="vote-result" data-card-id={r.id} data-votes={r.votes}>
                  <span>{r.title || t('card.untitled')}</span> <strong>{voteCount(t, r.votes)}</strong>
                </li>
              ))}
            </ol>
          )}
        </>
      ) : (
        <p className="hint">{t('vote.resultsHidden')}</p>
      )}
    </section>
  )
}

/** For the facilitator: how many ballots each display name cast (never for what), to spot one person voting twice. */
function BallotsByName({ rows }: { rows: NameCount[] }) {
  const t = useT()
  const headingId = useId()
  return (
    <>
      <h3 id={headingId}>{t('vote.byNameHeading')}</h3>
      <p className="hint">{t('vote.byNameHint')}</p>
      <ul className="vote-by-name" aria-labelledby={headingId} data-testid="vote-by-name">
        {rows.map((row) => (
          <li key={row.name} data-testid="vote-by-name-row" data-ballots={row.ballots}>
            {row.ballots > 1 ? <strong>{t('vote.byNameRow', { name: row.name || t('vote.noName'), count: row.ballots })}</strong> : t('vote.byNameRow', { name: row.name || t('vote.noName'), count: row.ballots })}
          </li>
        ))}
      </ul>
    </>
  )
}
