import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { seedBoard } from '../../core/board-doc.ts'
import { readPaths } from '../../core/board-meta.ts'
import { angleOf, CIRCLE, circleSegments, segmentAnchor, segmentAt, type SegmentGeometry } from '../../core/circle.ts'
import { appendPaths, cardsHittingPath, deletePath, movePath, renamePath, setPathTask } from '../../core/paths.ts'
import type { SegmentShapeProps } from '../../core/shapes.ts'
import { syncTemplateLayer } from '../../core/template-layer.ts'
import { TemplateError, validateTemplate, type Template } from '../../core/template.ts'
import { HEAT, heatFor } from '../../client/canvas/heat.ts'
import { contrast } from '../helpers/contrast.ts'
import { allRecords, cardRecord, read, write } from '../helpers/records.ts'

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates')
const hallunda = (): Template => validateTemplate(JSON.parse(readFileSync(join(TEMPLATES, 'hallunda-norsborg.json'), 'utf8')), 'hallunda-norsborg')

function seeded(): Y.Doc {
  const doc = new Y.Doc()
  seedBoard(doc, hallunda(), 'Workshop', 1_700_000_000_000)
  return doc
}

/** The ring segments in the document, by path id. */
function ring(doc: Y.Doc): Map<string, SegmentShapeProps> {
  const out = new Map<string, SegmentShapeProps>()
  for (const r of allRecords(doc)) {
    const props = r.props as SegmentShapeProps | undefined
    if (r.type === 'snurra-segment' && props?.kind === 'path') out.set(props.refId, props)
  }
  return out
}

const labels = (doc: Y.Doc) => readPaths(doc).map((p) => p.label)
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
}
const cardPaths = (doc: Y.Doc, n: number) => (read(doc, `shape:card-${n}`)?.props as { paths: Record<string, true> }).paths

describe('editing action paths', () => {
  it('adds pasted paths in order and draws one segment each', () => {
    const doc = seeded()
    const ids = appendPaths(doc, ['Ett', 'Två', 'Tre'])
    expect(labels(doc)).toEqual(['Ett', 'Två', 'Tre'])
    expect([...ring(doc).keys()].sort()).toEqual([...ids].sort())
  })

  it('renames a path and its segment; refuses an empty name or an unknown path', () => {
    const doc = seeded()
    const [a] = appendPaths(doc, ['Ett', 'Två'])
    expect(renamePath(doc, a, '  Första vägen  ')).toBe(true)
    expect(labels(doc)).toEqual(['Första vägen', 'Två'])
    expect(ring(doc).get(a)!.label).toBe('Första vägen')
    expect(renamePath(doc, a, '   ')).toBe(false)
    expect(renamePath(doc, 'nope', 'X')).toBe(false)
    expect(labels(doc)).toEqual(['Första vägen', 'Två'])
  })

  it('reorders with move up/down, renumbers 0…n-1 and redraws the ring in the new order', () => {
    const doc = seeded()
    const [a, b, c] = appendPaths(doc, ['A', 'B', 'C'])
    expect(movePath(doc, c, -1)).toBe(true)
    expect(labels(doc)).toEqual(['A', 'C', 'B'])
    expect(movePath(doc, a, 1)).toBe(true)
    expect(labels(doc)).toEqual(['C', 'A', 'B'])
    expect(readPaths(doc).map((p) => p.order)).toEqual([0, 1, 2])
    expect(movePath(doc, c, -1)).toBe(false) // already first
    expect(movePath(doc, b, 1)).toBe(false) // already last
    const segs = ring(doc)
    expect([c, a, b].map((id) => segs.get(id)!.startAngle)).toEqual([0, 120, 240])
  })

  it('deletes a path and its references from every card in one transaction, keeping all else', () => {
    const doc = seeded()
    const [a, b] = appendPaths(doc, ['A', 'B'])
    write(doc, cardRecord(1, { props: { paths: { [a]: true, [b]: true }, tasks: { samspel: true } } }))
    write(doc, cardRecord(2, { props: { paths: { [a]: true } } }))
    write(doc, cardRecord(3, { props: { paths: { [b]: true } } }))
    expect(cardsHittingPath(doc, a).sort()).toEqual(['shape:card-1', 'shape:card-2'])

    let transactions = 0
    doc.on('afterTransaction', () => transactions++)
    expect(deletePath(doc, a)).toBe(2)
    expect(transactions).toBe(1)

    expect(labels(doc)).toEqual(['B'])
    expect(ring(doc).has(a)).toBe(false)
    expect(cardPaths(doc, 1)).toEqual({ [b]: true })
    expect(cardPaths(doc, 2)).toEqual({})
    expect(cardPaths(doc, 3)).toEqual({ [b]: true })
    expect(read(doc, 'shape:card-1')!.props).toMatchObject({ title: 'Aktivitet 1', tasks: { samspel: true } })
    expect(cardsHittingPath(doc, a)).toEqual([])
  })

  it('a delete and a concurrent edit of the same card both survive', () => {
    const a = seeded()
    const [p] = appendPaths(a, ['A'])
    write(a, cardRecord(1, { props: { paths: { [p]: true } } }))
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    deletePath(a, p)
    write(b, cardRecord(1, { props: { paths: { [p]: true }, title: 'Nytt namn' } }))
    sync(a, b)
    for (const doc of [a, b]) {
      expect(read(doc, 'shape:card-1')!.props).toMatchObject({ title: 'Nytt namn', paths: {} })
      expect(readPaths(doc)).toEqual([])
    }
  })

  it('concurrent edits from two facilitators converge, and the redrawn layer matches the paths', () => {
    const a = seeded()
    const [p1, p2, p3] = appendPaths(a, ['Ett', 'Två', 'Tre'])
    write(a, cardRecord(1, { props: { paths: { [p2]: true, [p3]: true } } }))
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))

    renamePath(a, p1, 'Ett (nytt namn)')
    movePath(a, p3, -2)
    appendPaths(a, ['Fyra'])
    deletePath(b, p2)
    setPathTask(b, p3, 'samspel')
    sync(a, b)
    // After merging, each facilitator's client redraws; what they write is identical.
    syncTemplateLayer(a)
    syncTemplateLayer(b)
    sync(a, b)

    expect(allRecords(a)).toEqual(allRecords(b))
    expect(readPaths(a)).toEqual(readPaths(b))
    expect(labels(a)).toEqual(['Tre', 'Ett (nytt namn)', 'Fyra'])
    expect(readPaths(a).find((p) => p.id === p3)!.taskId).toBe('samspel')
    expect(cardPaths(a, 1)).toEqual({ [p3]: true })
    const want = circleSegments(hallunda(), readPaths(a)).filter((s) => s.props.kind === 'path')
    expect([...ring(a).values()].sort((x, y) => (x.refId < y.refId ? -1 : 1))).toEqual(want.map((s) => s.props).sort((x, y) => (x.refId < y.refId ? -1 : 1)))
  })
})

