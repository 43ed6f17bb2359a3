import type { Editor } from 'tldraw'
import type { FacilitationState } from '../../core/facilitation.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { summonCamera } from './attention.ts'
import { useIntent } from './hooks.ts'

/** The facilitator's switches for the room: private mode and reveal, lock, and "bring everyone to me". */
export function SessionControls({ connection, editor, state }: { connection: BoardConnection; editor: Editor | null; state: FacilitationState }) {
  const t = useT()
  const { send, message, busy } = useIntent(connection)
  const { privateMode, locked } = state

  return (
    <div className="facilitation-controls" data-testid="session-controls">
      <div className="button-row">
        <button
          type="button"
          className={privateMode ? 'button primary' : 'button'}
          aria-pressed={privateMode}
          disabled={busy}
          onClick={() => void send({ type: 'private.set', on: !privateMode }, t(privateMode ? 'private.turnedOff' : 'private.turnedOn'))}
          data-testid="private-toggle"
        >
          {/* On is shown by a mark as well as the fill; the label stays, as aria-pressed asks. */}
          {privateMode && <span aria-hidden="true">✓ </span>}
          {t('private.toggle')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void send({ type: 'private.reveal' }, t('private.revealed'))} data-testid="private-reveal">
          {t('private.reveal')}
        </button>
      </div>
      <p className="hint">{t('private.facilitatorHint')}</p>
      <div className="button-row">
        <button
          type="button"
          className={locked ? 'button primary' : 'button'}
          aria-pressed={locked}
          disabled={busy}
          onClick={() => void send({ type: 'lock.set', locked: !locked }, t(locked ? 'facilitation.unlockedDone' : 'facilitation.lockedDone'))}
          data-testid="lock-toggle"
        >
          {locked && <span aria-hidden="true">✓ </span>}
          {t('facilitation.lock')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || !editor}
          onClick={() => editor && void send({ type: 'attention.summon', camera: summonCamera(editor) }, t('facilitation.summoned'))}
          data-testid="summon"
        >
          {t('facilitation.summon')}
        </button>
      </div>
      <p className="status-line" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  )
}
