import { FACILITATION_KEY, type FacilitationState } from '../core/facilitation.ts'
import { RECORDS_KEY } from '../core/record-store.ts'
import type { Role } from '../core/roles.ts'
import type { ServerSnurraMessage } from '../core/messages.ts'
import type { UpdateTargets } from './update-inspector.ts'

export type RejectReason = Extract<ServerSnurraMessage, { t: 'rejected' }>['reason']
export type WriteVerdict = { ok: true } | { ok: false; reason: RejectReason }

/** What a participant may write besides records: the schema upgrade a newer client makes. */
const PARTICIPANT_META_KEYS = new Set(['meta:schema'])

/**
 * Who may write what, judged on the parts of the document an update touches:
 * - nobody writes the facilitation state (only the server, from intents);
 * - nobody sends an update that depends on changes the server does not have yet;
 * - a viewer writes nothing; a participant writes nothing while the board is locked;
 * - a participant writes records (cards), never the template layer (nor marks a record as part of it),
 *   meta or action paths;
 * - the facilitator writes everything else.
 */
export function judgeWrite(role: Role, state: Pick<FacilitationState, 'locked'>, targets: UpdateTargets, isTemplateRecord: (id: string) => boolean): WriteVerdict {
  if (role === 'viewer') return { ok: false, reason: 'read-only' }
  for (const key of targets.keys) if (key === FACILITATION_KEY || key.startsWith(FACILITATION_KEY + ':')) return { ok: false, reason: 'server-only' }
  // Held back by Yjs and applied later without being judged again: refused for every role.
  if (targets.pending) return { ok: false, reason: 'unknown-target' }
  if (role === 'facilitator') return { ok: true }
  if (state.locked) return { ok: false, reason: 'locked' }
  if (targets.unresolved) return { ok: false, reason: 'unknown-target' }
  const recordPrefix = RECORDS_KEY + ':'
  for (const key of targets.keys) {
    if (key.startsWith(recordPrefix)) {
      const id = key.slice(recordPrefix.length)
      if (isTemplateRecord(id) || targets.templateMarks.has(id)) return { ok: false, reason: 'facilitator-only' }
    } else if (!PARTICIPANT_META_KEYS.has(key)) {
      return { ok: false, reason: 'facilitator-only' }
    }
  }
  return { ok: true }
}
