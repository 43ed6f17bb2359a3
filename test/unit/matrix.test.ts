import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Store } from '@tldraw/store'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { seedBoard } from '../../core/board-doc.ts'
import { cellId, MATRIX, matrixAt, matrixCells, type CellGeometry } from '../../core/matrix.ts'
import { readAllRecords, type JsonRecord } from '../../core/record-store.ts'
import { CELL_TYPE, createSnurraSchema, type CellShapeProps } from '../../core/shapes.ts'
import { isTemplateShape, syncTemplateLayer } from '../../core/template-layer.ts'
import { validateTemplate, type Template } from '../../core/template.ts'
import { textColorOn } from '../../client/shapes/wrap-text.ts'
import { contrast } from '../helpers/contrast.ts'

// Verbatim from the seeds: 001_… "Övergripande prioriteringar för mandatperioden" and 000_… (the four sectors).
const PRIORITIES = [
  'Höjd livskvalité och ökad trygghet',
  'Äldres villkor ska förbättras',
  'Öka resultaten och ordningen i skolan',
  'Stärka näringslivsklimatet och kommunen som arbetsgivare',
  'En miljövänlig kommun',
  'Ansvarsfull ekonomi',
]
const SECTORS = ['Bildningssektorn', 'Sociala sektorn', 'Samhällsbyggnadssektorn', 'Sektorn för verksamhetsstöd']

const FILE = join(import.meta.dirname, '..', '..', 'templates', 'borlange-2022-2026.json')
const borlange = (): Template => validateTemplate(JSON.parse(readFileSync(FILE, 'utf8')), FILE)

function seeded(): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, borlange(), 'Borlänge', 1_700_000_000_000)
  return doc
}
const cells = (doc: Y.Doc) => readAllRecords(doc).filter((r) => r.type === CELL_TYPE)

describe('the Borlänge template', () => {
  it('is a matrix of the six priorities (verbatim, in order) by the four sectors, with no invented paths', () => {
    const t = borlange()
    expect(t.layout).toBe('matrix')
    expect(t.tasks.map((x) => x.label)).toEqual(PRIORITIES)
    expect(t.sectors.map((x) => x.label)).toEqual(SECTORS)
    expect(t.paths).toEqual([])
    expect(t.title).toContain('Politisk plattform för Borlänge kommun 2022-2026')
    expect(t.source).toMatch(/Borlänge/)
  })
})

