import { useCallback, useEffect, useState } from 'react'

export type PanelKind = 'list' | 'coverage'

export interface ActivityView {
  panel: PanelKind | null
  /** The panel fills the window below the header (the full-page table). */
  full: boolean
}

/** `#list`, `#coverage`, `#list-full`, `#coverage-full`: a link can open a view directly. */
export function parseViewHash(hash: string): ActivityView {
  const match = /^#(list|coverage)(-full)?$/.exec(hash)
  return match ? { panel: match[1] as PanelKind, full: !!match[2] } : { panel: null, full: false }
}

export function viewHash(view: ActivityView): string {
  return view.panel ? `#${view.panel}${view.full ? '-full' : ''}` : ''
}

/** Which activity panel is open, kept in the URL's hash (the token in the query stays put). */
export function useActivityView(): [ActivityView, (view: ActivityView) => void] {
  const [view, setViewState] = useState(() => parseViewHash(location.hash))
  useEffect(() => {
    const onHash = () => setViewState(parseViewHash(location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  const setView = useCallback((next: ActivityView) => {
    const normal = next.panel ? next : { panel: null, full: false }
    history.replaceState(history.state, '', `${location.pathname}${location.search}${viewHash(normal)}`)
    setViewState(normal)
  }, [])
  return [view, setView]
}
