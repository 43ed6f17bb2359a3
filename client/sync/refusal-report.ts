import { atom } from 'tldraw'
import type { RejectReason } from '../../core/messages.ts'

/** What the person is told after a refused update: why, how many changes were not kept, which cards. */
export interface RefusalReport {
  reason: RejectReason
  /** Changes not kept, as the person counts them (a card with its bindings is one). */
  count: number
  /** Titles of the cards among them (at most MAX_TITLES). */
  titles: string[]
}

const MAX_TITLES = 10
const REASONS: readonly RejectReason[] = ['locked', 'read-only', 'facilitator-only', 'server-only', 'unknown-target', 'invalid', 'too-large', 'drafts-full']

// In memory for this tab, and in sessionStorage so that a reload does not lose the message.
const reports = atom<Record<string, RefusalReport[]>>('refusalReports', {})
const storageKey = (boardId: string) => `snurra-refused-${boardId}`

/** The reports not yet dismissed for a board (reactive). */
export function refusalReports(boardId: string): RefusalReport[] {
  return reports.get()[boardId] ?? readStored(boardId)
}

/** Adds a report; one of the same reason still on screen grows instead of a second message. */
export function addRefusalReport(boardId: string, report: RefusalReport): void {
  const list = [...refusalReports(boardId)]
  const same = list.findIndex((r) => r.reason === report.reason)
  if (same >= 0) {
    const prev = list[same]
    list[same] = { reason: report.reason, count: prev.count + report.count, titles: [...prev.titles, ...report.titles].slice(0, MAX_TITLES) }
  } else {
    list.push({ ...report, titles: report.titles.slice(0, MAX_TITLES) })
  }
  setReports(boardId, list)
}

export function clearRefusalReports(boardId: string): void {
  setReports(boardId, [])
}

function setReports(boardId: string, list: RefusalReport[]): void {
  reports.update((all) => ({ ...all, [boardId]: list }))
  try {
    if (list.length) sessionStorage.setItem(storageKey(boardId), JSON.stringify(list))
    else sessionStorage.removeItem(storageKey(boardId))
  } catch {
    // Storage disabled: the message still shows in this tab, it just would not survive a reload.
  }
}

function readStored(boardId: string): RefusalReport[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(storageKey(boardId)) ?? '[]')
    return Array.isArray(value) ? value.filter(isReport) : []
  } catch {
    return []
  }
}

function isReport(value: unknown): value is RefusalReport {
  const r = value as RefusalReport
  return (
    typeof r === 'object' &&
    r !== null &&
    REASONS.includes(r.reason) &&
    Number.isInteger(r.count) &&
    Array.isArray(r.titles) &&
    r.titles.every((t) => typeof t === 'string')
  )
}
