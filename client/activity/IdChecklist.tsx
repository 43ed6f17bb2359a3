import { useId } from 'react'
import type { IdSet } from '../../core/activity.ts'
import type { Target } from '../../core/coverage.ts'

/**
 * One checkbox per main task or action path. The same `tasks` / `paths` sets the canvas
 * writes, so ticking here and connecting on the canvas are one and the same.
 */
export function IdChecklist(props: { legend: string; empty: string; items: Target[]; value: IdSet; onChange(id: string, on: boolean): void; testId: string }) {
  const base = useId()
  return (
    <fieldset className="activity-form__checklist" data-testid={props.testId}>
      <legend>{props.legend}</legend>
      {props.items.length === 0 && <p className="hint">{props.empty}</p>}
      {props.items.map((item, i) => (
        <div className="check" key={item.id}>
          <input
            type="checkbox"
            id={`${base}-${i}`}
            checked={props.value[item.id] === true}
            onChange={(e) => props.onChange(item.id, e.target.checked)}
            data-id={item.id}
          />
          <label htmlFor={`${base}-${i}`}>{item.label}</label>
        </div>
      ))}
    </fieldset>
  )
}
