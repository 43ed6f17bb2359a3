import { useEffect, useId, useRef, useState } from 'react'
import { createUserId, useValue, type Editor } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import type { TemplateItem } from '../../core/template.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { usePeers, type Peer } from './usePeers.ts'
import './people.css'

interface Person {
  peer: Peer
  online: boolean
}

/** Everyone present now, plus those who were here this session and left (shown as offline). */
function usePeople(awareness: Awareness): Person[] {
  const all = usePeers(awareness)
  // A reconnecting tab can briefly have two awareness states: list each person once.
  const peers = all.filter((p, i) => all.findIndex((q) => q.user.id === p.user.id) === i)
  const seen = useRef(new Map<string, Peer>())
  for (const peer of peers) if (!peer.isSelf) seen.current.set(peer.user.id, peer)
  const present = new Set(peers.map((p) => p.user.id))
  const gone = [...seen.current.values()].filter((p) => !present.has(p.user.id))
  return [...peers.map((peer) => ({ peer, online: true })), ...gone.map((peer) => ({ peer, online: false }))]
}

/** The people panel: name, sector, role and whether each person is online, with "follow" for the others. */
export function PeoplePanel({ awareness, sectors, editor }: { awareness: Awareness; sectors: TemplateItem[]; editor?: Editor | null }) {
  const t = useT()
  const headingId = useId()
  const people = usePeople(awareness)
  const following = useValue('following', () => editor?.getInstanceState().followingUserId ?? null, [editor])
  const [announcement, setAnnouncement] = useState('')
  const sectorName = (id: string) => sectors.find((s) => s.id === id)?.label ?? t('people.noSector')
  const nameOf = (peer: Peer) => peer.user.name || t('people.anonymous')
  const online = people.filter((p) => p.online).length

  // tldraw stops following when the user moves the canvas themselves: say so.
  const last = useRef(following)
  useEffect(() => {
    const before = last.current
    last.current = following
    if (before && !following) {
      const peer = people.find((p) => createUserId(p.peer.user.id) === before)?.peer
      setAnnouncement(t('people.stoppedFollowing', { name: peer ? nameOf(peer) : t('people.anonymous') }))
    }
    // Only a change of `following` is news; the rest is read for the name.
  }, [following])

  function toggleFollow(peer: Peer) {
    if (!editor) return
    const id = createUserId(peer.user.id)
    if (following === id) return editor.stopFollowingUser()
    editor.startFollowingUser(id)
    setAnnouncement(t('people.nowFollowing', { name: nameOf(peer) }))
  }

  return (
    <section className="panel-section people-panel" aria-labelledby={headingId} data-testid="people">
      <h2 id={headingId}>{t('people.heading', { count: online })}</h2>
      <ul className="people-list">
        {people.map(({ peer, online }) => {
          const name = nameOf(peer)
          const isFollowed = following === createUserId(peer.user.id)
          return (
            <li key={peer.isSelf ? 'self' : peer.user.id} data-testid="person" data-online={online} data-role={peer.user.role} className={online ? undefined : 'person--offline'}>
              <span className="person-dot" style={{ background: online ? peer.user.color : 'transparent', borderColor: peer.user.color }} aria-hidden="true" />
              <span className="person-name">{peer.isSelf ? t('people.you', { name }) : name}</span>
              <span className="person-sector">
                {sectorName(peer.user.sector)} · {t(`role.${peer.user.role}`)} · {online ? t('people.online') : t('people.offline')}
              </span>
              {!peer.isSelf && online && editor && (
                <button
                  type="button"
                  className="button button--small person-follow"
                  aria-pressed={isFollowed}
                  aria-label={t(isFollowed ? 'people.unfollowLabel' : 'people.followLabel', { name })}
                  onClick={() => toggleFollow(peer)}
                  data-testid="follow"
                >
                  {t(isFollowed ? 'people.unfollow' : 'people.follow')}
                </button>
              )}
            </li>
          )
        })}
      </ul>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </section>
  )
}
