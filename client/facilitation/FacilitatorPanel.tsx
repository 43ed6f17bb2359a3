import { useId, type ReactNode } from 'react'
import { useValue, type Editor } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardStore } from '../sync/board-store.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { AgendaControls } from './AgendaControls.tsx'
import { useFacilitation } from './hooks.ts'
import { LinkControls } from './LinkControls.tsx'
import { SessionControls } from './SessionControls.tsx'
import { TimerControls } from './TimerControls.tsx'
import { VoteControls } from './VoteControls.tsx'
import './facilitation.css'

/** The facilitator's tools in the side panel, each group behind a disclosure so the panel stays short. */
export function FacilitatorPanel({ connection, board, editor, boardId }: { connection: BoardConnection; board: BoardStore; editor: Editor | null; boardId: string }) {
  const t = useT()
  const headingId = useId()
  const state = useFacilitation(connection)
  const privateIds = useValue('private ids', () => board.privateIds.get(), [board])
  if (connection.role !== 'facilitator') return null

  return (
    <section className="panel-section facilitator-panel" aria-labelledby={headingId} data-testid="facilitator-panel">
      <h2 id={headingId}>{t('facilitation.heading')}</h2>
      <SessionControls connection={connection} editor={editor} state={state} />
      <Group title={t('timer.heading')} open testId="group-timer">
        <TimerControls connection={connection} timer={state.timer} />
      </Group>
      <Group title={t('vote.heading')} open={state.vote.status === 'open'} testId="group-vote">
        <VoteControls connection={connection} editor={editor} vote={state.vote} privateIds={privateIds} />
      </Group>
      <Group title={t('agenda.heading')} testId="group-agenda">
        <AgendaControls connection={connection} agenda={state.agenda} />
      </Group>
      <Group title={t('people.linksHeading')} testId="group-links">
        <LinkControls boardId={boardId} token={connection.token} />
      </Group>
    </section>
  )
}

function Group({ title, open, testId, children }: { title: string; open?: boolean; testId: string; children: ReactNode }) {
  return (
    <details className="facilitator-group" open={open} data-testid={testId}>
      <summary>{title}</summary>
      {children}
    </details>
  )
}