describe('nesting a path under a main task', () => {
  it('draws nested paths inside their task’s angle range, in the ring right outside the tasks', () => {
    const doc = seeded()
    const [a, b, c, d] = appendPaths(doc, ['A', 'B', 'C', 'D'])
    setPathTask(doc, a, 'samspel')
    setPathTask(doc, b, 'samspel')
    setPathTask(doc, c, 'uppvaxtvillkor')
    const tasks = allRecords(doc).filter((r) => (r.props as SegmentShapeProps | undefined)?.kind === 'task')
    const range = (id: string) => tasks.map((r) => r.props as SegmentShapeProps).find((p) => p.refId === id)!
    const segs = ring(doc)
    for (const [path, task] of [
      [a, 'samspel'],
      [b, 'samspel'],
      [c, 'uppvaxtvillkor'],
    ] as const) {
      const s = segs.get(path)!
      expect(s.startAngle).toBeGreaterThanOrEqual(range(task).startAngle)
      expect(s.endAngle).toBeLessThanOrEqual(range(task).endAngle)
      expect([s.innerRadius, s.outerRadius]).toEqual([CIRCLE.taskRadius, CIRCLE.taskRadius + CIRCLE.ringDepth])
      expect(s.color).toBe(hallunda().tasks.find((t) => t.id === task)!.color)
    }
    // Two paths share samspel's quarter evenly.
    expect(segs.get(b)!.startAngle).toBe(segs.get(a)!.endAngle)
    expect(segs.get(b)!.endAngle - segs.get(a)!.startAngle).toBe(90)
    // The path across all tasks spans the whole outer ring.
    expect(segs.get(d)).toMatchObject({ startAngle: 0, endAngle: 360, innerRadius: CIRCLE.taskRadius + CIRCLE.ringDepth })
  })

  it('un-nesting moves the path back; with no nested paths there is one ring right outside the tasks', () => {
    const doc = seeded()
    const [a, b] = appendPaths(doc, ['A', 'B'])
    setPathTask(doc, a, 'stadsmiljo')
    setPathTask(doc, a, null)
    expect(readPaths(doc).find((p) => p.id === a)!.taskId).toBeUndefined()
    for (const id of [a, b]) expect(ring(doc).get(id)).toMatchObject({ innerRadius: CIRCLE.taskRadius, outerRadius: CIRCLE.taskRadius + CIRCLE.ringDepth })
    expect(ring(doc).get(b)).toMatchObject({ startAngle: 180, endAngle: 360 })
  })

  it('a path nested under a task the template does not have stands across all tasks', () => {
    const specs = circleSegments(hallunda(), [{ id: 'x', label: 'X', order: 0, taskId: 'no-such-task' }])
    expect(specs.find((s) => s.props.refId === 'x')!.props).toMatchObject({ startAngle: 0, endAngle: 360, innerRadius: CIRCLE.taskRadius })
  })

  it('templates may nest paths, but only under one of their own tasks (the error names the field)', () => {
    const base = { ...hallunda(), paths: [{ id: 'p', label: 'P', color: '#123456', taskId: 'samspel' }] }
    expect(validateTemplate(base, 't.json').paths[0].taskId).toBe('samspel')
    const bad = { ...base, paths: [{ id: 'p', label: 'P', color: '#123456', taskId: 'nope' }] }
    expect(() => validateTemplate(bad, 't.json')).toThrow(TemplateError)
    expect(() => validateTemplate(bad, 't.json')).toThrow(/t\.json: paths\[0\]\.taskId/)
    const doc = new Y.Doc()
    seedBoard(doc, validateTemplate(base, 't.json'), 'T')
    expect(readPaths(doc)).toEqual([{ id: 'p', label: 'P', order: 0, taskId: 'samspel' }])
  })
})

