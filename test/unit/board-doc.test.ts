import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Store } from '@tldraw/store'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { appendPaths, isTemplateShape, seedBoard, SETUP_ORIGIN, syncTemplateLayer } from '../../core/board-doc.ts'
import { metaOf, parsePathList, readMeta, readPaths } from '../../core/board-meta.ts'
import { readAllRecords, recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { defaultActivity } from '../../core/activity.ts'
import { CARD_SIZE, createSnurraSchema } from '../../core/shapes.ts'
import { validateTemplate, type Template } from '../../core/template.ts'

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates')
const template = (name: string): Template => validateTemplate(JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8')), name)

function seeded(name = 'hallunda-norsborg', title = 'Workshop'): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, template(name), title, 1_700_000_000_000)
  return doc
}

/** Validates every record with tldraw's own validators for Snurra's schema. */
function validateAll(records: JsonRecord[]): void {
  const schema = createSnurraSchema()
  const store = new Store({ schema, props: {} } as never)
  for (const record of records) {
    expect(() => schema.validateRecord(store as never, record as never, 'initialize', null), record.id).not.toThrow()
  }
}

const shapes = (doc: Y.Doc) => readAllRecords(doc).filter((r) => r.typeName === 'shape')

describe('seedBoard', () => {
  it('writes meta: title, a copy of the template, creation time and the schema', () => {
    const doc = seeded('hallunda-norsborg', 'Vårens workshop')
    const meta = readMeta(doc)!
    expect(meta.title).toBe('Vårens workshop')
    expect(meta.template).toEqual(template('hallunda-norsborg'))
    expect(meta.createdAt).toBe(1_700_000_000_000)
    expect(meta.schema).toEqual(createSnurraSchema().serialize())
  })

  it('every record validates against createSnurraSchema()', () => {
    for (const name of ['hallunda-norsborg', 'blank']) {
      const doc = seeded(name)
      const records = readAllRecords(doc)
      expect(records.map((r) => r.typeName)).toEqual(expect.arrayContaining(['document', 'page']))
      validateAll(records)
    }
    // Control: the validator does reject a broken segment.
    const schema = createSnurraSchema()
    const store = new Store({ schema, props: {} } as never)
    const segment = shapes(seeded()).find((s) => s.id === 'shape:task-samspel')!
    const broken = { ...segment, props: { ...(segment.props as object), kind: 'spiral' } }
    expect(() => schema.validateRecord(store as never, broken as never, 'initialize', null)).toThrow()
  })

  it('hallunda-norsborg: the centre and one segment per main task, locked, marked as template, labelled verbatim', () => {
    const doc = seeded()
    const segs = shapes(doc)
    expect(segs.map((s) => s.id).sort()).toEqual([
      'shape:center-center',
      'shape:task-jobbchanser',
      'shape:task-samspel',
      'shape:task-stadsmiljo',
      'shape:task-uppvaxtvillkor',
    ])
    for (const s of segs) {
      expect(isTemplateShape(s)).toBe(true)
      expect(s.isLocked).toBe(true)
      expect(s.parentId).toBe('page:page')
    }
    const task = segs.find((s) => s.id === 'shape:task-uppvaxtvillkor')!
    expect(task.props).toMatchObject({ kind: 'task', label: 'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor', refId: 'uppvaxtvillkor' })
    // Four task segments share the circle evenly.
    const angles = segs.filter((s) => (s.props as { kind: string }).kind === 'task').map((s) => s.props as { startAngle: number; endAngle: number })
    expect(angles.map((a) => a.endAngle - a.startAngle)).toEqual([90, 90, 90, 90])
  })

  it('the blank template has no template shapes', () => {
    expect(shapes(seeded('blank'))).toEqual([])
  })

  it('runs as one transaction with the setup origin', () => {
    const doc = new Y.Doc()
    const origins: unknown[] = []
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin))
    seedBoard(doc, template('hallunda-norsborg'), 'T')
    expect(origins).toEqual([SETUP_ORIGIN])
  })
})

