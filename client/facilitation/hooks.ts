import { useCallback, useEffect, useState } from 'react'
import { useValue } from 'tldraw'
import type { Ballot, FacilitationState } from '../../core/facilitation.ts'
import type { Intent } from '../../core/intents.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { intentErrorKey } from './intent-errors.ts'
import type { BoardConnection } from '../sync/connection.ts'

/** The facilitation state, live: re-renders whenever the server writes a part of it. */
export function useFacilitation(connection: BoardConnection): FacilitationState {
  return useValue('facilitation', () => connection.facilitation.get(), [connection])
}

/** This person's ballot in the current vote (empty when the ballot is from an older round). */
export function useMyBallot(connection: BoardConnection): Ballot {
  return useValue(
    'my ballot',
    () => {
      const { round, ballot } = connection.channel.ballot.get()
      return round === connection.facilitation.get().vote.round ? ballot : {}
    },
    [connection],
  )
}

/** The server's clock, re-read every `ms` while `active` (for a running timer). */
export function useServerNow(connection: BoardConnection, active: boolean, ms = 250): number {
  const offset = useValue('clock offset', () => connection.channel.clockOffset.get(), [connection])
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    setNow(Date.now())
    if (!active) return
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [active, ms])
  return now + offset
}

/**
 * Sends intents and keeps a message about the last one for a status line: the error, or
 * `done` (if given) on success. `busy` is true while an answer is awaited.
 */
export function useIntent(connection: BoardConnection) {
  const t = useT()
  const [message, setMessage] = useState('')
  const [busy, setBusy] = useState(false)
  const send = useCallback(
    async (intent: Intent, done?: string): Promise<boolean> => {
      setBusy(true)
      const result = await connection.channel.send(intent)
      setBusy(false)
      setMessage(result.ok ? (done ?? '') : t(intentErrorKey(result.error)))
      return result.ok
    },
    [connection, t],
  )
  return { send, message, busy, setMessage }
}
