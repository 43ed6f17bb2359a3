import type { Editor } from 'tldraw'
import type { IdSet } from '../../core/activity.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import type { CardShape } from '../shapes/types.ts'

/** A set with `id` added or (to untick) left out: record-store then deletes just that key. */
export function withId(set: IdSet, id: string, on: boolean): IdSet {
  const next: IdSet = { ...set }
  if (on) next[id] = true
  else delete next[id]
  return next
}

/** Ties the card to a path, or unties it if it already hits it. Returns whether it is now tied. */
export function toggleCardPath(editor: Editor, card: CardShape, pathId: string): boolean {
  const on = card.props.paths[pathId] !== true
  editor.markHistoryStoppingPoint('toggle path')
  editor.updateShape({ id: card.id, type: CARD_TYPE, props: { paths: withId(card.props.paths, pathId, on) } })
  return on
}

export function setCardTask(editor: Editor, card: CardShape, taskId: string, on: boolean): void {
  editor.updateShape({ id: card.id, type: CARD_TYPE, props: { tasks: withId(card.props.tasks, taskId, on) } })
}
