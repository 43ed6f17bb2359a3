import { newLocalId } from '../../core/ids.ts'

/** What a person typed when joining, remembered on this device for the next board. */
export interface Profile {
  name: string
  sector: string
}

const PROFILE_KEY = 'snurra-profile'
const TAB_USER_KEY = 'snurra-tab-user'
const DEVICE_KEY = 'snurra-device-key'
const JOINED_KEY = 'snurra-joined'

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

/**
 * This device's secret key: 32 random bytes, base64url, kept in localStorage. The server turns
 * it into a per-board person id, which is what owns one's votes and private drafts, so it must
 * stay the same across reloads. It is sent only to our own server, as the `person` parameter.
 */
export function deviceKey(): string {
  try {
    const existing = localStorage.getItem(DEVICE_KEY)
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing
    const key = randomKey()
    localStorage.setItem(DEVICE_KEY, key)
    return key
  } catch {
    // No storage: votes and drafts last for this page only.
    return randomKey()
  }
}

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Whether this tab has already joined the board: a reload (or the reset after a refused edit)
 * goes straight back in with the remembered name instead of asking again.
 */
export function hasJoined(boardId: string): boolean {
  try {
    return sessionStorage.getItem(`${JOINED_KEY}:${boardId}`) === '1'
  } catch {
    return false
  }
}

export function rememberJoined(boardId: string): void {
  try {
    sessionStorage.setItem(`${JOINED_KEY}:${boardId}`, '1')
  } catch {
    // The dialog asks again after a reload; no harm.
  }
}
