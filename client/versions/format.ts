/** When a version was saved, in the interface language (the server sends ISO text or epoch ms). */
export function formatSaved(createdAt: string | number, lang: string): string {
  const date = new Date(createdAt)
  if (Number.isNaN(date.getTime())) return String(createdAt)
  return new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(date)
}
