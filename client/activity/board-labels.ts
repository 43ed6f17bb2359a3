import { atom, react, type Atom, type TLStore } from 'tldraw'
import { pathsOf, readPaths } from '../../core/board-meta.ts'
import type { Target } from '../../core/coverage.ts'
import type { TemplateItem } from '../../core/template.ts'
import type { BoardConnection } from '../sync/connection.ts'

/** What a card, the list and the coverage panel need to name the ids an activity carries. */
export interface BoardLabels {
  tasks: TemplateItem[]
  paths: Target[]
  sectors: TemplateItem[]
}

const EMPTY: BoardLabels = { tasks: [], paths: [], sectors: [] }

// Keyed by the store rather than held in React context: tldraw renders shapes for image
// exports in a separate React root, where our context would not reach but the store does.
const registry = new WeakMap<TLStore, Atom<BoardLabels>>()

export function labelsAtom(store: TLStore): Atom<BoardLabels> {
  let labels = registry.get(store)
  if (!labels) {
    labels = atom('board labels', EMPTY)
    registry.set(store, labels)
  }
  return labels
}

/** Keeps the store's labels in step with the board's meta (template) and its action paths. */
export function bindBoardLabels(store: TLStore, connection: BoardConnection): () => void {
  const labels = labelsAtom(store)
  const paths = pathsOf(connection.doc)
  const update = () => {
    const template = connection.meta.get()?.template
    labels.set({
      tasks: template?.tasks ?? [],
      sectors: template?.sectors ?? [],
      paths: readPaths(connection.doc).map((p) => ({ id: p.id, label: p.label })),
    })
  }
  const stopMeta = react('board labels from meta', update)
  paths.observeDeep(update)
  return () => {
    stopMeta()
    paths.unobserveDeep(update)
  }
}
