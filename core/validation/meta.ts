import { MAX_PATH_LABEL } from '../paths.ts'
import { jsonEqual } from '../record-store.ts'
import { validateTemplate, type Template } from '../template.ts'
import { isForbiddenKey, isPlainObject, jsonProblem } from './json.ts'
import { snurraSerializedSchema } from './schema.ts'

/** The board title's limit, as `POST /api/boards` has it. */
export const MAX_TITLE = 200

// A template is small (a few dozen items of ≤ 500 characters); this only bounds the walk.
const TEMPLATE_LIMITS = { maxDepth: 4, maxNodes: 5_000, maxChars: 200_000 }

/**
 * Every key of the board's `meta` map that anything writes (core/board-doc.ts seeds all four;
 * the browser records `schema` after upgrading a board's records; a copy under a new name
 * rewrites `title`). A value of `undefined` means the key is deleted, which nothing does.
 * Returns the problem, or null.
 */
export function validateMetaEntry(key: string, value: unknown): string | null {
  if (value === undefined) return `meta.${key.slice(0, 40)} cannot be removed`
  switch (key) {
    case 'title':
      return typeof value === 'string' && value.length <= MAX_TITLE ? null : `meta.title must be a string of at most ${MAX_TITLE} characters`
    case 'createdAt':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'meta.createdAt must be a finite number'
    case 'schema':
      // Only ours: a client with an older or newer tldraw must not record its schema (the
      // board would be read-only or unreadable for everyone else).
      return jsonProblem(value, TEMPLATE_LIMITS) === null && jsonEqual(value, snurraSerializedSchema()) ? null : "meta.schema must be this server's schema"
    case 'template': {
      const problem = jsonProblem(value, TEMPLATE_LIMITS, 'meta.template')
      if (problem) return problem
      try {
        validateTemplate(value, 'meta.template')
        return null
      } catch (error) {
        return (error as Error).message.slice(0, 300)
      }
    }
    default:
      return 'meta may hold only title, template, createdAt and schema'
  }
}

/** Path ids: the template's ids (lower-case, digits, dashes) and the ones core/ids.ts makes. */
const PATH_ID = /^[a-z0-9][a-z0-9-]{0,62}$/
const PATH_KEYS = new Set(['label', 'order', 'taskId'])

/**
 * One entry of the board's `paths` map as it would be stored (the entry's Y.Map as a plain
 * object, `undefined` when the entry is deleted), given the board's template: its `taskId`,
 * when set, names one of the template's main tasks. Returns the problem, or null.
 */
export function validatePathEntry(id: string, entry: unknown, template: Pick<Template, 'tasks'> | null): string | null {
  if (!PATH_ID.test(id) || isForbiddenKey(id)) return 'a path id is lower-case letters, digits and dashes, at most 63, and not constructor or prototype'
  if (entry === undefined) return null
  if (!isPlainObject(entry)) return 'a path must be an object'
  for (const key of Object.keys(entry)) if (!PATH_KEYS.has(key)) return 'a path holds only label, order and taskId'
  const { label, order, taskId } = entry
  if (typeof label !== 'string' || label.trim().length === 0 || label.length > MAX_PATH_LABEL) return `a path's label must be a non-empty string of at most ${MAX_PATH_LABEL} characters`
  if (typeof order !== 'number' || !Number.isFinite(order)) return "a path's order must be a finite number"
  if (taskId !== undefined && (typeof taskId !== 'string' || !template?.tasks.some((task) => task.id === taskId))) return "a path's taskId must name a main task of the board's template"
  return null
}
