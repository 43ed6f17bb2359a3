import { useId, type ReactNode } from 'react'

export interface Option {
  value: string
  label: string
}

/** A labelled native select: keyboard and screen readers get the browser's own behaviour. */
export function SelectField(props: { label: string; value: string; options: Option[]; onChange(value: string): void; testId?: string }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}

export function TextField(props: { label: string; value: string; maxLength: number; onChange(value: string): void; multiline?: boolean; list?: string; testId?: string; inputRef?: React.Ref<HTMLInputElement>; extra?: ReactNode }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea id={id} rows={3} value={props.value} maxLength={props.maxLength} onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId} />
      ) : (
        <input
          id={id}
          ref={props.inputRef}
          value={props.value}
          maxLength={props.maxLength}
          list={props.list}
          autoComplete="off"
          onChange={(e) => props.onChange(e.target.value)}
          data-testid={props.testId}
        />
      )}
      {props.extra}
    </div>
  )
}
