import type { SerializedSchema } from '@tldraw/store'

export type SchemaCompat = 'same' | 'older' | 'newer'

/**
 * How the schema stored in the board compares with ours. "newer" (a version above ours, or a
 * migration sequence we do not know) means records may carry fields we would drop or reject,
 * so this client must not write. "older" (or no schema at all) means we migrate on read and
 * record our schema once the board's records are upgraded.
 */
export function compareSchema(stored: SerializedSchema | null | undefined, ours: SerializedSchema): SchemaCompat {
  if (!stored || typeof stored !== 'object') return 'older'
  if (stored.schemaVersion > ours.schemaVersion) return 'newer'
  if (stored.schemaVersion < 2 || ours.schemaVersion < 2) return 'older'
  const theirs = (stored as { sequences?: Record<string, number> }).sequences ?? {}
  const mine = (ours as { sequences: Record<string, number> }).sequences
  let older = false
  for (const [id, version] of Object.entries(theirs)) {
    // Own keys only: a stored sequence named "constructor" is one we do not know.
    if (!Object.hasOwn(mine, id) || version > mine[id]) return 'newer'
    if (version < mine[id]) older = true
  }
  for (const id of Object.keys(mine)) if (!Object.hasOwn(theirs, id)) older = true
  return older ? 'older' : 'same'
}
