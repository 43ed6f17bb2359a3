import { atom, type Atom, type Editor } from 'tldraw'
import type { Translate } from '../i18n/I18nProvider.tsx'

/**
 * The canvas's own announcements (what a gesture changed, with an undo). Messages are built at
 * render time, so they follow a language switch while shown.
 */
export interface CanvasNotice {
  id: number
  message(t: Translate): string
  /** Reverts exactly what the gesture changed; absent when there is nothing to undo. */
  undo?: () => void
}

const registry = new WeakMap<Editor, Atom<CanvasNotice | null>>()
let nextId = 1

export function noticeAtom(editor: Editor): Atom<CanvasNotice | null> {
  let notice = registry.get(editor)
  if (!notice) {
    notice = atom<CanvasNotice | null>('canvas notice', null)
    registry.set(editor, notice)
  }
  return notice
}

export function notify(editor: Editor, message: (t: Translate) => string, undo?: () => void): void {
  noticeAtom(editor).set({ id: nextId++, message, undo })
}

export function dismiss(editor: Editor): void {
  noticeAtom(editor).set(null)
}