describe('the matrix template layer', () => {
  it('has a corner, a header per priority and per sector, and a body cell for each pair', () => {
    const doc = seeded()
    const all = cells(doc)
    expect(all).toHaveLength(1 + 6 + 4 + 6 * 4)
    const byKind = (kind: string) => all.filter((r) => (r.props as CellShapeProps).kind === kind)
    expect(byKind('column').map((r) => (r.props as CellShapeProps).label).sort()).toEqual([...PRIORITIES].sort())
    expect(byKind('row').map((r) => (r.props as CellShapeProps).label).sort()).toEqual([...SECTORS].sort())
    expect(byKind('corner')[0].props).toMatchObject({ label: borlange().title })
    for (const r of all) {
      expect(isTemplateShape(r)).toBe(true)
      expect(r.isLocked).toBe(true)
    }
  })

  it('every record validates against createSnurraSchema()', () => {
    const schema = createSnurraSchema()
    const store = new Store({ schema, props: {} } as never)
    const records = readAllRecords(seeded())
    for (const record of records) expect(() => schema.validateRecord(store as never, record as never, 'initialize', null), record.id).not.toThrow()
    const broken = { ...cells(seeded())[0], props: { ...(cells(seeded())[0].props as object), kind: 'diagonal' } }
    expect(() => schema.validateRecord(store as never, broken as never, 'initialize', null)).toThrow()
  })

  it('ids are deterministic: two boards get the same ids, and a redraw changes nothing', () => {
    const ids = (doc: Y.Doc) => cells(doc).map((r) => r.id).sort()
    const doc = seeded()
    expect(ids(doc)).toEqual(ids(seeded()))
    expect(ids(doc)).toContain(cellId('cell', 'sociala', 'aldres-villkor'))
    expect(cellId('cell', 'sociala', 'aldres-villkor')).toBe('shape:matrix-cell-sociala+aldres-villkor')
    let updates = 0
    doc.on('update', () => updates++)
    syncTemplateLayer(doc)
    expect(updates).toBe(0)
  })

  it('sits below every card: template indices are below a card written before the layer is redrawn', () => {
    const doc = seeded()
    const max = cells(doc).map((r) => r.index as string).sort().at(-1)!
    expect(max < 'a1').toBe(true)
  })

  it('lays the cells out edge to edge: columns are priorities, rows are sectors', () => {
    const specs = matrixCells(borlange())
    const body = specs.filter((s) => s.props.kind === 'cell')
    const first = body[0]
    expect(first).toMatchObject({ x: MATRIX.rowHeaderWidth, y: MATRIX.headerHeight })
    expect(first.props).toMatchObject({ w: MATRIX.columnWidth, h: MATRIX.rowHeight, sectorId: 'bildning', taskId: 'livskvalite-trygghet' })
    const last = body.at(-1)!
    expect(last).toMatchObject({ x: MATRIX.rowHeaderWidth + 5 * MATRIX.columnWidth, y: MATRIX.headerHeight + 3 * MATRIX.rowHeight })
  })

  it('matrixAt says which priority and sector a point is in', () => {
    const geo: CellGeometry[] = matrixCells(borlange()).map((s) => ({ x: s.x, y: s.y, ...s.props }))
    const { rowHeaderWidth: rw, headerHeight: hh, columnWidth: cw, rowHeight: rh } = MATRIX
    expect(matrixAt({ x: rw + cw * 1.5, y: hh + rh * 2.5 }, geo)).toEqual({ taskId: 'aldres-villkor', sectorId: 'samhallsbyggnad' })
    expect(matrixAt({ x: rw + cw * 0.5, y: hh / 2 }, geo)).toEqual({ taskId: 'livskvalite-trygghet', sectorId: null })
    expect(matrixAt({ x: rw / 2, y: hh + rh * 0.5 }, geo)).toEqual({ taskId: null, sectorId: 'bildning' })
    expect(matrixAt({ x: 10, y: 10 }, geo)).toEqual({ taskId: null, sectorId: null })
    expect(matrixAt({ x: -5, y: hh + 5 }, geo)).toEqual({ taskId: null, sectorId: null })
    // A border belongs to the cell right of / below it.
    expect(matrixAt({ x: rw + cw, y: hh }, geo)).toEqual({ taskId: 'aldres-villkor', sectorId: 'bildning' })
  })

  it('a matrix template needs priorities and sectors and has no paths (errors name the field)', () => {
    const t = borlange() as unknown as JsonRecord
    expect(() => validateTemplate({ ...t, sectors: [] }, 'b.json')).toThrow(/b\.json: sectors/)
    expect(() => validateTemplate({ ...t, tasks: [] }, 'b.json')).toThrow(/b\.json: tasks/)
    expect(() => validateTemplate({ ...t, paths: [{ id: 'x', label: 'X', color: '#000000' }] }, 'b.json')).toThrow(/b\.json: paths/)
  })
})

describe('header colours', () => {
  it('every shipped template colour gets label text of at least 4.5:1', () => {
    for (const file of ['borlange-2022-2026', 'hallunda-norsborg']) {
      const t = validateTemplate(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'templates', `${file}.json`), 'utf8')), file)
      for (const item of [...t.tasks, ...t.sectors]) expect(contrast(item.color, textColorOn(item.color)), `${file} ${item.id}`).toBeGreaterThanOrEqual(4.5)
    }
  })
})
