import { readBoardView } from '../../core/board-view.ts'
import { placedCards } from '../../core/board-picture.ts'
import { readFacilitation } from '../../core/facilitation.ts'
import { readAllRecords } from '../../core/record-store.ts'
import { reportModel, type ReportModel } from '../../core/report-model.ts'
import { translate, type Language } from '../export/labels.ts'
import { docFromState } from '../stored-doc.ts'

/** The report's content for a stored board state (now or a named version); null without meta. */
export function reportFromState(state: Uint8Array, lang: Language, date: string, versionName: string | null): ReportModel | null {
  const doc = docFromState(state)
  try {
    const view = readBoardView(doc)
    if (!view) return null
    return reportModel({
      view,
      cards: placedCards(readAllRecords(doc)),
      vote: readFacilitation(doc).vote,
      lang,
      t: (key, vars) => translate(lang, key, vars),
      date,
      versionName,
      statusLabel: (a) => translate(lang, `activity.status.${a.status}`),
    })
  } finally {
    doc.destroy()
  }
}
