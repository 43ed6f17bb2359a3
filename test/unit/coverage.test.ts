import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { defaultActivity, type Activity } from '../../core/activity.ts'
import { appendPaths, seedBoard } from '../../core/board-doc.ts'
import { activityFromRecord, readBoardView, type ActivityRow } from '../../core/board-view.ts'
import { computeCoverage, type Target } from '../../core/coverage.ts'
import { recordsOf, writeRecord, type JsonRecord } from '../../core/record-store.ts'
import { CARD_TYPE } from '../../core/shapes.ts'
import { validateTemplate, type Template } from '../../core/template.ts'

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates')
const template = (name: string): Template => validateTemplate(JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8')), name)

const TASKS: Target[] = [
  { id: 't1', label: 'Uppväxtvillkor' },
  { id: 't2', label: 'Jobbchanser' },
]
const PATHS: Target[] = [
  { id: 'p1', label: 'Väg ett' },
  { id: 'p2', label: 'Väg två' },
  { id: 'p3', label: 'Väg tre' },
  { id: 'p4', label: 'Väg fyra' },
]
const set = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, true as const]))
const row = (id: string, fields: Partial<Activity> = {}): ActivityRow => ({ id, ...defaultActivity(), title: id, ...fields })
const countsOf = (targets: { id: string; count: number }[]) => Object.fromEntries(targets.map((t) => [t.id, t.count]))

describe('computeCoverage', () => {
  it('counts an activity once under every path and task it hits', () => {
    const coverage = computeCoverage(
      [row('a', { paths: set('p1', 'p2', 'p3'), tasks: set('t1') }), row('b', { paths: set('p2', 'p4'), tasks: set('t1', 't2') })],
      TASKS,
      PATHS,
    )
    expect(countsOf(coverage.paths)).toEqual({ p1: 1, p2: 2, p3: 1, p4: 1 })
    expect(countsOf(coverage.tasks)).toEqual({ t1: 2, t2: 1 })
    expect(coverage.activities.find((a) => a.id === 'a')?.pathIds).toEqual(['p1', 'p2', 'p3'])
    expect(coverage.maxPathCount).toBe(2)
    expect(coverage.uncoveredPaths).toEqual([])
    expect(coverage.singlePathActivities).toEqual([])
  })

  it('ignores references to deleted paths and tasks', () => {
    const coverage = computeCoverage([row('a', { paths: set('p1', 'gone'), tasks: set('t9') })], TASKS, PATHS)
    expect(coverage.activities[0].pathIds).toEqual(['p1'])
    expect(coverage.activities[0].taskIds).toEqual([])
    expect(coverage.paths.map((p) => p.id)).toEqual(['p1', 'p2', 'p3', 'p4'])
    // One real path left, so it now counts as a single-path activity.
    expect(coverage.singlePathActivities).toEqual(['a'])
  })

  it('lists paths in board order, whatever order the activity ticked them in', () => {
    const coverage = computeCoverage([row('a', { paths: { p4: true, p1: true } })], TASKS, PATHS)
    expect(coverage.activities[0].pathIds).toEqual(['p1', 'p4'])
  })

  it('handles an empty board and a board without paths', () => {
    const empty = computeCoverage([], [], [])
    expect(empty).toEqual({ tasks: [], paths: [], activities: [], uncoveredPaths: [], singlePathActivities: [], maxPathCount: 0 })
    const noActivities = computeCoverage([], TASKS, PATHS)
    expect(noActivities.uncoveredPaths).toEqual(['p1', 'p2', 'p3', 'p4'])
    const noPaths = computeCoverage([row('a', { paths: set('p1') })], TASKS, [])
    expect(noPaths.activities[0].pathIds).toEqual([])
    expect(noPaths.singlePathActivities).toEqual([])
  })

  it('finds uncovered paths and single-path activities', () => {
    const coverage = computeCoverage([row('one', { paths: set('p2') }), row('two', { paths: set('p1', 'p2') }), row('none')], TASKS, PATHS)
    expect(coverage.uncoveredPaths).toEqual(['p3', 'p4'])
    expect(coverage.singlePathActivities).toEqual(['one'])
  })

  it('filters by sector, status and timeframe, and the counts follow the filter', () => {
    const rows = [
      row('a', { sector: 'bildning', status: 'ongoing', timeframe: 'near', paths: set('p1', 'p2') }),
      row('b', { sector: 'sociala', status: 'ongoing', timeframe: 'longer', paths: set('p2', 'p3') }),
      row('c', { sector: 'bildning', status: 'idea', timeframe: '', paths: set('p3') }),
    ]
    const ids = (filter: Parameters<typeof computeCoverage>[3]) => computeCoverage(rows, TASKS, PATHS, filter).activities.map((a) => a.id)
    expect(ids({ sector: 'bildning' })).toEqual(['a', 'c'])
    expect(ids({ status: 'ongoing' })).toEqual(['a', 'b'])
    expect(ids({ timeframe: 'longer' })).toEqual(['b'])
    // '' is a value of its own (timeframe not set), not "any".
    expect(ids({ timeframe: '' })).toEqual(['c'])
    expect(ids({ sector: 'bildning', status: 'idea' })).toEqual(['c'])
    expect(ids({ sector: 'verksamhetsstod' })).toEqual([])
    const filtered = computeCoverage(rows, TASKS, PATHS, { sector: 'bildning' })
    expect(countsOf(filtered.paths)).toEqual({ p1: 1, p2: 1, p3: 1, p4: 0 })
    expect(filtered.uncoveredPaths).toEqual(['p4'])
    expect(filtered.singlePathActivities).toEqual(['c'])
  })
})

