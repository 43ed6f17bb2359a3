export interface RankedResult {
  id: string
  title: string
  votes: number
}

/** Cards with votes, most first; ties by title so every screen lists them in the same order. */
export function rankResults(results: Record<string, number>, cards: ReadonlyArray<{ id: string; title: string }>): RankedResult[] {
  const titles = new Map(cards.map((c) => [c.id, c.title]))
  return Object.entries(results)
    .filter(([, votes]) => votes > 0)
    .map(([id, votes]) => ({ id, votes, title: titles.get(id) ?? '' }))
    .sort((a, b) => b.votes - a.votes || a.title.localeCompare(b.title, 'sv') || (a.id < b.id ? -1 : 1))
}
