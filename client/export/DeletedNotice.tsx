import { useState } from 'react'
import { useT } from '../i18n/I18nProvider.tsx'
import { DELETED_PARAM } from './DeleteSection.tsx'

/** On the start page after a board was deleted: says so once, then drops the marker from the URL. */
export function DeletedNotice() {
  const t = useT()
  const [shown] = useState(() => {
    const params = new URLSearchParams(location.search)
    if (!params.has(DELETED_PARAM)) return false
    params.delete(DELETED_PARAM)
    const query = params.toString()
    history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`)
    return true
  })
  if (!shown) return null
  return (
    <p className="banner banner--info" role="status" data-testid="board-deleted">
      {t('delete.done')}
    </p>
  )
}
