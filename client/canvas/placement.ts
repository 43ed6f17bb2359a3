import { react, type Editor, type TLShape, type TLShapeId, type VecLike } from 'tldraw'
import { CARD_TYPE } from '../../core/shapes.ts'
import type { Translate } from '../i18n/I18nProvider.tsx'
import type { CardShape } from '../shapes/types.ts'
import { setCardTask } from './card-hits.ts'
import { notify } from './notices.ts'
import { isCard, placementAt, templateNames, type TemplateNames } from './template-shapes.ts'

interface Change {
  id: TLShapeId
  title: string
}

/**
 * The drop rule. When the local user finishes moving or creating a card whose centre lies in a
 * main-task segment (or a matrix column), that task is added to the card; in a matrix row, the
 * sector is set if the card has none. Moving a card out never removes anything: the notice
 * says so, and the task is removed on the card's own checkbox. Only the user's own changes
 * count (source 'user'), so with N people on the board exactly one client writes.
 */
export function watchCardPlacement(editor: Editor): () => void {
  // Card id → its centre before the gesture (null for a new card).
  const moved = new Map<TLShapeId, VecLike | null>()
  let frame = 0

  const flushSoon = () => {
    if (frame) return
    frame = requestAnimationFrame(() => {
      frame = 0
      // A drag reports every step; act once, when it ends (the reaction below).
      if (!busy(editor)) flush()
    })
  }

  const flush = () => {
    const entries = [...moved]
    moved.clear()
    if (!entries.length || editor.getIsReadonly()) return
    const names = templateNames(editor)
    const tasks = new Map<string, Change[]>()
    const sectors = new Map<string, Change[]>()
    const kept = new Map<string, Change[]>()
    for (const [id, start] of entries) {
      const card = editor.getShape(id)
      const center = isCard(card) ? editor.getShapePageBounds(card)?.center : null
      if (!isCard(card) || !center) continue
      const here = placementAt(editor, center)
      const change = { id, title: card.props.title }
      if (here.taskId && card.props.tasks[here.taskId] !== true) push(tasks, here.taskId, change)
      if (here.sectorId && !card.props.sector) push(sectors, here.sectorId, change)
      const before = start ? placementAt(editor, start).taskId : null
      if (before && before !== here.taskId && card.props.tasks[before] === true) push(kept, before, change)
    }
    if (!tasks.size && !sectors.size && !kept.size) return

    editor.run(() => {
      for (const [taskId, cards] of tasks) for (const c of cards) setCardTask(editor, editor.getShape(c.id) as CardShape, taskId, true)
      for (const [sectorId, cards] of sectors) for (const c of cards) editor.updateShape({ id: c.id, type: CARD_TYPE, props: { sector: sectorId } })
    })
    const undo = tasks.size || sectors.size ? () => undoPlacement(editor, tasks, sectors) : undefined
    notify(editor, (t) => describe(t, names, tasks, sectors, kept), undo)
  }

  const stopCreate = editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source !== 'user' || shape.type !== CARD_TYPE) return
    moved.set(shape.id, null)
    flushSoon()
  })
  const stopChange = editor.sideEffects.registerAfterChangeHandler('shape', (prev, next, source) => {
    if (source !== 'user' || next.type !== CARD_TYPE) return
    if (prev.x === next.x && prev.y === next.y && prev.parentId === next.parentId) return
    if (!moved.has(next.id)) moved.set(next.id, centerOf(editor, prev))
    flushSoon()
  })
  const stopTranslating = react('card placement: gesture ended', () => {
    if (!busy(editor)) flushSoon()
  })
  return () => {
    cancelAnimationFrame(frame)
    stopCreate()
    stopChange()
    stopTranslating()
  }
}

const busy = (editor: Editor) => editor.isInAny('select.translating', 'select.resizing', 'select.rotating')

function push(map: Map<string, Change[]>, key: string, change: Change) {
  const list = map.get(key)
  if (list) list.push(change)
  else map.set(key, [change])
}

/** The centre of a card as it was before a change (cards on the page: x, y are page coordinates). */
function centerOf(editor: Editor, shape: TLShape): VecLike | null {
  if (!isCard(shape) || shape.parentId !== editor.getCurrentPageId()) return null
  return { x: shape.x + shape.props.w / 2, y: shape.y + shape.props.h / 2 }
}

/** Reverts what the drop added, where nobody has changed it since. */
function undoPlacement(editor: Editor, tasks: Map<string, Change[]>, sectors: Map<string, Change[]>) {
  editor.run(() => {
    for (const [taskId, cards] of tasks) {
      for (const c of cards) {
        const card = editor.getShape(c.id)
        if (isCard(card) && card.props.tasks[taskId] === true) setCardTask(editor, card, taskId, false)
      }
    }
    for (const [sectorId, cards] of sectors) {
      for (const c of cards) {
        const card = editor.getShape(c.id)
        if (isCard(card) && card.props.sector === sectorId) editor.updateShape({ id: c.id, type: CARD_TYPE, props: { sector: '' } })
      }
    }
  })
  notify(editor, (t) => t('canvas.undone'))
}

function describe(t: Translate, names: TemplateNames, tasks: Map<string, Change[]>, sectors: Map<string, Change[]>, kept: Map<string, Change[]>): string {
  const matrix = names.layout === 'matrix'
  const who = (cards: Change[]) => (cards.length === 1 ? t('canvas.oneCard', { card: cards[0].title || t('card.untitled') }) : t('canvas.manyCards', { count: cards.length }))
  const lines: string[] = []
  for (const [id, cards] of tasks) lines.push(t(matrix ? 'matrix.priorityAdded' : 'canvas.taskAdded', { task: names.task(id), cards: who(cards) }))
  for (const [id, cards] of sectors) lines.push(t('matrix.sectorSet', { sector: names.sector(id), cards: who(cards) }))
  for (const [id, cards] of kept) lines.push(t(matrix ? 'matrix.priorityKept' : 'canvas.taskKept', { task: names.task(id), cards: who(cards) }))
  if (tasks.size && !kept.size) lines.push(t(matrix ? 'matrix.moveOutRule' : 'canvas.moveOutRule'))
  return lines.join(' ')
}
