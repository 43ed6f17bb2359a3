import { LinkField } from '../components/LinkField.tsx'
import { useState } from 'react'
import type { Role } from '../../core/roles.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { replaceLinks } from './replace-links.ts'

type Step = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'busy' } | { kind: 'done'; links: Record<Role, string> }

/**
 * Replaces the participant and viewer links (after asking): everyone on an old link is
 * disconnected at once. The new links are shown with copy buttons.
 */
export function LinkControls({ boardId, token }: { boardId: string; token: string }) {
  const t = useT()
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const [message, setMessage] = useState('')

  async function replace() {
    setStep({ kind: 'busy' })
    try {
      const links = await replaceLinks(boardId, token)
      setStep({ kind: 'done', links })
      setMessage(t('people.linksReplaced'))
    } catch (error) {
      setStep({ kind: 'idle' })
      setMessage(t('people.linksFailed', { reason: (error as Error).message }))
    }
  }

  return (
    <div className="facilitation-controls" data-testid="link-controls">
      {step.kind === 'confirm' ? (
        <div className="confirm" role="group" aria-label={t('people.replaceLinks')}>
          <p>{t('people.replaceConfirm')}</p>
          <div className="button-row">
            <button type="button" className="button primary" onClick={() => void replace()} data-testid="links-confirm" autoFocus>
              {t('people.replaceYes')}
            </button>
            <button type="button" className="button" onClick={() => setStep({ kind: 'idle' })}>
              {t('agenda.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button" disabled={step.kind === 'busy'} onClick={() => setStep({ kind: 'confirm' })} data-testid="links-replace">
          {t('people.replaceLinks')}
        </button>
      )}
      {step.kind === 'done' &&
        (['participant', 'viewer'] as const).map((role) => (
          <LinkField key={role} role={role} url={step.links[role]} label={t(role === 'participant' ? 'role.linkParticipant' : 'role.linkViewer')} testId={`new-link-${role}`} onCopied={setMessage} />
        ))}
      <p className="status-line" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  )
}
