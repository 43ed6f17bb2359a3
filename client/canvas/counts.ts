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
    signal = computed('snurra layer counts', () => {
      const tasks: Target[] = []
      const paths: Target[] = []
      const activities = []
      for (const shape of editor.getCurrentPageShapes()) {
        if (shape.type === CARD_TYPE) activities.push(activityFromRecord(shape as unknown as JsonRecord))
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
      return {
        tasks: new Map(coverage.tasks.map((t) => [t.id, t.count])),
        paths: new Map(coverage.paths.map((p) => [p.id, p.count])),
        sectors,
      }
    })
    cache.set(editor, signal)
  }
  return signal
}
