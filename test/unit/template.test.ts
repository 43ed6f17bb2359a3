import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TemplateError, validateTemplate, type Template } from '../../core/template.ts'
import { loadTemplates } from '../../server/templates.ts'

const DIR = join(import.meta.dirname, '..', '..', 'templates')
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'))
const load = (name: string) => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Record<string, unknown>

const tempDirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'snurra-templates-'))
  tempDirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

const MAIN_TASKS = [
  'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor',
  'Bättre jobbchanser, inkomster och livsvillkor',
  'Starkare samspel och känsla för platsen',
  'Förnyad stadsmiljö',
]

/** The error `validateTemplate` throws for `value` (fails the test if it does not throw). */
function errorFor(value: unknown, source = 'templates/test.json'): TemplateError {
  try {
    validateTemplate(value, source)
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError)
    return err as TemplateError
  }
  throw new Error(`expected ${JSON.stringify(value)} to be rejected`)
}

describe('shipped templates', () => {
  it('there are templates, and each validates and keeps its id as its file name', () => {
    expect(files.length).toBeGreaterThanOrEqual(2)
    for (const file of files) {
      const template = validateTemplate(load(file), file)
      expect(`${template.id}.json`).toBe(file)
    }
  })

  it('the server loads all of them with unique ids', () => {
    const templates = loadTemplates(DIR)
    expect([...templates.keys()].sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort())
  })

  it('hallunda-norsborg has exactly the four main tasks, verbatim and in order, and no invented action paths', () => {
    const t: Template = validateTemplate(load('hallunda-norsborg.json'), 'hallunda-norsborg.json')
    expect(t.layout).toBe('circle')
    expect(t.tasks.map((task) => task.label)).toEqual(MAIN_TASKS)
    expect(t.paths).toEqual([])
    expect(t.source).toMatch(/Botkyrka/)
    // Each main task is a valid item with its own id and colour.
    expect(new Set(t.tasks.map((task) => task.id)).size).toBe(4)
    for (const task of t.tasks) expect(task.color).toMatch(/^#[0-9a-fA-F]{6}$/)
  })

  it('returns a clean copy: unknown fields are dropped', () => {
    const t = validateTemplate({ ...load('blank.json'), extra: 'x' }, 'blank.json')
    expect(t).not.toHaveProperty('extra')
  })
})

describe('malformed templates name the file and the field', () => {
  const good = () => structuredClone(load('hallunda-norsborg.json'))
  const cases: Array<[string, (t: Record<string, unknown>) => unknown, string]> = [
    ['not an object', () => 'a string', '(root)'],
    ['an array', () => [], '(root)'],
    ['missing id', (t) => ({ ...t, id: undefined }), 'id'],
    ['upper-case id', (t) => ({ ...t, id: 'Hallunda' }), 'id'],
    ['empty title', (t) => ({ ...t, title: '  ' }), 'title'],
    ['unknown layout', (t) => ({ ...t, layout: 'spiral' }), 'layout'],
    ['tasks not an array', (t) => ({ ...t, tasks: {} }), 'tasks'],
    ['circle without tasks', (t) => ({ ...t, tasks: [] }), 'tasks'],
    ['a task that is not an object', (t) => ({ ...t, tasks: [...(t.tasks as unknown[]), 7] }), 'tasks[4]'],
    ['a task without a label', (t) => ({ ...t, tasks: [{ id: 'x', color: '#000000' }] }), 'tasks[0].label'],
    ['a task with a bad colour', (t) => ({ ...t, tasks: [{ id: 'x', label: 'X', color: 'red' }] }), 'tasks[0].color'],
    ['a task with a bad id', (t) => ({ ...t, tasks: [{ id: 'X Y', label: 'X', color: '#000000' }] }), 'tasks[0].id'],
    [
      'duplicate task ids',
      (t) => ({ ...t, tasks: [{ id: 'a', label: 'A', color: '#000000' }, { id: 'a', label: 'B', color: '#111111' }] }),
      'tasks[1].id',
    ],
    ['a sector with an over-long label', (t) => ({ ...t, sectors: [{ id: 's', label: 'x'.repeat(501), color: '#000000' }] }), 'sectors[0].label'],
    ['paths not an array', (t) => ({ ...t, paths: 'a, b' }), 'paths'],
  ]
  for (const [name, mutate, field] of cases) {
    it(name, () => {
      const err = errorFor(mutate(good()), '/srv/snurra/templates/broken.json')
      expect(err.source).toBe('/srv/snurra/templates/broken.json')
      expect(err.field).toBe(field)
      expect(err.message).toContain('/srv/snurra/templates/broken.json')
      expect(err.message).toContain(`${field}:`)
    })
  }

  it('loadTemplates reports a file that is not JSON, and a duplicate id, by file name', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.json'), '{ "id": "a", ')
    expect(() => loadTemplates(dir)).toThrow(/a\.json.*not valid JSON/)

    const dir2 = tempDir()
    const blank = load('blank.json')
    writeFileSync(join(dir2, 'one.json'), JSON.stringify(blank))
    writeFileSync(join(dir2, 'two.json'), JSON.stringify(blank))
    expect(() => loadTemplates(dir2)).toThrow(/two\.json: id: "blank" is already used/)

    const dir3 = tempDir()
    writeFileSync(join(dir3, 'bad.json'), JSON.stringify({ ...blank, layout: 'circle' }))
    expect(() => loadTemplates(dir3)).toThrow(/bad\.json: tasks:/)
  })
})
