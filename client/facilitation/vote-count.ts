import type { Translate } from '../i18n/I18nProvider.tsx'

/** "1 röst" / "3 röster": the one plural the vote needs. */
export function voteCount(t: Translate, count: number): string {
  return count === 1 ? t('vote.countOne') : t('vote.count', { count })
}
