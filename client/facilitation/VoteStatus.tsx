import { useEffect, useRef, useState } from 'react'
import { useValue, type Editor } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { VoteController } from './vote-controller.ts'
import { setVoteMode } from './vote-mode.ts'
import { VOTE_TOOL } from './VoteTool.ts'

/**
 * The vote in the status bar: open or ended, the votes this person has left, the vote-mode
 * switch, and a live region that announces the vote opening and ending and each vote cast.
 */
export function VoteStatus({ votes, editor }: { votes: VoteController; editor: Editor | null }) {
  const t = useT()
  const view = useValue('vote view', () => votes.view.get(), [votes])
  const message = useValue('vote message', () => votes.message.get(), [votes])
  const voteMode = useValue('vote mode', () => editor?.getCurrentToolId() === VOTE_TOOL, [editor])
  const [announcement, setAnnouncement] = useState('')
  const lastStatus = useRef(view.status)

  useEffect(() => {
    if (lastStatus.current === view.status) return
    lastStatus.current = view.status
    if (view.status === 'open') setAnnouncement(t('vote.announceOpen', { votes: view.votesPerPerson }))
    if (view.status === 'closed') setAnnouncement(t('vote.announceClosed'))
  }, [view.status, view.votesPerPerson, t])
  useEffect(() => {
    if (message) setAnnouncement(t(message.key, message.vars))
  }, [message, t])

  return (
    <>
      {view.status === 'open' && (
        <div className="status-chip status-chip--vote" data-testid="vote-status">
          <span>{view.canVote ? t('vote.statusOpen', { remaining: view.remaining, total: view.votesPerPerson }) : t('vote.headingOpen')}</span>
          {view.canVote && editor && (
            <button type="button" className={voteMode ? 'button button--small primary' : 'button button--small'} aria-pressed={voteMode} onClick={() => setVoteMode(editor, !voteMode)} data-testid="vote-mode">
              {t('vote.mode')}
            </button>
          )}
        </div>
      )}
      {view.status === 'closed' && (
        <div className="status-chip" data-testid="vote-status">
          {t('vote.statusClosed')}
        </div>
      )}
      <span className="visually-hidden" role="status" aria-live="polite" data-testid="vote-announcement">
        {announcement}
      </span>
    </>
  )
}
