import type { AgendaStep } from '../../core/facilitation.ts'
import { newLocalId } from '../../core/ids.ts'
import type { Translate } from '../i18n/I18nProvider.tsx'

/**
 * The suggested workshop: gather ideas privately, reveal them and tie them to action paths,
 * prioritise with a dot vote, then agree on owners and timing. Titles are written in the
 * facilitator's language when the agenda is made; after that they are the board's text.
 */
export function defaultAgenda(t: Translate): AgendaStep[] {
  return [
    { id: newLocalId(8), title: t('agenda.default.inventory'), privateMode: true },
    { id: newLocalId(8), title: t('agenda.default.connect'), privateMode: false },
    { id: newLocalId(8), title: t('agenda.default.prioritise'), openVote: true },
    { id: newLocalId(8), title: t('agenda.default.ownership') },
  ]
}

export function newStep(): AgendaStep {
  return { id: newLocalId(8), title: '' }
}
