import { useId, useState, type FormEvent } from 'react'
import type { TimerState } from '../../core/facilitation.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { useIntent } from './hooks.ts'

const MAX_MINUTES = 180

/** The facilitator's timer: start with a number of minutes, pause, resume, add a minute, stop. */
export function TimerControls({ connection, timer }: { connection: BoardConnection; timer: TimerState }) {
  const t = useT()
  const ids = { minutes: useId() }
  const [minutes, setMinutes] = useState(String(Math.max(1, Math.round(timer.durationMs / 60_000))))
  const { send, message, busy } = useIntent(connection)
  const parsed = Number(minutes.replace(',', '.'))
  const valid = Number.isFinite(parsed) && parsed > 0 && parsed <= MAX_MINUTES

  function start(e: FormEvent) {
    e.preventDefault()
    if (!valid) return
    void send({ type: 'timer.start', durationMs: Math.round(parsed * 60_000) }, t('timer.started', { minutes: parsed }))
  }

  return (
    <div className="facilitation-controls" data-testid="timer-controls">
      <form onSubmit={start} className="inline-form">
        <div className="field field--inline">
          <label htmlFor={ids.minutes}>{t('timer.minutes')}</label>
          <input id={ids.minutes} type="number" min={1} max={MAX_MINUTES} step={1} inputMode="numeric" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-invalid={!valid || undefined} data-testid="timer-minutes" />
        </div>
        <button type="submit" className="button primary" disabled={!valid || busy} data-testid="timer-start">
          {timer.status === 'idle' ? t('timer.start') : t('timer.restart')}
        </button>
      </form>
      <div className="button-row">
        {timer.status === 'running' && (
          <button type="button" className="button" disabled={busy} onClick={() => void send({ type: 'timer.pause' }, t('timer.pausedDone'))} data-testid="timer-pause">
            {t('timer.pause')}
          </button>
        )}
        {timer.status === 'paused' && (
          <button type="button" className="button" disabled={busy} onClick={() => void send({ type: 'timer.resume' }, t('timer.resumed'))} data-testid="timer-resume">
            {t('timer.resume')}
          </button>
        )}
        <button type="button" className="button" disabled={busy || timer.status === 'idle'} onClick={() => void send({ type: 'timer.add', ms: 60_000 }, t('timer.added'))} data-testid="timer-add">
          {t('timer.addMinute')}
        </button>
        <button type="button" className="button" disabled={busy || timer.status === 'idle'} onClick={() => void send({ type: 'timer.stop' }, t('timer.stopped'))} data-testid="timer-stop">
          {t('timer.stop')}
        </button>
      </div>
      <p className="status-line" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  )
}
