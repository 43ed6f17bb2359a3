import { useEffect, useMemo, useRef } from 'react'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { loadProfile } from '../board/identity.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardStore } from '../sync/board-store.ts'
import type { BoardConnection } from '../sync/connection.ts'
import { followSummons, newSummonedAtom } from './attention.ts'
import { registerCardMarks } from './card-marks.ts'
import { useFacilitation } from './hooks.ts'
import { RefusalNotice } from './RefusalNotice.tsx'
import { TimerDisplay } from './TimerDisplay.tsx'
import { VoteController } from './vote-controller.ts'
import { startVoteMode } from './vote-mode.ts'
import { VoteStatus } from './VoteStatus.tsx'
import './facilitation.css'

/**
 * What everyone sees of the session, under the header: the agenda step, the timer, the vote,
 * and banners for private mode and the lock. Also wires the session to the canvas: card marks,
 * vote mode, and following the facilitator's "bring everyone to me".
 */
export function FacilitationBar({ connection, board, editor }: { connection: BoardConnection; board: BoardStore; editor: Editor | null }) {
  const t = useT()
  const state = useFacilitation(connection)
  // Refs, so the controller (and vote mode with it) lives as long as the connection.
  const latest = useRef({ editor, t })
  latest.current = { editor, t }
  const votes = useMemo(
    () =>
      new VoteController(
        connection,
        (id) => {
          const shape = latest.current.editor?.getShape(id as TLShapeId)
          return (shape?.props as { title?: string } | undefined)?.title || latest.current.t('card.untitled')
        },
        () => loadProfile().name,
      ),
    [connection],
  )
  const summoned = useMemo(newSummonedAtom, [])
  const summonSeq = useValue('summoned', () => summoned.get(), [summoned])

  useEffect(() => registerCardMarks(board.store, { privateIds: board.privateIds, votes }), [board, votes])
  useEffect(() => (editor ? startVoteMode(editor, votes, connection.role === 'participant') : undefined), [editor, votes, connection])
  useEffect(() => (editor ? followSummons(editor, connection, summoned) : undefined), [editor, connection, summoned])

  const { agenda, locked, privateMode, timer } = state
  const step = agenda.current >= 0 ? agenda.steps[agenda.current] : undefined
  const role = connection.role

  return (
    <div className="facilitation-bar" data-testid="facilitation-bar">
      <div className="facilitation-bar__row">
        {step && (
          <p className="status-chip status-chip--agenda" data-testid="agenda-current">
            {t('agenda.current', { n: agenda.current + 1, total: agenda.steps.length, title: step.title })}
          </p>
        )}
        <TimerDisplay connection={connection} timer={timer} />
        <VoteStatus votes={votes} editor={editor} />
      </div>
      <div aria-live="polite">
        {locked && (
          <p className="banner banner--lock" data-testid="locked-banner">
            {t(role === 'facilitator' ? 'facilitation.lockedFacilitator' : 'facilitation.lockedBanner')}
          </p>
        )}
        {privateMode && (
          <p className="banner banner--private" data-testid="private-banner">
            {t(role === 'participant' ? 'private.bannerParticipant' : role === 'facilitator' ? 'private.bannerFacilitator' : 'private.bannerViewer')}
          </p>
        )}
        {summonSeq > 0 && (
          <p className="visually-hidden" key={summonSeq}>
            {t('facilitation.summonedHere')}
          </p>
        )}
      </div>
      <RefusalNotice connection={connection} />
    </div>
  )
}
