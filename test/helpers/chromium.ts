import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium, which the e2e tests and the browser benchmark drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium'

/** Flags for a root, sandbox-less, offline machine: no background calls to Google's hosts. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
}
