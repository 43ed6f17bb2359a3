import { atom, computed, createTLCurrentUser, createUserId, UserRecordType, type TLCurrentUser, type TLUserPreferences, type TLUserStore } from 'tldraw'

const PREFS_KEY = 'snurra-tldraw-preferences'
// Identity comes from the join dialog and the language from Snurra's switch; the rest
// (dark mode, snapping, …) is the user's own tldraw preference and is kept per device.
const OWN_KEYS = ['id', 'name', 'color', 'locale'] as const

function storedPrefs(): Partial<TLUserPreferences> {
  try {
    const parsed = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}')
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}

function storePrefs(prefs: TLUserPreferences): void {
  const rest: Record<string, unknown> = { ...prefs }
  for (const key of OWN_KEYS) delete rest[key]
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(rest))
  } catch {
    // Not persisted; fine for this page.
  }
}

export interface SnurraTldrawUser {
  /** For <Tldraw user>: preferences, including the UI locale. */
  current: TLCurrentUser
  /** For createTLStore({ users }): who this is, for tldraw's attribution. */
  store: TLUserStore
}

export function createTldrawUser(who: { id: string; name: string; color: string }, locale: string): SnurraTldrawUser {
  const prefs = atom<TLUserPreferences>('snurra user preferences', { ...storedPrefs(), ...who, locale })
  const current = createTLCurrentUser({
    userPreferences: prefs,
    setUserPreferences: (next) => {
      prefs.set({ ...next, id: who.id, name: who.name, color: who.color })
      storePrefs(next)
    },
  })
  const record = computed('snurra user record', () => UserRecordType.create({ id: createUserId(who.id), name: who.name, color: who.color }))
  return { current, store: { currentUser: record } }
}
