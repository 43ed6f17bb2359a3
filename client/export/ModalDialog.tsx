import { useEffect, useId, useRef, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { useT } from '../i18n/I18nProvider.tsx'
import './export.css'

/**
 * A modal on the native <dialog>: the browser makes the rest of the page inert, keeps Tab inside
 * and closes on Escape. Focus goes to the heading on opening (so a screen reader reads where it
 * is) and back to whatever opened the dialog on closing. Rendered at the end of <body> so it
 * never sits inside the header's toolbar in the accessibility tree.
 */
export function ModalDialog({
  open,
  onClose,
  title,
  children,
  testId,
  wide = false,
  role = 'dialog',
}: {
  open: boolean
  onClose(): void
  title: string
  children: ReactNode
  testId: string
  wide?: boolean
  role?: 'dialog' | 'alertdialog'
}) {
  const t = useT()
  const headingId = useId()
  const ref = useRef<HTMLDialogElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    const dialog = ref.current
    if (!open || !dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    heading.current?.focus()
    return () => {
      if (dialog.open) dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [open])

  if (!open) return null
  return createPortal(
    <dialog
      ref={ref}
      className={wide ? 'snurra-dialog snurra-dialog--wide' : 'snurra-dialog'}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={headingId}
      data-testid={testId}
      onCancel={(e) => {
        // Escape: let React state close it, so the effect above restores focus.
        e.preventDefault()
        onClose()
      }}
    >
      <div className="snurra-dialog__head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="button small" onClick={onClose} data-testid={`${testId}-close`}>
          {t('export.close')}
        </button>
      </div>
      {children}
    </dialog>,
    document.body,
  )
}
