import { useEffect, useId, useState, type FormEvent } from 'react'
import type * as Y from 'yjs'
import { appendPaths } from '../../core/board-doc.ts'
import { parsePathList, pathsOf, readPaths } from '../../core/board-meta.ts'
import { useT } from '../i18n/I18nProvider.tsx'

function usePathCount(doc: Y.Doc): number {
  const [count, setCount] = useState(() => readPaths(doc).length)
  useEffect(() => {
    const paths = pathsOf(doc)
    const update = () => setCount(readPaths(doc).length)
    paths.observeDeep(update)
    update()
    return () => paths.unobserveDeep(update)
  }, [doc])
  return count
}

/** Facilitator setup: paste the programme's action paths, one per line, to draw the outer ring. */
export function PathsPanel({ doc, disabled }: { doc: Y.Doc; disabled: boolean }) {
  const t = useT()
  const ids = { heading: useId(), input: useId(), hint: useId() }
  const count = usePathCount(doc)
  const [text, setText] = useState('')
  const [message, setMessage] = useState('')
  const [open, setOpen] = useState(count === 0)

  function save(e: FormEvent) {
    e.preventDefault()
    const labels = parsePathList(text)
    if (!labels.length) return setMessage(t('paths.nothing'))
    appendPaths(doc, labels)
    setText('')
    setMessage(t('paths.saved', { count: labels.length }))
  }

  const empty = count === 0
  return (
    <section className={empty ? 'panel-section paths-panel paths-panel--empty' : 'panel-section paths-panel'} aria-labelledby={ids.heading} data-testid="paths-panel">
      <h2 id={ids.heading}>{t('paths.heading')}</h2>
      <p>{empty ? t('paths.empty') : t('paths.count', { count })}</p>
      {!empty && (
        <button type="button" className="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('paths.hide') : t('paths.show')}
        </button>
      )}
      {(open || empty) && (
        <form onSubmit={save}>
          <div className="field">
            <label htmlFor={ids.input}>{t('paths.label')}</label>
            <textarea id={ids.input} rows={6} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={ids.hint} disabled={disabled} data-testid="paths-input" />
            <p id={ids.hint} className="hint">
              {t('paths.hint')}
            </p>
          </div>
          <button type="submit" className="button primary" disabled={disabled} data-testid="paths-save">
            {t('paths.save')}
          </button>
        </form>
      )}
      <p role="status" aria-live="polite" className="status-line">
        {message}
      </p>
    </section>
  )
}
