import { useEffect, useId, useState, type FormEvent } from 'react'
import { ApiError, createBoard, fetchTemplates, type CreatedBoard, type TemplateSummary } from '../api.ts'
import { createKeyRequired, forgetCreateKey, rememberCreateKey, storedCreateKey } from '../create-key.ts'
import { limitMessage } from '../limit-messages.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { PageShell } from '../components/PageShell.tsx'
import { useDocumentTitle } from '../i18n/useDocumentTitle.ts'
import { DeletedNotice } from '../export/DeletedNotice.tsx'
import { CreatedLinks } from './CreatedLinks.tsx'
import { templateName } from './template-name.ts'

type Templates = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; list: TemplateSummary[] }

export function StartPage() {
  const t = useT()
  const [templates, setTemplates] = useState<Templates>({ state: 'loading' })
  const [created, setCreated] = useState<CreatedBoard | null>(null)
  useDocumentTitle(created ? t('start.linksHeading') : t('start.heading'))

  useEffect(() => {
    let live = true
    fetchTemplates().then(
      (list) => live && setTemplates({ state: 'ready', list }),
      () => live && setTemplates({ state: 'failed' }),
    )
    return () => {
      live = false
    }
  }, [])

  return (
    <PageShell variant="start">
      <DeletedNotice />
      {created ? (
        <CreatedLinks board={created} onAnother={() => setCreated(null)} />
      ) : (
        <CreateForm templates={templates} onCreated={setCreated} />
      )}
    </PageShell>
  )
}

function CreateForm({ templates, onCreated }: { templates: Templates; onCreated(board: CreatedBoard): void }) {
  const t = useT()
  const ids = { heading: useId(), template: useId(), title: useId(), hint: useId(), key: useId(), keyHint: useId() }
  const [template, setTemplate] = useState('')
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  // Asked for once: when the server requires a key this browser does not have, or refused the one it had.
  const [askKey, setAskKey] = useState(() => createKeyRequired() && !storedCreateKey())
  const [key, setKey] = useState('')

  const list = templates.state === 'ready' ? templates.list : []
  // Default to the activity circle, else any template with a layout, rather than a blank board.
  const chosen = template || (list.find((x) => x.layout === 'circle') ?? list.find((x) => x.layout !== 'none') ?? list[0])?.id || ''

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!chosen || busy) return
    const typedKey = key.trim()
    if (askKey && !typedKey) return setError(t('start.keyMissing'))
    setBusy(true)
    setError(null)
    try {
      // An empty title lets the server name the board after its template.
      const board = await createBoard(chosen, title.trim() || undefined, askKey ? typedKey : storedCreateKey())
      if (askKey) rememberCreateKey(typedKey)
      onCreated(board)
    } catch (err) {
      setBusy(false)
      if (err instanceof ApiError && err.code === 'create-key') {
        // A key the server no longer takes (changed) is forgotten, and the field comes back.
        const hadKey = askKey || storedCreateKey() !== null
        forgetCreateKey()
        setError(t(hadKey ? 'start.keyRejected' : 'start.keyMissing'))
        return setAskKey(true)
      }
      setError(limitMessage(t, err) ?? t('start.createFailed', { reason: (err as Error).message }))
    }
  }

  return (
    <section aria-labelledby={ids.heading} className="card-panel">
      <h1 id={ids.heading}>{t('start.heading')}</h1>
      <p>{t('start.intro')}</p>
      <form data-testid="create-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.template}>{t('start.template')}</label>
          <select id={ids.template} name="template" value={chosen} onChange={(e) => setTemplate(e.target.value)} disabled={templates.state !== 'ready'}>
            {list.map((item) => (
              <option key={item.id} value={item.id}>
                {templateName(t, item)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.title}>{t('start.title')}</label>
          <input id={ids.title} name="title" type="text" maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} aria-describedby={ids.hint} autoComplete="off" />
          <p id={ids.hint} className="hint">
            {t('start.titleHint')}
          </p>
        </div>
        {askKey && (
          <div className="field">
            <label htmlFor={ids.key}>{t('start.key')}</label>
            <input
              id={ids.key}
              name="create-key"
              type="password"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              aria-describedby={ids.keyHint}
              autoComplete="current-password"
              required
              data-testid="create-key"
            />
            <p id={ids.keyHint} className="hint">
              {t('start.keyHint')}
            </p>
          </div>
        )}
        <button type="submit" className="button primary" disabled={!chosen || busy}>
          {t('start.submit')}
        </button>
      </form>
      <div role="status" aria-live="polite" className="status-line">
        {templates.state === 'loading' ? t('start.templatesLoading') : busy ? t('start.creating') : ''}
      </div>
      <div role="alert" className="error-line">
        {templates.state === 'failed' ? t('start.templatesFailed') : error}
      </div>
    </section>
  )
}
