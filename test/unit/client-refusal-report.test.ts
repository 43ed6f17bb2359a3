import { afterEach, describe, expect, it } from 'vitest'
import { addRefusalReport, clearRefusalReports, refusalReports } from '../../client/sync/refusal-report.ts'

/** sessionStorage as the browser has it, so the reports' way across a reload is tested too. */
const storage = new Map<string, string>()
Object.assign(globalThis, {
  sessionStorage: {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  },
})

afterEach(() => {
  clearRefusalReports('b1')
  storage.clear()
})

describe('what the person is told after a refusal', () => {
  it('a second refusal of the same kind grows the message instead of adding one', () => {
    addRefusalReport('b1', { reason: 'locked', count: 1, titles: ['Kort A'] })
    addRefusalReport('b1', { reason: 'locked', count: 2, titles: ['Kort B'] })
    addRefusalReport('b1', { reason: 'drafts-full', count: 1, titles: [] })
    expect(refusalReports('b1')).toEqual([
      { reason: 'locked', count: 3, titles: ['Kort A', 'Kort B'] },
      { reason: 'drafts-full', count: 1, titles: [] },
    ])
    expect(refusalReports('other')).toEqual([])
  })

  it('survives a reload through sessionStorage, ignores what it cannot read, and is gone once dismissed', () => {
    addRefusalReport('b1', { reason: 'invalid', count: 1, titles: [] })
    const stored = storage.get('snurra-refused-b1')!
    expect(JSON.parse(stored)).toEqual([{ reason: 'invalid', count: 1, titles: [] }])
    storage.set('snurra-refused-b2', JSON.stringify([{ reason: 'invalid', count: 2, titles: [] }, { reason: '__proto__', count: 1, titles: [] }, 'x']))
    expect(refusalReports('b2')).toEqual([{ reason: 'invalid', count: 2, titles: [] }])
    clearRefusalReports('b1')
    expect(refusalReports('b1')).toEqual([])
    expect(storage.has('snurra-refused-b1')).toBe(false)
  })
})
