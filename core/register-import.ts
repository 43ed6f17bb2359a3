import { COLLABORATIONS, defaultActivity, LIMITS, STATUSES, TIMEFRAMES, type Activity, type IdSet } from './activity.ts'
import type { BoardView } from './board-view.ts'
import { CsvSyntaxError, isFormulaLike, parseCsv, type CsvRecord } from './csv.ts'
import { COMPUTED_COLUMNS, FIELD_COLUMNS, targetsOf, type ComputedColumn, type FieldColumn, type Labels } from './register.ts'

/**
 * Reads an activity register (CSV) back into activities: the export's columns, headed in any of
 * the interface languages or by their codes, comma or semicolon, tasks and paths matched by
 * name. Every bad line is reported; the caller applies nothing unless there are no errors.
 */
export const MAX_IMPORT_ROWS = 5000

export type ImportErrorKey =
  | 'import.error.syntax'
  | 'import.error.empty'
  | 'import.error.tooMany'
  | 'import.error.unknownColumn'
  | 'import.error.duplicateColumn'
  | 'import.error.ambiguousColumn'
  | 'import.error.noTitleColumn'
  | 'import.error.extraFields'
  | 'import.error.noTitle'
  | 'import.error.tooLong'
  | 'import.error.badValue'
  | 'import.error.unknownSector'
  | 'import.error.badYear'

export interface ImportError {
  line: number
  key: ImportErrorKey
  vars?: Record<string, string>
}

type Column =
  | { kind: 'field'; field: FieldColumn }
  | { kind: 'computed'; field: ComputedColumn }
  | { kind: 'task'; id: string }
  | { kind: 'path'; id: string }

const norm = (s: string) => s.trim().toLocaleLowerCase('sv')
const TRUE = new Set(['1', 'x', 'ja', 'yes', 'true', 'sant'])
const FALSE = new Set(['', '0', 'nej', 'no', 'false', 'falskt'])

/** What our own export put in front of a formula-like cell (core/csv.ts) comes off again. */
const unneutralise = (value: string) => (value.startsWith("'") && isFormulaLike(value.slice(1)) ? value.slice(1) : value)

export function readRegisterCsv(text: string, view: BoardView, languages: readonly Labels[]): { activities: Activity[]; errors: ImportError[] } {
  let records: CsvRecord[]
  try {
    records = parseCsv(text)
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { activities: [], errors: [{ line: err.line, key: 'import.error.syntax', vars: { reason: err.message } }] }
    throw err
  }
  const [head, ...body] = records
  if (!head || body.length === 0) return { activities: [], errors: [{ line: head?.line ?? 1, key: 'import.error.empty' }] }
  if (body.length > MAX_IMPORT_ROWS) return { activities: [], errors: [{ line: body[MAX_IMPORT_ROWS].line, key: 'import.error.tooMany', vars: { max: String(MAX_IMPORT_ROWS) } }] }

  // Spreadsheets often save empty cells after the last column (a trailing delimiter): not columns.
  let width = head.fields.length
  while (width > 1 && head.fields[width - 1].trim() === '') width--
  const { columns, errors } = readHeader({ line: head.line, fields: head.fields.slice(0, width) }, view, languages)
  if (errors.length) return { activities: [], errors }
  const values = valueNames(languages)
  const sectors = new Map<string, string>()
  for (const s of view.meta.template.sectors) {
    sectors.set(norm(s.id), s.id)
    sectors.set(norm(s.label), s.id)
  }

  const activities: Activity[] = []
  for (const record of body) {
    const rowErrors: ImportError[] = []
    const fail = (key: ImportErrorKey, vars?: Record<string, string>) => rowErrors.push({ line: record.line, key, vars })
    if (record.fields.slice(columns.length).some((f) => f.trim() !== '')) fail('import.error.extraFields', { found: String(record.fields.length), expected: String(columns.length) })
    const activity = defaultActivity()
    const tasks: IdSet = {}
    const paths: IdSet = {}
    columns.forEach((column, i) => {
      const raw = unneutralise(record.fields[i] ?? '')
      const header = head.fields[i].trim()
      const flag = () => {
        const v = norm(raw)
        if (TRUE.has(v)) return true
        if (!FALSE.has(v)) fail('import.error.badValue', { column: header, value: raw })
        return false
      }
      if (column.kind === 'task' || column.kind === 'path') {
        if (flag()) (column.kind === 'task' ? tasks : paths)[column.id] = true
        return
      }
      if (column.kind === 'computed') return
      switch (column.field) {
        case 'id':
          return // imported activities are new cards with ids of their own
        case 'title':
        case 'description':
        case 'responsible':
        case 'partners': {
          const value = raw.trim()
          const max = column.field === 'title' ? LIMITS.title : LIMITS.text
          if (value.length > max) fail('import.error.tooLong', { column: header, max: String(max) })
          activity[column.field] = value
          return
        }
        case 'sector': {
          const value = norm(raw)
          if (value === '') return
          const id = sectors.get(value)
          if (id === undefined) fail('import.error.unknownSector', { value: raw })
          else activity.sector = id
          return
        }
        case 'collaboration':
        case 'timeframe':
        case 'status': {
          const value = norm(raw)
          if (value === '') return // not stated: the default (an idea, for the status)
          const code = values[column.field].get(value)
          if (code === undefined) fail('import.error.badValue', { column: header, value: raw })
          else (activity as unknown as Record<string, string>)[column.field] = code
          return
        }
        case 'year': {
          const value = raw.trim()
          if (value === '') return
          const year = Number(value)
          if (!Number.isInteger(year) || year < LIMITS.year.min || year > LIMITS.year.max) fail('import.error.badYear', { value: raw })
          else activity.year = year
          return
        }
        case 'childRights':
          activity.childRights = flag()
          return
      }
    })
    if (activity.title === '' && !rowErrors.some((e) => e.key === 'import.error.tooLong')) fail('import.error.noTitle')
    activity.tasks = tasks
    activity.paths = paths
    if (rowErrors.length) errors.push(...rowErrors)
    else activities.push(activity)
  }
  return errors.length ? { activities: [], errors } : { activities, errors: [] }
}

