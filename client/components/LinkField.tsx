import { useId, useRef } from 'react'
import type { Role } from '../../core/roles.ts'
import { useT } from '../i18n/I18nProvider.tsx'

/** A board link in a read-only field with a copy button; the outcome is announced by the caller. */
export function LinkField({ role, url, label, testId, onCopied }: { role: Role; url: string; label: string; testId: string; onCopied(message: string): void }) {
  const t = useT()
  const id = useId()
  const input = useRef<HTMLInputElement>(null)
  const roleName = t(`role.${role}`)

  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      onCopied(t('start.copied', { role: roleName }))
    } catch {
      input.current?.select()
      onCopied(t('start.copyFailed'))
    }
  }

  return (
    <div className="field link-field">
      <label htmlFor={id}>{label}</label>
      <div className="link-row">
        <input id={id} ref={input} type="text" readOnly value={url} data-testid={testId} onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={() => void copy()} aria-label={t('start.copyLabel', { role: roleName })}>
          {t('start.copy')}
        </button>
      </div>
    </div>
  )
}
