import { useId, useRef, useState } from 'react'
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
        (['participant', 'viewer'] as const).map((role) => <CopyField key={role} role={role} url={step.links[role]} onCopied={setMessage} />)}
      <p className="status-line" role="status" aria-live="polite">
        {message}
      </p>
    </div>
  )
}

function CopyField({ role, url, onCopied }: { role: 'participant' | 'viewer'; url: string; onCopied(message: string): void }) {
  const t = useT()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const roleName = t(`role.${role}`)

  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      onCopied(t('people.linkCopied', { role: roleName }))
    } catch {
      input.current?.select()
      onCopied(t('people.linkCopyFailed'))
    }
  }

  return (
    <div className="field">
      <label htmlFor={id}>{t(role === 'participant' ? 'role.linkParticipant' : 'role.linkViewer')}</label>
      <div className="link-row">
        <input id={id} ref={input} type="text" readOnly value={url} onFocus={(e) => e.target.select()} data-testid={`new-link-${role}`} />
        <button type="button" className="button button--small" onClick={() => void copy()} aria-label={t('people.copyLink', { role: roleName })}>
          {t('people.copy')}
        </button>
      </div>
    </div>
  )
}
