import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import { LIMITS } from '../activity.ts'
import { DOCUMENT_ID, PAGE_ID } from '../circle.ts'
import type { JsonRecord } from '../record-store.ts'
import { CARD_TYPE } from '../shapes.ts'
import { isPlainObject, jsonProblem, type JsonLimits } from './json.ts'
import { snurraSchema } from './schema.ts'

export type RecordVerdict = { ok: true; record: JsonRecord } | { ok: false; problem: string }

/**
 * The document types a board may hold, as the client really writes them: the document and its
 * one page (seeded by the server), shapes (cards, the template layer, and tldraw's own shapes:
 * the toolbar offers draw, arrow, text, note, geo, line and frame, and group, highlight,
 * embed and bookmark are reachable by shortcut or paste), bindings (arrows), assets (the
 * toolbar's image button and pasted images, videos and links: without an upload handler tldraw
 * keeps them inline) and `user` records (the editor puts one for the current person, for
 * attribution). Session and presence types never go into the document.
 */
export const BOARD_TYPE_NAMES: ReadonlySet<string> = new Set(['document', 'page', 'shape', 'binding', 'asset', 'user'])

/**
 * Bounds on one stored record. The size is what a WebSocket frame may carry anyway (an inline
 * image asset is the largest thing a client writes); the depth leaves room for tldraw's rich
 * text, whose nested lists are the deepest thing in a record.
 */
export const RECORD_LIMITS: JsonLimits & { maxIdLength: number } = {
  maxDepth: 32,
  maxNodes: 50_000,
  maxChars: 1_048_576,
  maxIdLength: 200,
}

/** How many task or path ids one card may hit, and how long one id may be (template ids are ≤ 63). */
export const ID_SET_LIMITS = { maxIds: 500, maxIdLength: 64 } as const

const CARD_TEXT_LIMITS: Record<string, number> = {
  title: LIMITS.title,
  description: LIMITS.text,
  sector: LIMITS.text,
  responsible: LIMITS.text,
  partners: LIMITS.text,
}

/**
 * Whether `value` may be stored as a board record (the unflattened object of
 * core/record-store.ts), judged on its own. Links to other records are RecordLinks' job.
 * Never throws; the problem (at most 300 characters) names fields, types and keys,
 * never a value the client wrote (it may be card text, not ours to log).
 */
export function validateRecord(value: unknown): RecordVerdict {
  const fail = (problem: string): RecordVerdict => ({ ok: false, problem })
  const form = recordFormProblem(value)
  if (form) return fail(form)
  if (!isPlainObject(value)) return fail('a record must be an object')
  const typeName = value.typeName as string

  // tldraw's own validator for the type: every default shape's props, our card, segment and cell
  // props, and index keys (T.indexKey already refuses "", "zzz" and "a10").
  try {
    snurraSchema().types[typeName as TLRecord['typeName']].validate(value)
  } catch (error) {
    return fail(withoutValues(String((error as Error)?.message ?? error)))
  }
  if (typeName === 'shape' && value.type === CARD_TYPE) {
    const problem = cardProblem(value.props as Record<string, unknown>)
    if (problem) return fail(problem)
  }
  return { ok: true, record: value as JsonRecord }
}

/**
 * What validateRecord checks before tldraw's schema: plain bounded JSON without prototype keys,
 * a board type, an id of that type, the one document and page. A record of an older schema is
 * judged by this before it is migrated.
 */
export function recordFormProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return 'a record must be an object'
  const json = jsonProblem(value, RECORD_LIMITS, 'record')
  if (json) return json
  const { id, typeName } = value
  if (typeof id !== 'string' || id.length > RECORD_LIMITS.maxIdLength) return 'the id must be a string of at most 200 characters'
  if (typeof typeName !== 'string' || !BOARD_TYPE_NAMES.has(typeName)) return 'the typeName is not one a board holds'
  if (!id.startsWith(typeName + ':') || id.length === typeName.length + 1) return `the id of a ${typeName} must start with "${typeName}:"`
  if (typeName === 'document' && id !== DOCUMENT_ID) return `the only document is ${DOCUMENT_ID}`
  if (typeName === 'page' && id !== PAGE_ID) return `the only page is ${PAGE_ID}`
  return null
}

/**
 * tldraw's message without the value it was given, which may be the client's text (not ours to
 * log): "got a number" stays, "got \"…\"" does not.
 */
const withoutValues = (message: string) => message.replace(/got (?!(?:a|an) \w+$|null$|undefined$)[\s\S]*$/, 'got another value').slice(0, 300)

/** The limits tldraw's validators cannot express: lengths of the activity's fields. */
function cardProblem(props: Record<string, unknown>): string | null {
  for (const [field, max] of Object.entries(CARD_TEXT_LIMITS)) {
    if ((props[field] as string).length > max) return `props.${field} is longer than ${max} characters`
  }
  for (const field of ['tasks', 'paths']) {
    const ids = Object.keys(props[field] as object)
    if (ids.length > ID_SET_LIMITS.maxIds) return `props.${field} has more than ${ID_SET_LIMITS.maxIds} ids`
    if (ids.some((id) => id.length === 0 || id.length > ID_SET_LIMITS.maxIdLength)) return `props.${field} has an id that is empty or longer than ${ID_SET_LIMITS.maxIdLength} characters`
  }
  return null
}

export type MigrationVerdict = { ok: true; record: JsonRecord } | { ok: false; problem: string }

/**
 * Brings a record written with an older schema (the board's `meta.schema`) up to ours with
 * tldraw's migrations. `null` means the records are already in our schema. `schema` defaults to
 * Snurra's; the browser passes its store's (the same types, built from the shape utils).
 * Never throws.
 */
export function migrateRecord(record: JsonRecord, fromSchema: SerializedSchema | null, schema: TLSchema = snurraSchema()): MigrationVerdict {
  if (!fromSchema) return { ok: true, record }
  try {
    // Asked first, so an unknown or newer schema is a plain refusal rather than an error logged by tldraw.
    const steps = schema.getMigrationsSince(fromSchema)
    if (!steps.ok) return { ok: false, problem: `the stored schema cannot be migrated: ${steps.error}` }
    const migrated = schema.migratePersistedRecord(record as unknown as TLRecord, fromSchema)
    if (migrated.type === 'error') return { ok: false, problem: `migration failed: ${migrated.reason}` }
    return { ok: true, record: migrated.value as unknown as JsonRecord }
  } catch (error) {
    return { ok: false, problem: `migration failed: ${(error as Error)?.message ?? error}` }
  }
}