describe('template layer order and action paths', () => {
  it('template shapes sit below every other shape, also when added after cards', () => {
    const doc = seeded()
    // A user card on top of the template.
    doc.transact(() =>
      writeRecord(recordsOf(doc), {
        id: 'shape:card-1',
        typeName: 'shape',
        type: 'snurra-card',
        parentId: 'page:page',
        index: 'a1',
        x: 0,
        y: 0,
        rotation: 0,
        isLocked: false,
        opacity: 1,
        meta: {},
        props: { ...CARD_SIZE, ...defaultActivity(), title: 'Kort' },
      }),
    )
    appendPaths(doc, ['Väg ett', 'Väg två', 'Väg tre'])
    const all = shapes(doc)
    validateAll(readAllRecords(doc))
    const template = all.filter(isTemplateShape)
    const others = all.filter((s) => !isTemplateShape(s))
    expect(template.filter((s) => (s.props as { kind: string }).kind === 'path')).toHaveLength(3)
    expect(others.map((s) => s.id)).toEqual(['shape:card-1'])
    const maxTemplate = template.map((s) => s.index as string).sort().at(-1)!
    for (const other of others) expect(maxTemplate < (other.index as string), `${maxTemplate} < ${other.index}`).toBe(true)
    // Indices are distinct.
    expect(new Set(all.map((s) => s.index)).size).toBe(all.length)
  })

  it('appendPaths keeps order, returns the new ids and redraws the ring', () => {
    const doc = seeded()
    const first = appendPaths(doc, ['A', 'B'])
    const second = appendPaths(doc, ['C'])
    expect(first).toHaveLength(2)
    expect(second).toHaveLength(1)
    const paths = readPaths(doc)
    expect(paths.map((p) => p.label)).toEqual(['A', 'B', 'C'])
    expect(paths.map((p) => p.id)).toEqual([...first, ...second])
    const ring = shapes(doc).filter((s) => (s.props as { kind: string }).kind === 'path')
    expect(ring.map((s) => (s.props as { label: string }).label).sort()).toEqual(['A', 'B', 'C'])
    // Three paths share the ring evenly.
    for (const s of ring) {
      const p = s.props as { startAngle: number; endAngle: number }
      expect(p.endAngle - p.startAngle).toBe(120)
    }
  })

  it('syncTemplateLayer is idempotent (no update when nothing changed) and two peers running it converge', () => {
    const doc = seeded()
    appendPaths(doc, ['A'])
    let updates = 0
    doc.on('update', () => updates++)
    syncTemplateLayer(doc)
    expect(updates).toBe(0)

    const a = new Y.Doc()
    const b = new Y.Doc()
    Y.applyUpdate(a, Y.encodeStateAsUpdate(doc))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(doc))
    appendPaths(a, ['Från A'])
    appendPaths(b, ['Från B'])
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    syncTemplateLayer(a)
    syncTemplateLayer(b)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const norm = (d: Y.Doc) => readAllRecords(d).sort((x, y) => (x.id < y.id ? -1 : 1))
    expect(norm(a)).toEqual(norm(b))
    expect(readPaths(a).map((p) => p.label).sort()).toEqual(['A', 'Från A', 'Från B'])
    expect(shapes(a).filter((s) => (s.props as { kind: string }).kind === 'path')).toHaveLength(3)
  })

  it('the board title in meta is what seedBoard was given', () => {
    expect(metaOf(seeded('blank', 'Tom')).get('title')).toBe('Tom')
  })
})

describe('parsePathList', () => {
  it('one path per line, trimmed', () => {
    expect(parsePathList('Ett\nTvå\n  Tre  ')).toEqual(['Ett', 'Två', 'Tre'])
  })
  it('drops blank lines', () => {
    expect(parsePathList('\n\nEtt\n   \n\nTvå\n\n')).toEqual(['Ett', 'Två'])
  })
  it('handles CRLF', () => {
    expect(parsePathList('Ett\r\nTvå\r\n\r\nTre\r\n')).toEqual(['Ett', 'Två', 'Tre'])
  })
  it('strips bullets', () => {
    expect(parsePathList('- Ett\n* Två\n• Tre\n– Fyra\n  - Fem')).toEqual(['Ett', 'Två', 'Tre', 'Fyra', 'Fem'])
  })
  it('strips numbering', () => {
    expect(parsePathList('1. Ett\n2) Två\n10. Tio\n 3. Tre')).toEqual(['Ett', 'Två', 'Tio', 'Tre'])
  })
  it('keeps words that merely start with a digit or a dash', () => {
    expect(parsePathList('2030-målen\n-minus\n3D-modell')).toEqual(['2030-målen', '-minus', '3D-modell'])
  })
  it('caps each line at 200 characters and returns [] for empty input', () => {
    expect(parsePathList('x'.repeat(300))[0]).toHaveLength(200)
    expect(parsePathList('')).toEqual([])
    expect(parsePathList('\r\n \n')).toEqual([])
  })
})
