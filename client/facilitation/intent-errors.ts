import type { MessageKey } from '../i18n/messages.ts'
import type { IntentResult } from '../sync/snurra-channel.ts'

type IntentError = Exclude<IntentResult, { ok: true }>['error']

const KEYS: Record<IntentError, MessageKey> = {
  invalid: 'facilitation.error.invalid',
  forbidden: 'facilitation.error.forbidden',
  'no-identity': 'facilitation.error.noIdentity',
  'no-vote': 'vote.error.noVote',
  'no-votes-left': 'vote.error.noVotesLeft',
  'one-per-card': 'vote.error.onePerCard',
  'not-voted': 'vote.error.notVoted',
  'unknown-card': 'vote.error.unknownCard',
  'name-required': 'vote.error.nameRequired',
  malformed: 'facilitation.error.invalid',
  offline: 'facilitation.error.offline',
  timeout: 'facilitation.error.timeout',
}

/** The message for an intent the server (or the local check before sending) refused. */
export function intentErrorKey(error: string): MessageKey {
  return KEYS[error as IntentError] ?? 'facilitation.error.invalid'
}
