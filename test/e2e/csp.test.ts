/**
 * The app runs under its own Content-Security-Policy: no inline script, config from /config.js,
 * nothing the browser refuses while a board loads and a card is made.
 */

import { describe, expect, test } from 'vitest'
import { createBoard, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const e2e = useServerAndBrowser()


describe('Content-Security-Policy', () => {
  test('index.html has no inline script or handler, and is served with the policy', async () => {
    const res = await fetch(`${e2e.server.url}/`)
    const html = await res.text()
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attrs, body] of scripts) {
      expect(attrs, 'every script has a src').toMatch(/\bsrc=/)
      expect(body.trim(), 'and no inline code').toBe('')
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i) // onclick=… and friends
    expect(html).toContain('src="/config.js"')
  })

  test('a board loads, runs its config and takes a card with no policy violation', async () => {
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'CSP')
    const page = await newPage(e2e.browser)
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: string[] }
      w.__violations = []
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`))
    })
    const refused: string[] = []
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) refused.push(msg.text())
    })
    const response = await page.goto(board.links.participant)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'")
    await joinBoard(page, board.links.participant, 'Cecilia CSP')
    expect(await page.evaluate(() => typeof (window as unknown as { __SNURRA_CONFIG__?: object }).__SNURRA_CONFIG__)).toBe('object')
    await page.getByTestId('add-card').click()
    await page.locator('.tl-shape[data-shape-type="snurra-card"]').first().waitFor()
    await page.waitForTimeout(500)
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([])
    expect(refused).toEqual([])
  })
})
