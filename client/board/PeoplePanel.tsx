import { useId } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { TemplateItem } from '../../core/template.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { usePeers } from './usePeers.ts'

export function PeoplePanel({ awareness, sectors }: { awareness: Awareness; sectors: TemplateItem[] }) {
  const t = useT()
  const headingId = useId()
  const peers = usePeers(awareness)
  const sectorName = (id: string) => sectors.find((s) => s.id === id)?.label ?? t('people.noSector')

  return (
    <section className="panel-section" aria-labelledby={headingId} data-testid="people">
      <h2 id={headingId}>{t('people.heading', { count: peers.length })}</h2>
      <ul className="people-list">
        {peers.map((peer) => {
          const name = peer.user.name || t('people.anonymous')
          return (
            <li key={peer.clientId} data-testid="person">
              <span className="person-dot" style={{ background: peer.user.color }} aria-hidden="true" />
              <span className="person-name">{peer.isSelf ? t('people.you', { name }) : name}</span>
              <span className="person-sector">{sectorName(peer.user.sector)}</span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
