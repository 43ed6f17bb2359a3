/**
 * Replacing a leaked facilitator link from the board: the facilitator confirms, is moved to the
 * new link and carries on; a second facilitator still on the old link is disconnected.
 */
import { expect, test } from 'vitest'
import { sv } from '../../client/i18n/sv.ts'
import { createBoard, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const e2e = useServerAndBrowser()

test('the facilitator replaces their own link after confirming, and is moved to the new one', async () => {
  const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Läckt länk')
  const page = await joinBoard(await newPage(e2e.browser), board.links.facilitator, 'Fia Facilitator')
  const other = await joinBoard(await newPage(e2e.browser), board.links.facilitator, 'Leo Medledare')
  const group = page.getByTestId('group-links')
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click()
  await page.getByTestId('links-replace-facilitator').click()
  expect(await page.getByTestId('link-controls').innerText()).toContain(sv['people.replaceFacilitatorConfirm'])
  await page.getByTestId('links-confirm').click()

  await expect.poll(() => page.url(), { timeout: 20_000 }).not.toBe(board.links.facilitator)
  const moved = new URL(page.url())
  expect(moved.pathname).toBe(`/b/${board.id}`)
  await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('online')
  // The co-facilitator on the old link is disconnected, and the old link no longer opens the board.
  await expect.poll(() => other.getByTestId('connection-closed').count(), { timeout: 10_000 }).toBe(1)
  const oldToken = new URL(board.links.facilitator).searchParams.get('token')!
  expect((await fetch(`${e2e.server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(oldToken)}`)).status).toBe(401)
  const newToken = moved.searchParams.get('token')!
  expect(await (await fetch(`${e2e.server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(newToken)}`)).json()).toMatchObject({ role: 'facilitator' })
}, 120_000)
