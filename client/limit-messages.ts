import { ApiError } from './api.ts'
import type { MessageKey, MessageVars } from './i18n/messages.ts'

/**
 * The user's sentence for a refusal by CREATE_KEY, the creation rate limit or a quota (the
 * server's `code`), or null for any other error, which the caller words itself.
 */
export function limitMessage(t: (key: MessageKey, vars?: MessageVars) => string, err: unknown): string | null {
  if (!(err instanceof ApiError) || !err.code) return null
  const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : String(Math.max(1, Math.round(bytes / (1024 * 1024)))))
  switch (err.code) {
    case 'create-key':
      return t('limits.createKey')
    case 'rate-limited':
      return t('limits.rateLimited', { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)) })
    case 'too-many-versions':
      return t('limits.tooManyVersions', { max: err.limit ?? '?' })
    case 'board-too-large':
      return t('limits.boardTooLarge', { max: mb(err.limit) })
    case 'backup-too-large':
      return t('limits.backupTooLarge', { max: mb(err.limit) })
    default:
      return null
  }
}
