import { useEffect, useRef, useState } from 'react'
import { timerRemaining, type TimerState } from '../../core/facilitation.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { BoardConnection } from '../sync/connection.ts'
import { useServerNow } from './hooks.ts'
import { formatRemaining } from './time-format.ts'
import { beep, setSoundWanted, soundWanted } from './timer-sound.ts'

/**
 * The shared countdown, the same for everyone: computed from the server's end time and the
 * server's clock (our offset from its hello), so a late joiner or a wrong local clock still
 * shows the right time. At zero it flashes, is announced, and beeps if the user asked for it.
 */
export function TimerDisplay({ connection, timer }: { connection: BoardConnection; timer: TimerState }) {
  const t = useT()
  const running = timer.status === 'running'
  const now = useServerNow(connection, running)
  const remaining = timerRemaining(timer, now)
  const done = running && remaining <= 0
  const [sound, setSound] = useState(soundWanted)
  const [announcement, setAnnouncement] = useState('')
  const last = useRef<number | null>(null)

  // Only a zero reached while we watched makes a sound: not one we find on loading the page.
  useEffect(() => {
    const before = last.current
    last.current = running ? remaining : null
    if (running && remaining <= 0 && before !== null && before > 0) {
      setAnnouncement(t('timer.done'))
      if (soundWanted()) beep()
    } else if (!running) {
      setAnnouncement('')
    }
  }, [running, remaining, t])

  if (timer.status === 'idle') return null
  const text = formatRemaining(remaining)
  const toggleSound = () => {
    setSoundWanted(!sound)
    setSound(!sound)
  }

  return (
    <div className={done ? 'timer timer--done' : 'timer'} data-testid="timer" data-status={timer.status} data-remaining-ms={Math.round(remaining)}>
      {!done && <span className="timer__label">{t('timer.label')}</span>}
      <span className="timer__time" role="timer" aria-label={t('timer.ariaRemaining', { time: text })} data-testid="timer-time">
        {done ? t('timer.doneShort') : text}
      </span>
      {timer.status === 'paused' && <span className="timer__paused">{t('timer.paused')}</span>}
      <button type="button" className="button button--small" aria-pressed={sound} onClick={toggleSound} data-testid="timer-sound">
        {sound ? t('timer.soundOn') : t('timer.soundOff')}
      </button>
      <span className="visually-hidden" role="status" aria-live="assertive">
        {announcement}
      </span>
    </div>
  )
}
