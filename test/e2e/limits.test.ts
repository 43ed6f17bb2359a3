/**
 * CREATE_KEY and quotas in the browser: the start page asks for the key once, remembers it and
 * then creates boards; a quota the server enforces is told to the user in Swedish.
 */
import { describe, expect, test } from 'vitest'
import { sv } from '../../client/i18n/sv.ts'
import { axeViolations, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const KEY = 'e2e-create-key-0123456789abcdef'
const e2e = useServerAndBrowser({ CREATE_KEY: KEY, MAX_VERSIONS_PER_BOARD: '1' })

describe('CREATE_KEY on the start page', () => {
  test('the start page asks for the key once, then creates boards without asking again', async () => {
    const page = await newPage(e2e.browser)
    await page.goto(e2e.server.url + '/')
    const form = page.getByTestId('create-form')
    const keyField = page.getByTestId('create-key')
    await expect.poll(() => keyField.count()).toBe(1)
    expect(await axeViolations(page, ['[data-testid=create-form]'], 3)).toEqual([])

    // Nothing typed: told so, nothing sent.
    await form.locator('button[type=submit]').click()
    await expect.poll(() => page.locator('.error-line').innerText()).toBe(sv['start.keyMissing'])
    // A wrong key: the server refuses it and the page says the key was not accepted.
    await keyField.fill('not-the-key-not-the-key')
    await form.locator('button[type=submit]').click()
    await expect.poll(() => page.locator('.error-line').innerText()).toBe(sv['start.keyRejected'])

    await keyField.fill(KEY)
    await page.locator('input[name=title]').fill('Med nyckel')
    await form.locator('button[type=submit]').click()
    await expect.poll(() => page.getByTestId('link-facilitator').inputValue()).toMatch(/\/b\/[a-z2-7]{16}\?token=/)

    // Another board, and after a reload too: no question this time.
    for (const reload of [false, true]) {
      if (reload) await page.reload()
      else await page.getByRole('button', { name: sv['start.createAnother'] }).click()
      await expect.poll(() => page.getByTestId('create-form').count()).toBe(1)
      expect(await page.getByTestId('create-key').count()).toBe(0)
      await page.getByTestId('create-form').locator('button[type=submit]').click()
      await expect.poll(() => page.getByTestId('link-facilitator').count()).toBe(1)
    }
  }, 120_000)
})

describe('quotas in the interface', () => {
  test('saving a version past MAX_VERSIONS_PER_BOARD is refused with a Swedish explanation', async () => {
    const res = await fetch(`${e2e.server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ template: 'hallunda-norsborg', title: 'Kvot' }),
    })
    expect(res.status).toBe(201)
    const board = (await res.json()) as { links: { facilitator: string } }
    const page = await joinBoard(await newPage(e2e.browser), board.links.facilitator, 'Fia Facilitator')
    await page.getByTestId('versions-open').click()
    const dialog = page.getByTestId('versions-dialog')
    const status = dialog.getByTestId('version-save-status')
    await dialog.getByTestId('version-save').click()
    await expect.poll(() => status.getAttribute('data-state')).toBe('saved')
    await dialog.getByTestId('version-name').fill('En till')
    await dialog.getByTestId('version-save').click()
    await expect.poll(() => status.getAttribute('data-state')).toBe('error')
    expect(await status.innerText()).toBe(sv['limits.tooManyVersions'].replace('{max}', '1'))
  }, 120_000)
})
