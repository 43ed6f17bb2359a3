import { isForbiddenKey } from './validation/json.ts'

/**
 * Board templates are data (templates/*.json). This module is their schema: the types and one
 * validator whose errors name the field, so that a municipality editing its own template file
 * is told exactly what is wrong.
 */
export type TemplateLayout = 'circle' | 'matrix' | 'none'

export interface TemplateItem {
  id: string
  label: string
  color: string
}

/** An action path in a template; `taskId` nests it under one main task (drawn in that task's part of the ring). */
export interface TemplatePath extends TemplateItem {
  taskId?: string
}

export interface Template {
  id: string
  /** The programme's or platform's name, shown in the centre of the circle. */
  title: string
  /** Where the wording comes from, shown on the board so nobody mistakes it for Snurra's own. */
  source: string
  description: string
  layout: TemplateLayout
  /** Main tasks (huvuduppgifter) or priorities: fixed wording from the source. */
  tasks: TemplateItem[]
  /** Action paths: entered by the facilitator when the board is set up, unless the source names them. */
  paths: TemplatePath[]
  /** The board's sectors: the rows of a matrix, and the choices for an activity's sector. */
  sectors: TemplateItem[]
}

export class TemplateError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${source}: ${field}: ${problem}`)
    this.name = 'TemplateError'
  }
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/
// Task, path and sector ids become keys of a card's id sets and of lookups by id: never a
// name that reaches an object's prototype.
const isId = (id: string) => ID.test(id) && !isForbiddenKey(id)
const COLOR = /^#[0-9a-fA-F]{6}$/
const LAYOUTS: readonly TemplateLayout[] = ['circle', 'matrix', 'none']

export function validateTemplate(value: unknown, source: string): Template {
  const fail = (field: string, problem: string): never => {
    throw new TemplateError(source, field, problem)
  }
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(field, 'must be an object')
  const str = (v: unknown, field: string, max = 500): string =>
    typeof v === 'string' && v.trim().length > 0 && v.length <= max
      ? v
      : fail(field, `must be a non-empty string of at most ${max} characters`)
  const items = (v: unknown, field: string): TemplateItem[] => {
    if (!Array.isArray(v)) return fail(field, 'must be an array')
    const seen = new Set<string>()
    return v.map((raw, i) => {
      const f = `${field}[${i}]`
      const item = obj(raw, f)
      const id = str(item.id, `${f}.id`, 63)
      if (!isId(id)) fail(`${f}.id`, 'must be lower-case letters, digits and dashes (not constructor or prototype)')
      if (seen.has(id)) fail(`${f}.id`, `duplicate id "${id}"`)
      seen.add(id)
      const color = str(item.color, `${f}.color`, 7)
      if (!COLOR.test(color)) fail(`${f}.color`, 'must be a colour like #1a2b3c')
      return { id, label: str(item.label, `${f}.label`), color }
    })
  }

  const t = obj(value, '(root)')
  const id = str(t.id, 'id', 63)
  if (!isId(id)) fail('id', 'must be lower-case letters, digits and dashes (not constructor or prototype)')
  const layout = t.layout as TemplateLayout
  if (!LAYOUTS.includes(layout)) fail('layout', `must be one of ${LAYOUTS.join(', ')}`)
  const template: Template = {
    id,
    title: str(t.title, 'title'),
    source: typeof t.source === 'string' ? t.source : '',
    description: typeof t.description === 'string' ? t.description : '',
    layout,
    tasks: items(t.tasks ?? [], 'tasks'),
    paths: items(t.paths ?? [], 'paths'),
    sectors: items(t.sectors ?? [], 'sectors'),
  }
  const taskIds = new Set(template.tasks.map((task) => task.id))
  template.paths = template.paths.map((path, i) => {
    const taskId = (t.paths as Record<string, unknown>[])[i].taskId
    if (taskId === undefined) return path
    const field = `paths[${i}].taskId`
    if (typeof taskId !== 'string' || !taskIds.has(taskId)) fail(field, 'must be the id of one of the main tasks in "tasks"')
    return { ...path, taskId: taskId as string }
  })
  if (layout === 'circle' && template.tasks.length === 0) fail('tasks', 'a circle needs at least one main task')
  if (layout === 'matrix' && template.tasks.length === 0) fail('tasks', 'a matrix needs at least one column (a priority)')
  if (layout === 'matrix' && template.sectors.length === 0) fail('sectors', 'a matrix needs at least one row (a sector)')
  if (layout === 'matrix' && template.paths.length > 0) fail('paths', 'a matrix has no action paths; leave it empty')
  return template
}
