import { useEffect, useRef, useState } from 'react'
import { react, useValue } from 'tldraw'
import { ApiError, fetchSession, type Session } from '../api.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { BoardConnection, type Replacement } from '../sync/connection.ts'
import { forgetBoardLocally } from '../sync/local-copies.ts'
import { BoardEditor } from './BoardEditor.tsx'
import { JoinDialog } from './JoinDialog.tsx'
import { Notice } from './Notice.tsx'
import { deviceKey, type Profile } from './identity.ts'

type SessionState = { state: 'loading' } | { state: 'ready'; session: Session } | { state: 'failed'; status: number; message: string }

/** /b/<id>?token=…: checks the link, connects, asks who you are, then opens the board. */
export function BoardPage({ boardId, token }: { boardId: string; token: string | null }) {
  const t = useT()
  const [session, setSession] = useState<SessionState>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (!token) return
    let live = true
    setSession({ state: 'loading' })
    fetchSession(boardId, token).then(
      (s) => live && setSession({ state: 'ready', session: s }),
      (err: unknown) => {
        const status = err instanceof ApiError ? err.status : 0
        // Deleted while this browser was away: its copies of the board go now.
        if (status === 410) void forgetBoardLocally(boardId)
        if (live) setSession({ state: 'failed', status, message: (err as Error).message })
      },
    )
    return () => {
      live = false
    }
  }, [boardId, token, attempt])

  if (!token) return <Notice message={t('board.missingToken')} />
  if (session.state === 'loading') return <Notice message={t('board.loadingSession')} busy />
  if (session.state === 'failed') {
    if (session.status === 401) return <Notice message={t('board.badLink')} />
    if (session.status === 404) return <Notice message={t('board.notFound')} />
    if (session.status === 410) return <Notice message={t('board.deleted')} />
    return <Notice message={t('board.sessionFailed', { reason: session.message })} onRetry={() => setAttempt((n) => n + 1)} />
  }
  return <ConnectedBoard session={session.session} token={token} />
}

function ConnectedBoard({ session, token }: { session: Session; token: string }) {
  const [connection, setConnection] = useState<BoardConnection | null>(null)
  const [profile, setProfile] = useState<Profile | null>(null)
  // After a refused update the connection rebases its copy and is replaced by a new one that
  // starts from the rebased state: the board opens again without a page reload.
  const [generation, setGeneration] = useState(0)
  const handover = useRef<Replacement | null>(null)

  useEffect(() => {
    const conn = new BoardConnection(session.boardId, token, { role: session.role, person: deviceKey(), initial: handover.current })
    setConnection(conn)
    const stop = react('connection replaced', () => {
      const replacement = conn.replaced.get()
      if (!replacement) return
      handover.current = replacement
      queueMicrotask(() => setGeneration((n) => n + 1))
    })
    return () => {
      stop()
      conn.destroy()
    }
  }, [session.boardId, session.role, token, generation])

  if (!connection) return null
  if (!profile) return <JoinDialog connection={connection} session={session} onJoin={setProfile} />
  return <SyncedBoard connection={connection} session={session} profile={profile} />
}

const closedMessage = {
  unauthorized: 'status.closedUnauthorized',
  'not-found': 'status.closedNotFound',
  deleted: 'status.closedDeleted',
  malformed: 'status.closedMalformed',
} as const

function SyncedBoard({ connection, session, profile }: { connection: BoardConnection; session: Session; profile: Profile }) {
  const t = useT()
  const synced = useValue('synced', () => connection.synced.get(), [connection])
  const closed = useValue('closed', () => connection.closed.get(), [connection])
  if (!synced) {
    if (closed) return <Notice message={t(closedMessage[closed.kind === 'other' ? 'malformed' : closed.kind])} />
    return <Notice message={t('board.syncing')} busy />
  }
  return <BoardEditor connection={connection} session={session} profile={profile} />
}
