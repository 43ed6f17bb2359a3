import { useEffect, useId, useState } from 'react'
import { LIMITS } from '../../core/activity.ts'
import { useT } from '../i18n/I18nProvider.tsx'

/** Parses a typed year: null for empty, undefined for anything the validator would refuse. */
export function parseYear(text: string): number | null | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return null
  if (!/^\d{4}$/.test(trimmed)) return undefined
  const year = Number(trimmed)
  return year >= LIMITS.year.min && year <= LIMITS.year.max ? year : undefined
}

/**
 * The year as typed. Only valid years are written (the shape's validator would throw on
 * others), so half-typed input lives here until it is a year, with the error shown beside it.
 */
export function YearField({ value, onChange }: { value: number | null; onChange(year: number | null): void }) {
  const t = useT()
  const id = useId()
  const [text, setText] = useState(value === null ? '' : String(value))
  useEffect(() => {
    // Someone else changed the year: show theirs unless it is what we typed.
    setText((current) => (parseYear(current) === value ? current : value === null ? '' : String(value)))
  }, [value])
  const parsed = parseYear(text)
  return (
    <div className="field">
      <label htmlFor={id}>{t('activity.year')}</label>
      <input
        id={id}
        inputMode="numeric"
        autoComplete="off"
        value={text}
        maxLength={4}
        aria-invalid={parsed === undefined || undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setText(e.target.value)
          const year = parseYear(e.target.value)
          if (year !== undefined && year !== value) onChange(year)
        }}
      />
      <p id={`${id}-hint`} className={parsed === undefined ? 'error-line' : 'hint'}>
        {parsed === undefined ? t('activity.yearInvalid', { min: LIMITS.year.min, max: LIMITS.year.max }) : t('activity.yearHint')}
      </p>
    </div>
  )
}
