import { useId, useState, type FormEvent } from 'react'
import { useValue, type Editor } from 'tldraw'
import { useT } from '../i18n/I18nProvider.tsx'
import type { MessageKey } from '../i18n/messages.ts'
import { downloadBlob } from './download.ts'
import { exportPicture, NothingToExport, PICTURE_FORMATS, type PictureContext, type PictureFormat, type PictureScope } from './picture-export.ts'

const FORMAT_LABELS: Record<PictureFormat, MessageKey> = { png: 'export.formatPng', svg: 'export.formatSvg' }

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; file: string } | { kind: 'error'; text: string }

/** PNG or SVG of the whole board or the selection, with the legend, title and date. */
export function PictureSection({ editor, context }: { editor: Editor; context: PictureContext }) {
  const t = useT()
  const ids = { heading: useId(), hint: useId() }
  const selected = useValue('selected shapes', () => editor.getSelectedShapeIds().length, [editor])
  const [scope, setScope] = useState<PictureScope>('board')
  const [format, setFormat] = useState<PictureFormat>('png')
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const effectiveScope: PictureScope = scope === 'selection' && selected > 0 ? 'selection' : 'board'

  async function run(e: FormEvent) {
    e.preventDefault()
    if (status.kind === 'busy') return
    setStatus({ kind: 'busy' })
    try {
      const { blob, fileName } = await exportPicture(editor, { format, scope: effectiveScope }, context)
      downloadBlob(blob, fileName)
      setStatus({ kind: 'done', file: fileName })
    } catch (err) {
      setStatus({ kind: 'error', text: err instanceof NothingToExport ? t('export.nothing') : t('export.failed', { reason: (err as Error).message }) })
    }
  }

  return (
    <section className="export-section" aria-labelledby={ids.heading}>
      <h3 id={ids.heading}>{t('export.pictureHeading')}</h3>
      <p className="hint">{t('export.pictureIntro')}</p>
      <form onSubmit={run} data-testid="picture-form">
        <fieldset className="choice-group">
          <legend>{t('export.scope')}</legend>
          <label>
            <input type="radio" name="scope" value="board" checked={effectiveScope === 'board'} onChange={() => setScope('board')} data-testid="scope-board" />
            {t('export.scopeBoard')}
          </label>
          <label>
            <input
              type="radio"
              name="scope"
              value="selection"
              checked={effectiveScope === 'selection'}
              disabled={selected === 0}
              aria-describedby={selected === 0 ? ids.hint : undefined}
              onChange={() => setScope('selection')}
              data-testid="scope-selection"
            />
            {t('export.scopeSelection', { count: selected })}
          </label>
          {selected === 0 && (
            <p className="hint" id={ids.hint}>
              {t('export.scopeNoSelection')}
            </p>
          )}
        </fieldset>
        <fieldset className="choice-group">
          <legend>{t('export.format')}</legend>
          {PICTURE_FORMATS.map((f) => (
            <label key={f}>
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`format-${f}`} />
              {t(FORMAT_LABELS[f])}
            </label>
          ))}
        </fieldset>
        <p className="actions">
          <button type="submit" className="button primary" aria-disabled={status.kind === 'busy' || undefined} data-testid="picture-download">
            {t('export.download')}
          </button>
        </p>
        <p role="status" aria-live="polite" className={status.kind === 'error' ? 'status-line error-text' : 'status-line'} data-testid="picture-status" data-state={status.kind}>
          {status.kind === 'busy' ? t('export.working') : status.kind === 'done' ? t('export.done', { file: status.file }) : status.kind === 'error' ? status.text : ''}
        </p>
      </form>
    </section>
  )
}