describe('hit-testing the circle', () => {
  const segs: SegmentGeometry[] = circleSegments(hallunda(), [
    { id: 'n1', label: 'N1', order: 0, taskId: 'samspel' },
    { id: 'g1', label: 'G1', order: 1 },
    { id: 'g2', label: 'G2', order: 2 },
  ]).map((s) => s.props)
  const at = (radius: number, angle: number) => {
    const a = (angle * Math.PI) / 180
    return segmentAt({ x: radius * Math.sin(a), y: -radius * Math.cos(a) }, segs)
  }
  const mid = (CIRCLE.centerRadius + CIRCLE.taskRadius) / 2

  it('measures angles clockwise from 12 o’clock', () => {
    expect(angleOf({ x: 0, y: -1 })).toBe(0)
    expect(angleOf({ x: 1, y: 0 })).toBe(90)
    expect(angleOf({ x: 0, y: 1 })).toBe(180)
    expect(angleOf({ x: -1, y: 0 })).toBe(270)
  })

  it('finds the centre, each task, nested and general paths, and nothing outside', () => {
    expect(at(10, 45)).toMatchObject({ kind: 'center' })
    expect([45, 135, 225, 315].map((a) => at(mid, a)?.refId)).toEqual(['uppvaxtvillkor', 'jobbchanser', 'samspel', 'stadsmiljo'])
    expect(at(CIRCLE.taskRadius + 10, 200)).toMatchObject({ kind: 'path', refId: 'n1' })
    expect(at(CIRCLE.taskRadius + 10, 100)).toBeNull() // the nested ring outside a task with no nested paths
    expect(at(CIRCLE.taskRadius + CIRCLE.ringDepth + 10, 100)).toMatchObject({ refId: 'g1' })
    expect(at(CIRCLE.taskRadius + CIRCLE.ringDepth + 10, 200)).toMatchObject({ refId: 'g2' })
    expect(at(CIRCLE.taskRadius + 2 * CIRCLE.ringDepth + 1, 10)).toBeNull()
  })

  it('a point on a border belongs to exactly one segment', () => {
    expect(at(mid, 90)?.refId).toBe('jobbchanser')
    expect(at(mid, 0)?.refId).toBe('uppvaxtvillkor')
    expect(at(CIRCLE.taskRadius, 200)).toMatchObject({ kind: 'path', refId: 'n1' })
    expect(at(CIRCLE.centerRadius, 45)).toMatchObject({ kind: 'task' })
  })

  it('anchors connection lines inside the segment they point at', () => {
    for (const s of segs.filter((x) => x.kind === 'path')) expect(segmentAt(segmentAnchor(s), segs)).toBe(s)
  })
})

describe('ring colours', () => {
  it('every heat step pairs its fill with text of at least 4.5:1, and 0 has its own step', () => {
    for (const step of HEAT) expect(contrast(step.fill, step.text), step.fill).toBeGreaterThanOrEqual(4.5)
    expect(heatFor(0).min).toBe(0)
    expect([1, 2, 3, 4, 5, 40].map((n) => heatFor(n).min)).toEqual([1, 2, 3, 3, 5, 5])
  })
})
