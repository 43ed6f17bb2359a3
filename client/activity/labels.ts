import { COLLABORATIONS, STATUSES, TIMEFRAMES, type Collaboration, type Status, type Timeframe } from '../../core/activity.ts'
import type { MessageKey } from '../i18n/messages.ts'

/** The message key of each enum value; typed, so a value without a label fails type-checking. */
export const STATUS_LABELS: Record<Status, MessageKey> = {
  idea: 'activity.status.idea',
  planned: 'activity.status.planned',
  ongoing: 'activity.status.ongoing',
  done: 'activity.status.done',
}

export const TIMEFRAME_LABELS: Record<Timeframe, MessageKey> = {
  '': 'activity.timeframe.none',
  near: 'activity.timeframe.near',
  longer: 'activity.timeframe.longer',
}

export const COLLABORATION_LABELS: Record<Collaboration, MessageKey> = {
  '': 'activity.collaboration.none',
  own: 'activity.collaboration.own',
  'with-others': 'activity.collaboration.with-others',
}

export const ENUMS = [
  { values: STATUSES, labels: STATUS_LABELS },
  { values: TIMEFRAMES, labels: TIMEFRAME_LABELS },
  { values: COLLABORATIONS, labels: COLLABORATION_LABELS },
] as const