function cardRecord(id: string, activity: Partial<Activity>): JsonRecord {
  return {
    id,
    typeName: 'shape',
    type: CARD_TYPE,
    parentId: 'page:page',
    index: 'a5',
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { w: 240, h: 150, ...defaultActivity(), ...activity },
  }
}

function seeded(): { doc: Y.Doc; pathIds: string[] } {
  const doc = new Y.Doc()
  seedBoard(doc, template('hallunda-norsborg'), 'Workshop', 1_700_000_000_000)
  const pathIds = appendPaths(doc, ['Väg ett', 'Väg två', 'Väg tre', 'Väg fyra'])
  return { doc, pathIds }
}

describe('readBoardView on a seeded board', () => {
  it('reads meta, paths in order and every card, and feeds computeCoverage', () => {
    const { doc, pathIds } = seeded()
    const [p1, p2, p3, p4] = pathIds
    doc.transact(() => {
      writeRecord(recordsOf(doc), cardRecord('shape:b', { title: 'Läxhjälp', sector: 'bildning', paths: set(p1, p2, p3), tasks: set('uppvaxtvillkor') }))
      writeRecord(recordsOf(doc), cardRecord('shape:a', { title: 'Jobbmässa', paths: set(p2, 'deleted-path') }))
    })
    const view = readBoardView(doc)!
    expect(view.meta.title).toBe('Workshop')
    expect(view.meta.template.sectors.map((s) => s.label)).toContain('Bildningssektorn')
    expect(view.paths.map((p) => p.label)).toEqual(['Väg ett', 'Väg två', 'Väg tre', 'Väg fyra'])
    // Template segments are not activities.
    expect(view.activities.map((a) => a.id)).toEqual(['shape:a', 'shape:b'])
    expect(view.activities[1]).toMatchObject({ title: 'Läxhjälp', sector: 'bildning', status: 'idea', year: null })

    const coverage = computeCoverage(view.activities, view.meta.template.tasks, view.paths)
    expect(countsOf(coverage.paths)).toEqual({ [p1]: 1, [p2]: 2, [p3]: 1, [p4]: 0 })
    expect(coverage.tasks.find((t) => t.id === 'uppvaxtvillkor')?.count).toBe(1)
    expect(coverage.uncoveredPaths).toEqual([p4])
    expect(coverage.singlePathActivities).toEqual(['shape:a'])
  })

  it('returns null for a document that was never seeded', () => {
    expect(readBoardView(new Y.Doc())).toBeNull()
  })

  it('fills in defaults for fields an older card lacks', () => {
    const row = activityFromRecord({ id: 'shape:old', typeName: 'shape', props: { w: 1, h: 1, title: 'Gammal' } })
    expect(row).toEqual({ id: 'shape:old', ...defaultActivity(), title: 'Gammal' })
  })

  it('keeps both ticks when two people tie one card to different paths at once, and an untick removes only that path', () => {
    const { doc: a, pathIds } = seeded()
    const [p1, p2, p3] = pathIds
    a.transact(() => writeRecord(recordsOf(a), cardRecord('shape:c', { title: 'Gemensam', paths: set(p1) })))
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    // Each writes the whole card as their editor knows it: one more path each, offline.
    a.transact(() => writeRecord(recordsOf(a), cardRecord('shape:c', { title: 'Gemensam', paths: set(p1, p2) })))
    b.transact(() => writeRecord(recordsOf(b), cardRecord('shape:c', { title: 'Gemensam', paths: set(p1, p3) })))
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    for (const doc of [a, b]) expect(Object.keys(readBoardView(doc)!.activities[0].paths).sort()).toEqual([p1, p2, p3].sort())

    // Unticking p1 writes the set without it: only that key goes.
    const merged = readBoardView(a)!.activities[0]
    a.transact(() => writeRecord(recordsOf(a), cardRecord('shape:c', { title: 'Gemensam', paths: set(...Object.keys(merged.paths).filter((id) => id !== p1)) })))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    expect(Object.keys(readBoardView(b)!.activities[0].paths).sort()).toEqual([p2, p3].sort())
  })
})
