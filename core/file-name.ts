/**
 * Export file names from a board's title: one that keeps every letter (å, ä, ö, Ł, Ş …) for
 * `filename*`, and an ASCII fallback for `filename` (old mail gateways and shares mangle the rest).
 */

/** `Årsuppföljning Hallunda 2026` → `årsuppföljning-hallunda-2026`: letters and digits of any script. */
export function nameSlug(title: string): string {
  const s = title
    .normalize('NFC')
    .toLocaleLowerCase('sv')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
  // Cut by code points (never inside a surrogate pair) and never after a lone dash.
  return [...s].slice(0, 60).join('').replace(/-+$/, '') || 'snurra'
}

/** `Årsuppföljning 2026` → `arsuppfoljning-2026`: accents folded, anything else a dash. */
export function asciiSlug(title: string): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/æ/gi, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/ł/gi, 'l')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return s || 'snurra'
}

export interface FileNames {
  /** For `filename*` (UTF-8). */
  fileName: string
  /** For `filename`: ASCII only. */
  asciiFileName: string
}

/** `<title>[-<version>]-<YYYY-MM-DD>.<ext>`, both ways. */
export function exportFileNames(parts: readonly string[], date: string, ext: string): FileNames {
  const join = (slug: (s: string) => string) => [...parts.map(slug), date].join('-') + `.${ext}`
  return { fileName: join(nameSlug), asciiFileName: join(asciiSlug) }
}

/** The local calendar date as YYYY-MM-DD (the date the planner exported, not UTC's). */
export function localIsoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}
