import { atom, type Atom, type Signal, type TLStore } from 'tldraw'
import type { VoteController } from './vote-controller.ts'

/** What a card shows besides its activity: the private marker and the vote badge. */
export interface CardMarks {
  privateIds: Signal<ReadonlySet<string>>
  votes: VoteController
}

// Shapes render inside tldraw, far from the board's React tree; they find the marks through
// the store they belong to. An atom, so cards drawn before the marks exist update when they do.
const registry = new WeakMap<TLStore, Atom<CardMarks | null>>()

export function cardMarksAtom(store: TLStore): Atom<CardMarks | null> {
  let entry = registry.get(store)
  if (!entry) {
    entry = atom<CardMarks | null>('card marks', null)
    registry.set(store, entry)
  }
  return entry
}

export function registerCardMarks(store: TLStore, marks: CardMarks): () => void {
  const entry = cardMarksAtom(store)
  entry.set(marks)
  return () => {
    if (entry.get() === marks) entry.set(null)
  }
}
