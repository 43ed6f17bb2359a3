import { computed, type Computed, type Editor } from 'tldraw'
import { activityFromRecord } from '../../core/board-view.ts'
import { computeCoverage, type Target } from '../../core/coverage.ts'
import type { JsonRecord } from '../../core/record-store.ts'
import { CARD_TYPE, CELL_TYPE, SEGMENT_TYPE } from '../../core/shapes.ts'
import type { CellShape } from '../shapes/CellShapeUtil.tsx'
import type { SegmentShape } from '../shapes/types.ts'

/** Live counts for the template layer: activities per task (or priority), per path and per sector. */
export interface LayerCounts {
  tasks: ReadonlyMap<string, number>
  paths: ReadonlyMap<string, number>
  sectors: ReadonlyMap<string, number>
}

const cache = new WeakMap<Editor, Computed<LayerCounts>>()

/**
 * One computation per editor, shared by every segment and cell, from the cards' props through
 * core's computeCoverage: the ring shows exactly what the coverage panel and the exports count.
 */
export function layerCounts(editor: Editor): Computed<LayerCounts> {
  let signal = cache.get(editor)
  if (!signal) {
    let rows = new Map<string, { props: unknown; row: ReturnType<typeof activityFromRecord> }>()
    let previous: LayerCounts | null = null
    signal = computed('snurra layer counts', () => {
      const nextRows = new Map<string, { props: unknown; row: ReturnType<typeof activityFromRecord> }>()
      const tasks: Target[] = []
      const paths: Target[] = []
      const activities = []
      for (const shape of editor.getCurrentPageShapes()) {
        if (shape.type === CARD_TYPE) {
          const hit = rows.get(shape.id)
          const entry = hit && hit.props === shape.props ? hit : { props: shape.props, row: activityFromRecord(shape as unknown as JsonRecord) }
          nextRows.set(shape.id, entry)
          activities.push(entry.row)
        }
        else if (shape.type === SEGMENT_TYPE) {
          const { kind, refId, label } = (shape as SegmentShape).props
          if (kind === 'task') tasks.push({ id: refId, label })
          if (kind === 'path') paths.push({ id: refId, label })
        } else if (shape.type === CELL_TYPE && (shape as CellShape).props.kind === 'column') {
          const { taskId, label } = (shape as CellShape).props
          tasks.push({ id: taskId, label })
        }
      }
      const coverage = computeCoverage(activities, tasks, paths)
      const sectors = new Map<string, number>()
      for (const a of activities) if (a.sector) sectors.set(a.sector, (sectors.get(a.sector) ?? 0) + 1)
      rows = nextRows
      const next: LayerCounts = {
        tasks: new Map(coverage.tasks.map((t) => [t.id, t.count])),
        paths: new Map(coverage.paths.map((p) => [p.id, p.count])),
        sectors,
      }
      // A move changes no count: hand back the same object, so no segment re-renders.
      if (previous && sameCounts(previous.tasks, next.tasks) && sameCounts(previous.paths, next.paths) && sameCounts(previous.sectors, next.sectors)) return previous
      return (previous = next)
    })
    cache.set(editor, signal)
  }
  return signal
}

function sameCounts(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false
  for (const [k, v] of a) if (b.get(k) !== v) return false
  return true
}
