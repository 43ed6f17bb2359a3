import { useEffect, useRef, useState } from 'react'
import { useEditor, useValue } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import { dismiss, noticeAtom } from './notices.ts'

const SHOW_MS = 12_000

/**
 * What the last canvas gesture changed, with an undo. The message sits in a polite live region
 * that is always in the page (so screen readers announce each new one); the buttons are beside
 * it, not in it. It stays while hovered or focused, and closes on its own otherwise.
 */
export function CanvasNotice() {
  const editor = useEditor()
  const t = useT()
  const notice = useValue(noticeAtom(editor))
  const [held, setHeld] = useState(false)
  const close = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!notice || held) return
    const timer = setTimeout(() => dismiss(editor), SHOW_MS)
    return () => clearTimeout(timer)
  }, [editor, notice, held])

  const undo = () => {
    notice?.undo?.()
    // The undo button goes away with the old notice; keep the keyboard inside the box.
    requestAnimationFrame(() => close.current?.focus())
  }

  return (
    // Never `hidden`: a live region must already be in the page when its text arrives.
    <div
      className={notice ? 'canvas-notice' : 'canvas-notice canvas-notice--empty'}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
      data-testid="canvas-notice"
    >
      <p role="status" aria-live="polite" className="canvas-notice__text" data-testid="canvas-notice-text">
        {notice ? notice.message(t) : ''}
      </p>
      {notice && (
        <p className="canvas-notice__actions">
          {notice.undo && (
            <button type="button" className="button" onClick={undo} data-testid="canvas-notice-undo">
              {t('canvas.undo')}
            </button>
          )}
          <button type="button" className="button" ref={close} onClick={() => dismiss(editor)} aria-label={t('canvas.close')}>
            ×
          </button>
        </p>
      )}
    </div>
  )
}
