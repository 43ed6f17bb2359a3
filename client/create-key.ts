/**
 * CREATE_KEY as this browser knows it. A server that requires one says so in /config.js; the
 * start page asks for it once and keeps it in localStorage, and every request that makes a
 * board (create, restore a backup, restore a version) sends it as a bearer token.
 */
const STORAGE_KEY = 'snurra.createKey'

export function createKeyRequired(): boolean {
  return window.__SNURRA_CONFIG__?.createKeyRequired === true
}

export function storedCreateKey(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY)
  } catch {
    return null // storage blocked (private mode in some browsers): ask each time instead
  }
}

export function rememberCreateKey(key: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, key)
  } catch {
    // Not remembered; the request still carries it this time.
  }
}

export function forgetCreateKey(): void {
  try {
    localStorage.removeItem(STORAGE_KEY)
  } catch {
    // nothing stored
  }
}

/** The Authorization header for a request that makes a board, when a key is known. */
export function createKeyHeader(key: string | null = storedCreateKey()): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {}
}
