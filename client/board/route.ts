import { isBoardId } from '../../core/ids.ts'

export type Route = { page: 'start' } | { page: 'board'; boardId: string; token: string | null } | { page: 'not-found' }

export function parseRoute(location: Pick<Location, 'pathname' | 'search'>): Route {
  if (location.pathname === '/' || location.pathname === '/index.html') return { page: 'start' }
  const match = /^\/b\/([^/]+)\/?$/.exec(location.pathname)
  if (match && isBoardId(match[1])) return { page: 'board', boardId: match[1], token: new URLSearchParams(location.search).get('token') }
  return { page: 'not-found' }
}
