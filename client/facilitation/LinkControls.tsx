import { LinkField } from '../components/LinkField.tsx'
import { useState } from 'react'
import type { Role } from '../../core/roles.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { replaceLinks } from './replace-links.ts'

type Which = 'others' | 'facilitator'
type Step = { kind: 'idle' } | { kind: 'confirm'; which: Which } | { kind: 'busy' } | { kind: 'done'; links: Record<Role, string> } | { kind: 'moving' }

/**
 * Replaces the participant and viewer links, or the facilitator's own link when it has leaked
 * (after asking): everyone on an old link is disconnected at once. New participant and viewer
 * links are shown with copy buttons; after replacing their own, the facilitator is moved to it.
 */
export function LinkControls({ boardId, token }: { boardId: string; token: string }) {
  const t = useT()
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const [message, setMessage] = useState('')

  async function replace(which: Which) {
    setStep({ kind: 'busy' })
    try {
      const links = await replaceLinks(boardId, token, which === 'facilitator' ? ['facilitator'] : ['participant', 'viewer'])
      if (which === 'facilitator') {
        setStep({ kind: 'moving' })
        setMessage(t('people.movingToNewLink'))
        // replace(): going back must not lead to the link that no longer works.
        window.location.replace(links.facilitator)
        return
      }
      setStep({ kind: 'done', links })
      setMessage(t('people.linksReplaced'))
    } catch (error) {
      setStep({ kind: 'idle' })
      setMessage(t('people.linksFailed', { reason: (error as Error).message }))
    }
  }

  const busy = step.kind === 'busy' || step.kind === 'moving'
  return (
    <div className="facilitation-controls" data-testid="link-controls">
      {step.kind === 'confirm' ? (
        <div className="confirm" role="group" aria-label={t(step.which === 'facilitator' ? 'people.replaceFacilitator' : 'people.replaceLinks')}>
          <p>{t(step.which === 'facilitator' ? 'people.replaceFacilitatorConfirm' : 'people.replaceConfirm')}</p>
          <div className="button-row">
            <button type="button" className="button primary" onClick={() => void replace(step.which)} data-testid="links-confirm" autoFocus>
              {t(step.which === 'facilitator' ? 'people.replaceFacilitatorYes' : 'people.replaceYes')}
            </button>
            <button type="button" className="button" onClick={() => setStep({ kind: 'idle' })}>
              {t('agenda.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="button-row">
          <button type="button" className="button" disabled={busy} onClick={() => setStep({ kind: 'confirm', which: 'others' })} data-testid="links-replace">
            {t('people.replaceLinks')}
          </button>
          <button type="button" className="button" disabled={busy} onClick={() => setStep({ kind: 'confirm', which: 'facilitator' })} data-testid="links-replace-facilitator">
            {t('people.replaceFacilitator')}
          </button>
        </div>
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
