import { localIsoDate } from '../../core/file-name.ts'

export const isoDate = localIsoDate

/**
 * A file-name-safe slug of a board title: å, ä, ö and other accents fold to ASCII (Windows
 * shares and e-mail gateways still mangle them), anything else becomes a single dash.
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/æ/gi, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || 'snurra'
}

/** `<board-title-slug>-<YYYY-MM-DD>.<ext>` */
export function exportFileName(title: string, date: Date, ext: string): string {
  return `${slugify(title)}-${isoDate(date)}.${ext}`
}
