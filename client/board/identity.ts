import { newLocalId } from '../../core/ids.ts'

/** What a person typed when joining, remembered on this device for the next board. */
export interface Profile {
  name: string
  sector: string
}

const PROFILE_KEY = 'snurra-profile'
const TAB_USER_KEY = 'snurra-tab-user'

// Dark enough that white name tags on them reach 4.5:1.
const PALETTE = ['#1d5f8a', '#8a3b12', '#2f6b3a', '#5b4a8a', '#a1176d', '#00696f', '#7a5500', '#b3261e', '#3d5a80', '#6b4226']

export function loadProfile(): Profile {
  try {
    const parsed = JSON.parse(localStorage.getItem(PROFILE_KEY) ?? '{}') as Partial<Profile>
    return { name: typeof parsed.name === 'string' ? parsed.name : '', sector: typeof parsed.sector === 'string' ? parsed.sector : '' }
  } catch {
    return { name: '', sector: '' }
  }
}

export function saveProfile(profile: Profile): void {
  try {
    localStorage.setItem(PROFILE_KEY, JSON.stringify(profile))
  } catch {
    // Storage unavailable: the user types their name again next time.
  }
}

/**
 * One id per browser tab (kept across reloads of that tab). Per tab rather than per device:
 * tldraw hides collaborators that share the local user's id, and two tabs are two cursors.
 */
export function tabUserId(): string {
  try {
    const existing = sessionStorage.getItem(TAB_USER_KEY)
    if (existing && /^[a-z2-7]{10,}$/.test(existing)) return existing
    const id = newLocalId(12)
    sessionStorage.setItem(TAB_USER_KEY, id)
    return id
  } catch {
    return newLocalId(12)
  }
}

/** A colour from the palette, starting from one derived from the id and skipping ones in use. */
export function colorFor(id: string, taken: ReadonlySet<string> = new Set()): string {
  let hash = 0
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  for (let i = 0; i < PALETTE.length; i++) {
    const color = PALETTE[(hash + i) % PALETTE.length]
    if (!taken.has(color)) return color
  }
  return PALETTE[hash % PALETTE.length]
}
