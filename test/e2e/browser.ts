import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, expect } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../helpers/chromium.ts'
import { startServer, type SnurraServer } from '../../server/app.ts'
import { buildClient, clientIsStale } from '../../server/client-build.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'

export { CHROMIUM } from '../helpers/chromium.ts'

/** Builds dist/client when it is missing or older than its sources (`npm test` builds first). */
export async function ensureClientBuilt(): Promise<void> {
  if (process.env.CLIENT_DIR) return // a build elsewhere was asked for
  const root = join(import.meta.dirname, '..', '..')
  if (clientIsStale(root, join(root, 'dist', 'client'))) await buildClient(root)
}

export const launchBrowser = launchChromium

export interface E2EServer {
  url: string
  /** Stops the server (gracefully) and starts it again on the same port and data directory. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** Tests make many boards and many refused links from one address: per-address limits out of the way unless a test sets them. */
const TEST_LIMITS = { CREATE_RATE_LIMIT: '1000000', REFUSED_UPGRADES_BURST: '1000000' }

/** The real server in-process, on a free port, with its own SQLite directory, serving dist/client. */
export async function startE2EServer(env: Record<string, string> = {}): Promise<E2EServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'snurra-e2e-'))
  const start = (port: string) =>
    startServer(readConfig({ PORT: port, HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: process.env.CLIENT_DIR, ...TEST_LIMITS, ...env }), { log: createLogger(process.env.E2E_SERVER_LOG === '1' ? 'info' : 'warn', process.env.E2E_SERVER_LOG === '1' ? (line: string) => process.stderr.write(line) : () => {}) })
  let snurra: SnurraServer = await start('0')
  const port = String(new URL(snurra.url).port)
  return {
    url: `http://127.0.0.1:${port}`,
    async restart() {
      await snurra.close()
      snurra = await start(port)
    },
    async stop() {
      await snurra.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export async function createBoard(baseUrl: string, template = 'hallunda-norsborg', title = 'Workshop'): Promise<{ id: string; links: Record<'facilitator' | 'participant' | 'viewer', string> }> {
  const res = await fetch(`${baseUrl}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template, title }),
  })
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Records every request a page makes whose origin is not `origin`. */
export function watchForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = []
  page.on('request', (req) => {
    const url = req.url()
    if (url.startsWith('data:') || url.startsWith('blob:')) return
    if (new URL(url).origin !== origin) foreign.push(url)
  })
  return foreign
}

/** A fresh browser context (its own storage, so its own person) and a page in it. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  return context.newPage()
}

/** Opens a board link, answers the join dialog and waits until the page is online. */
export async function joinBoard(page: Page, link: string, name: string): Promise<Page> {
  await page.goto(link)
  await page.getByTestId('join-name').fill(name)
  await page.getByTestId('join-sector').selectOption({ index: 1 })
  await page.getByTestId('join-submit').click()
  await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('online')
  return page
}

/**
 * What every e2e file starts with: the client built, a server and a browser before its tests,
 * both stopped after them. Read `e2e.server` and `e2e.browser` inside tests and hooks.
 */
export function useServerAndBrowser(env: Record<string, string> = {}): { readonly server: E2EServer; readonly browser: Browser } {
  const e2e = {} as { server: E2EServer; browser: Browser }
  beforeAll(async () => {
    await ensureClientBuilt()
    e2e.server = await startE2EServer(env)
    e2e.browser = await launchBrowser()
  })
  afterAll(async () => {
    await e2e.browser?.close()
    await e2e.server?.stop()
  })
  return e2e
}

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * axe-core's WCAG 2.1 A/AA violations on the page, or within the parts `include` selects, as
 * `rule: targets` lines (an empty list passes). An analysis that checked almost nothing must
 * not pass as "no violations", hence `minPasses`.
 */
export async function axeViolations(page: Page, include: string[] = [], minPasses = 10): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_21_AA)
  for (const part of include) builder = builder.include(part)
  const result = await builder.analyze()
  expect(result.passes.length).toBeGreaterThan(minPasses)
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}
