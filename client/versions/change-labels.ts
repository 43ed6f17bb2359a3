import { COLLABORATION_LABELS, STATUS_LABELS, TIMEFRAME_LABELS } from '../activity/labels.ts'
import type { TemplateItem } from '../../core/template.ts'
import type { Translate } from '../i18n/I18nProvider.tsx'
import type { MessageKey } from '../i18n/messages.ts'
import type { FieldValue } from './versions-api.ts'

/** The field names the server's comparison uses, as the edit panel labels them. */
const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'activity.title',
  description: 'activity.description',
  sector: 'activity.sector',
  responsible: 'activity.responsible',
  partners: 'activity.partners',
  collaboration: 'activity.collaboration',
  timeframe: 'activity.timeframe',
  year: 'activity.year',
  status: 'activity.status',
  childRights: 'activity.childRights',
  tasks: 'activity.tasks',
  paths: 'activity.paths',
}

const CODE_LABELS: Record<string, Record<string, MessageKey>> = {
  status: STATUS_LABELS,
  timeframe: TIMEFRAME_LABELS,
  collaboration: COLLABORATION_LABELS,
}

export function fieldLabel(field: string, t: Translate): string {
  const key = FIELD_LABELS[field]
  return key ? t(key) : field
}

/**
 * A before or after value in words: status, timeframe and own/with-others codes through the
 * same labels as the edit panel, a sector id as its name, yes/no for flags. Tasks and paths
 * already come as names. An unknown code is shown as it is rather than hidden.
 */
export function valueText(field: string, value: FieldValue, t: Translate, sectors: TemplateItem[]): string[] {
  if (value === null) return []
  if (typeof value === 'boolean') return [t(value ? 'list.yes' : 'list.no')]
  const values = Array.isArray(value) ? value : [String(value)]
  const codes = CODE_LABELS[field]
  return values.map((v) => {
    if (codes && Object.hasOwn(codes, v)) return t(codes[v])
    if (field === 'sector') return sectors.find((s) => s.id === v)?.label ?? v
    return v
  })
}
