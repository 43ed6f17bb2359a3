import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react'
import { useValue, type Editor } from 'tldraw'
import type * as Y from 'yjs'
import { parsePathList, pathsOf, readMeta, readPaths, type ActionPath } from '../../core/board-meta.ts'
import { appendPaths, cardsHittingPath, deletePath, movePath, renamePath, setPathTask } from '../../core/paths.ts'
import { syncTemplateLayer } from '../../core/template-layer.ts'
import { layerCounts } from '../canvas/counts.ts'
import { useT } from '../i18n/I18nProvider.tsx'
import { PathRow } from './PathRow.tsx'
import '../canvas/canvas.css'

function usePaths(doc: Y.Doc, repair: boolean): ActionPath[] {
  const [paths, setPaths] = useState(() => readPaths(doc))
  useEffect(() => {
    const map = pathsOf(doc)
    const update = (_events: unknown, txn: Y.Transaction) => {
      setPaths(readPaths(doc))
      // Two facilitators editing at once each redraw from their own view; whoever sees the
      // merged result redraws again (a no-op when the layer already matches).
      if (repair && !txn.local) syncTemplateLayer(doc)
    }
    map.observeDeep(update)
    setPaths(readPaths(doc))
    return () => map.unobserveDeep(update)
  }, [doc, repair])
  return paths
}

/**
 * The facilitator's editor of the action paths: paste new ones, rename, nest under a main task,
 * reorder with buttons, and delete (asking first when activities hit the path). The main tasks
 * are the programme's wording and are not editable here.
 */
export function PathsPanel({ doc, disabled, editor }: { doc: Y.Doc; disabled: boolean; editor: Editor | null }) {
  const t = useT()
  const ids = { heading: useId(), input: useId(), hint: useId(), nest: useId() }
  const paths = usePaths(doc, !disabled)
  const tasks = readMeta(doc)?.template.tasks ?? []
  // As a string, so dragging cards (which recomputes the counts) re-renders only when a count changes.
  const countsKey = useValue('path counts', () => (editor ? JSON.stringify([...layerCounts(editor).get().paths]) : null), [editor])
  const counts = useMemo(() => (countsKey ? new Map<string, number>(JSON.parse(countsKey)) : null), [countsKey])
  const [text, setText] = useState('')
  const [nestNew, setNestNew] = useState('')
  const [message, setMessage] = useState('')
  const [open, setOpen] = useState(paths.length === 0)
  const [confirm, setConfirm] = useState<{ id: string; count: number } | null>(null)
  const [focusAfter, setFocusAfter] = useState<{ id: string; action: string } | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const list = useRef<HTMLOListElement>(null)

  // After a move the row is re-inserted elsewhere in the list; keep the keyboard on its button.
  useEffect(() => {
    if (!focusAfter) return
    const row = list.current?.querySelector(`[data-path-id="${focusAfter.id}"]`)
    const button = row?.querySelector<HTMLButtonElement>(`[data-action="${focusAfter.action}"]:not(:disabled)`) ?? row?.querySelector<HTMLButtonElement>('[data-action]:not(:disabled)')
    button?.focus()
    setFocusAfter(null)
  }, [focusAfter, paths])

  const labelOf = (id: string) => paths.find((p) => p.id === id)?.label ?? ''

  function add(e: FormEvent) {
    e.preventDefault()
    const labels = parsePathList(text)
    if (!labels.length) return setMessage(t('paths.nothing'))
    appendPaths(doc, labels, nestNew || undefined)
    setText('')
    setMessage(t('paths.saved', { count: labels.length }))
  }

  function rename(id: string, label: string): boolean {
    if (!renamePath(doc, id, label)) {
      setMessage(t('paths.emptyName'))
      return false
    }
    setMessage(t('paths.renamed', { path: label.trim() }))
    return true
  }

  function nest(id: string, taskId: string | null) {
    setPathTask(doc, id, taskId)
    const task = tasks.find((x) => x.id === taskId)
    setMessage(task ? t('paths.nested', { path: labelOf(id), task: task.label }) : t('paths.unnested', { path: labelOf(id) }))
  }

  function move(id: string, delta: number, position: number) {
    if (!movePath(doc, id, delta)) return
    setFocusAfter({ id, action: delta < 0 ? 'up' : 'down' })
    setMessage(t('paths.moved', { path: labelOf(id), position: position + delta, total: paths.length }))
  }

  function remove(id: string) {
    // Counted from the document at this moment, so the question names the real number.
    const count = cardsHittingPath(doc, id).length
    if (count > 0) return setConfirm({ id, count })
    reallyRemove(id)
  }

  function reallyRemove(id: string) {
    const label = labelOf(id)
    const changed = deletePath(doc, id)
    setConfirm(null)
    const key = changed === 0 ? 'paths.deleted' : changed === 1 ? 'paths.deletedWithCardsOne' : 'paths.deletedWithCards'
    setMessage(t(key, { path: label, count: changed }))
    heading.current?.focus()
  }

  const empty = paths.length === 0
  return (
    <section className={empty ? 'panel-section paths-panel paths-panel--empty' : 'panel-section paths-panel'} aria-labelledby={ids.heading} data-testid="paths-panel">
      <h2 id={ids.heading} ref={heading} tabIndex={-1}>
        {t('paths.heading')}
      </h2>
      <p>{empty ? t('paths.empty') : t(paths.length === 1 ? 'paths.countOne' : 'paths.count', { count: paths.length })}</p>
      {!empty && (
        <ol className="path-list" ref={list} aria-labelledby={ids.heading}>
          {paths.map((path, i) => (
            <PathRow
              key={path.id}
              path={path}
              position={i + 1}
              total={paths.length}
              tasks={tasks}
              hits={counts?.get(path.id) ?? null}
              disabled={disabled}
              confirming={confirm?.id === path.id ? confirm.count : null}
              onRename={(label) => rename(path.id, label)}
              onNest={(taskId) => nest(path.id, taskId)}
              onMove={(delta) => move(path.id, delta, i + 1)}
              onDelete={() => remove(path.id)}
              onConfirmDelete={() => reallyRemove(path.id)}
              onCancelDelete={() => setConfirm(null)}
            />
          ))}
        </ol>
      )}
      {!empty && <p className="hint">{t('paths.tasksFixed')}</p>}
      {!empty && (
        <button type="button" className="button" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? t('paths.hide') : t('paths.show')}
        </button>
      )}
      {(open || empty) && (
        <form onSubmit={add}>
          <div className="field">
            <label htmlFor={ids.input}>{t('paths.label')}</label>
            <textarea id={ids.input} rows={6} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={ids.hint} disabled={disabled} data-testid="paths-input" />
            <p id={ids.hint} className="hint">
              {t('paths.hint')}
            </p>
          </div>
          {tasks.length > 0 && (
            <div className="field">
              <label htmlFor={ids.nest}>{t('paths.nestNewLabel')}</label>
              <select id={ids.nest} value={nestNew} onChange={(e) => setNestNew(e.target.value)} disabled={disabled}>
                <option value="">{t('paths.nestNone')}</option>
                {tasks.map((task) => (
                  <option key={task.id} value={task.id}>
                    {task.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button type="submit" className="button primary" disabled={disabled} data-testid="paths-save">
            {t('paths.save')}
          </button>
        </form>
      )}
      <p role="status" aria-live="polite" className="status-line" data-testid="paths-status">
        {message}
      </p>
    </section>
  )
}
