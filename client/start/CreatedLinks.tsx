import { useEffect, useId, useRef, useState } from 'react'
import type { CreatedBoard } from '../api.ts'
import { ROLES, type Role } from '../../core/roles.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import type { MessageKey } from '../i18n/messages.ts'
import { LinkField } from '../components/LinkField.tsx'

const LINK_LABEL: Record<Role, MessageKey> = {
  facilitator: 'role.linkFacilitator',
  participant: 'role.linkParticipant',
  viewer: 'role.linkViewer',
}

export function CreatedLinks({ board, onAnother }: { board: CreatedBoard; onAnother(): void }) {
  const t = useT()
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  const [announcement, setAnnouncement] = useState(t('start.created'))

  // Move focus to the result so keyboard and screen-reader users land on the links.
  useEffect(() => heading.current?.focus(), [])

  return (
    <section aria-labelledby={headingId} className="card-panel">
      <h1 id={headingId} ref={heading} tabIndex={-1}>
        {t('start.linksHeading')}
      </h1>
      <p>{t('start.linksIntro')}</p>
      {ROLES.map((role) => (
        <LinkField key={role} role={role} url={board.links[role]} label={t(LINK_LABEL[role])} testId={`link-${role}`} onCopied={setAnnouncement} />
      ))}
      <p className="actions">
        <a className="button primary" href={board.links.facilitator} data-testid="open-facilitator">
          {t('start.openFacilitator')}
        </a>
        <button type="button" className="button" onClick={onAnother}>
          {t('start.createAnother')}
        </button>
      </p>
      <div role="status" aria-live="polite" className="status-line">
        {announcement}
      </div>
    </section>
  )
}
