import { META_KEY, PATHS_KEY } from '../core/board-meta.ts'
import { FACILITATION_KEY } from '../core/facilitation.ts'
import { RECORDS_KEY, type JsonRecord } from '../core/record-store.ts'
import type { Role } from '../core/roles.ts'
import { isCardRecord } from '../core/board-view.ts'
import { PAGE_ID } from '../core/circle.ts'
import { isTemplateShape } from '../core/template-layer.ts'
import type { DocChanges } from './pipeline/changes.ts'
import type { Refusal } from './room-types.ts'

const BOARD_ROOTS = new Set([RECORDS_KEY, META_KEY, PATHS_KEY, FACILITATION_KEY])

/**
 * Who may write what, judged on what an update would change:
 * - nobody writes the facilitation state (only the server, from intents), nor a root the board
 *   does not have;
 * - a viewer writes nothing; a participant writes nothing while the board is locked;
 * - a participant writes shapes, bindings and assets (cards, arrows, a pasted image), never the template layer (nor marks
 *   a record as part of it), the page, the document, meta (the schema included) or action paths;
 * - the facilitator writes everything else. What is written is then validated for every role.
 */
export function judgeWrite(role: Role, locked: boolean, changes: DocChanges): Refusal | null {
  if (role === 'viewer') return { reason: 'read-only' }
  for (const root of changes.roots) {
    if (root === FACILITATION_KEY) return { reason: 'server-only', detail: 'writes the facilitation state' }
    if (!BOARD_ROOTS.has(root)) return { reason: 'invalid', detail: 'writes a root the board does not have' }
  }
  if (role === 'facilitator') return null
  const records = [...changes.records.keys()]
  if (locked) return { reason: 'locked', records }
  if (changes.roots.has(META_KEY) || changes.roots.has(PATHS_KEY)) return { reason: 'facilitator-only', detail: 'writes meta or action paths' }
  const forbidden = records.filter((id) => {
    const { before, after } = changes.records.get(id)!
    return facilitatorsOnly(id, before) || facilitatorsOnly(id, after)
  })
  return forbidden.length ? { reason: 'facilitator-only', records: forbidden, detail: 'writes the template layer, the page or the document' } : null
}

/** What a participant writes: shapes (cards, arrows), bindings, and assets (a pasted image). */
const PARTICIPANT_TYPES = new Set(['shape', 'binding', 'asset'])

function facilitatorsOnly(id: string, record: JsonRecord | null): boolean {
  const prefix = id.slice(0, id.indexOf(':'))
  if (!PARTICIPANT_TYPES.has(prefix)) return true
  return record !== null && (!PARTICIPANT_TYPES.has(record.typeName) || isTemplateShape(record))
}

/**
 * A person's private drafts hold their unrevealed cards and nothing else, whoever writes them.
 * The board's lock does not apply: drafts reach nobody until the facilitator reveals them.
 */
export function judgeDraftWrite(role: Role, changes: DocChanges): Refusal | null {
  if (role === 'viewer') return { reason: 'read-only' }
  for (const root of changes.roots) if (root !== RECORDS_KEY) return { reason: 'invalid', detail: 'drafts hold cards only' }
  const others = [...changes.records].filter(([, { after }]) => after !== null && !(isCardRecord(after) && after.parentId === PAGE_ID)).map(([id]) => id)
  return others.length ? { reason: 'invalid', records: others, detail: "drafts hold cards on the board's page only" } : null
}