function readHeader(head: CsvRecord, view: BoardView, languages: readonly Labels[]): { columns: Column[]; errors: ImportError[] } {
  const known = new Map<string, Column[]>()
  const add = (name: string, column: Column) => {
    const key = norm(name)
    const list = known.get(key) ?? []
    if (!list.some((c) => JSON.stringify(c) === JSON.stringify(column))) list.push(column)
    known.set(key, list)
  }
  const { tasks, paths } = targetsOf(view)
  for (const field of FIELD_COLUMNS) add(field, { kind: 'field', field })
  for (const field of COMPUTED_COLUMNS) add(field, { kind: 'computed', field })
  for (const t of languages) {
    for (const field of FIELD_COLUMNS) add(t(`register.column.${field}`), { kind: 'field', field })
    for (const field of COMPUTED_COLUMNS) add(t(`register.column.${field}`), { kind: 'computed', field })
    for (const task of tasks) add(t('register.column.task', { name: task.label }), { kind: 'task', id: task.id })
    for (const path of paths) add(t('register.column.path', { name: path.label }), { kind: 'path', id: path.id })
  }
  // A bare name works too, unless a task and a path share it.
  for (const task of tasks) add(task.label, { kind: 'task', id: task.id })
  for (const path of paths) add(path.label, { kind: 'path', id: path.id })

  const errors: ImportError[] = []
  const columns: Column[] = []
  const seen = new Set<string>()
  for (const raw of head.fields) {
    const matches = known.get(norm(raw)) ?? []
    const name = raw.trim()
    if (matches.length === 0) errors.push({ line: head.line, key: 'import.error.unknownColumn', vars: { name } })
    else if (matches.length > 1) errors.push({ line: head.line, key: 'import.error.ambiguousColumn', vars: { name } })
    else {
      const id = JSON.stringify(matches[0])
      if (seen.has(id)) errors.push({ line: head.line, key: 'import.error.duplicateColumn', vars: { name } })
      seen.add(id)
    }
    columns.push(matches[0] ?? { kind: 'computed', field: 'votes' })
  }
  if (!columns.some((c) => c.kind === 'field' && c.field === 'title')) errors.push({ line: head.line, key: 'import.error.noTitleColumn' })
  return { columns, errors }
}

/** For each enum field: every accepted spelling (code or a language's label) → its code. */
function valueNames(languages: readonly Labels[]): Record<'status' | 'timeframe' | 'collaboration', Map<string, string>> {
  const status = new Map<string, string>()
  const timeframe = new Map<string, string>()
  const collaboration = new Map<string, string>()
  for (const code of STATUSES) status.set(code, code)
  for (const code of TIMEFRAMES) if (code) timeframe.set(code, code)
  for (const code of COLLABORATIONS) if (code) collaboration.set(code, code)
  for (const t of languages) {
    for (const code of STATUSES) status.set(norm(t(`activity.status.${code}`)), code)
    for (const code of TIMEFRAMES) if (code) timeframe.set(norm(t(`activity.timeframe.${code}`)), code)
    for (const code of COLLABORATIONS) if (code) collaboration.set(norm(t(`activity.collaboration.${code}`)), code)
  }
  return { status, timeframe, collaboration }
}
