/**
 * The vote says what it can promise: devices, not people. With a name required, the
 * facilitator sees how many ballots each display name cast — here one person voting from two
 * browsers — and never what they voted for.
 */
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { sv } from '../../client/i18n/sv.ts'
import { axeViolations, createBoard, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const e2e = useServerAndBrowser()

async function addCard(page: Page, title: string) {
  await page.getByTestId('add-card').click()
  await page.getByTestId('card-title-input').fill(title)
  await page.keyboard.press('Escape')
  await expect.poll(() => page.getByTestId('edit-panel').getByTestId('activity-title').inputValue()).toBe(title)
}

test('a name is required; the facilitator sees two ballots under one name from two browsers', async () => {
  const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Namnröstning')
  const fac = await joinBoard(await newPage(e2e.browser), board.links.facilitator, 'Fia Facilitator')
  await addCard(fac, 'Läxhjälp')
  const group = fac.getByTestId('group-vote')
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click()
  await fac.getByTestId('vote-require-name').check()
  await fac.getByTestId('vote-open').click()

  // The same person in two browsers (two device keys), and someone else.
  for (const name of ['Anna Andersson', 'Anna Andersson', 'Bo Berg']) {
    const page = await joinBoard(await newPage(e2e.browser), board.links.participant, name)
    await expect.poll(() => page.getByTestId('vote-devices-note').innerText(), { timeout: 10_000 }).toBe(sv['vote.devicesNote'])
    await page.getByTestId('vote-row').filter({ hasText: 'Läxhjälp' }).getByTestId('vote-cast').click()
    await expect.poll(() => page.getByTestId('vote-remaining').getAttribute('data-remaining'), { timeout: 10_000 }).toBe('2')
  }
  const rows = fac.getByTestId('vote-by-name-row')
  await expect.poll(() => rows.allInnerTexts(), { timeout: 10_000 }).toEqual(['Anna Andersson: 2', 'Bo Berg: 1'])
  expect(await fac.getByTestId('vote-by-name').innerText()).not.toContain('Läxhjälp')
  expect(await axeViolations(fac, ['[data-testid="vote-panel"]'], 3)).toEqual([])
}, 180_000)
