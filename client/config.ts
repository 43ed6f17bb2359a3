/** Run-time settings the server serves as /config.js, so one build fits every deployment. */
interface SnurraConfig {
  tldrawLicenseKey?: string
  /** The server has CREATE_KEY set: creating and restoring boards need it. */
  createKeyRequired?: boolean
}

declare global {
  interface Window {
    __SNURRA_CONFIG__?: SnurraConfig
  }
}

export function tldrawLicenseKey(): string | undefined {
  const key = window.__SNURRA_CONFIG__?.tldrawLicenseKey
  return typeof key === 'string' && key.length > 0 ? key : undefined
}
