import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { createBoard, joinBoard, useServerAndBrowser, watchForeignRequests } from './browser.ts'

const MAIN_TASKS = [
  'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor',
  'Bättre jobbchanser, inkomster och livsvillkor',
  'Starkare samspel och känsla för platsen',
  'Förnyad stadsmiljö',
]
const CARD = '.tl-shape[data-shape-type="snurra-card"]'

const e2e = useServerAndBrowser()
const contexts: BrowserContext[] = []


async function openPage(): Promise<{ page: Page; context: BrowserContext; foreign: string[] }> {
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  contexts.push(context)
  const page = await context.newPage()
  return { page, context, foreign: watchForeignRequests(page, e2e.server.url) }
}

const join = (page: Page, link: string, name: string) => joinBoard(page, link, name)

const cardCount = (page: Page) => page.locator(CARD).count()

describe('a workshop on one board', () => {
  test('start page creates a board and shows the three links', async () => {
    const { page, foreign } = await openPage()
    await page.goto(e2e.server.url + '/')
    // The activity circle is offered first, whatever order the server lists templates in.
    await expect.poll(() => page.locator('select[name=template]').inputValue()).toBe('hallunda-norsborg')
    await page.locator('input[name=title]').fill('Höstworkshop')
    await page.getByTestId('create-form').locator('button[type=submit]').click()
    for (const role of ['facilitator', 'participant', 'viewer']) {
      await expect.poll(() => page.getByTestId(`link-${role}`).inputValue()).toMatch(new RegExp(`^${e2e.server.url}/b/[a-z2-7]{16}\\?token=`))
    }
    expect(foreign).toEqual([])
  })

  test('two people see the circle, each other’s cards and cursors, offline edits merge, and a restart loses nothing', async () => {
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Hallunda-Norsborg 2026')
    const fac = await openPage()
    const par = await openPage()
    await join(fac.page, board.links.facilitator, 'Fia Facilitator')

    // The four main tasks, verbatim, on the canvas.
    for (const task of MAIN_TASKS) await expect.poll(() => fac.page.getByText(task, { exact: true }).count()).toBeGreaterThan(0)

    // The facilitator pastes the action paths; they become ring segments for everyone.
    await fac.page.getByTestId('paths-input').fill('Väg ett\nVäg två\nVäg tre')
    await fac.page.getByTestId('paths-save').click()
    await join(par.page, board.links.participant, 'Per Deltagare')
    for (const path of ['Väg ett', 'Väg två', 'Väg tre']) {
      await expect.poll(() => par.page.getByText(path, { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0)
    }

    // A card made on one page appears on the other.
    await fac.page.getByTestId('add-card').click()
    await expect.poll(() => cardCount(fac.page)).toBe(1)
    await expect.poll(() => cardCount(par.page), { timeout: 10_000 }).toBe(1)

    // The facilitator's cursor shows on the participant's page.
    await fac.page.mouse.move(600, 400)
    await fac.page.mouse.move(640, 420, { steps: 5 })
    await expect.poll(() => par.page.locator('.tl-collaborator__cursor').count(), { timeout: 10_000 }).toBeGreaterThan(0)

    // The participant goes offline and adds a card; the facilitator adds one too; both survive.
    await par.context.setOffline(true)
    await expect.poll(() => par.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).not.toBe('online')
    await par.page.getByTestId('add-card').click()
    await fac.page.getByTestId('add-card').click()
    await expect.poll(() => cardCount(par.page)).toBe(2)
    await expect.poll(() => cardCount(fac.page)).toBe(2)
    await par.context.setOffline(false)
    await expect.poll(() => cardCount(fac.page), { timeout: 20_000 }).toBe(3)
    await expect.poll(() => cardCount(par.page), { timeout: 20_000 }).toBe(3)

    // Stop and restart the server: a fresh page sees all three cards and the paths.
    await e2e.server.restart()
    const late = await openPage()
    await join(late.page, board.links.viewer, 'Vera Viewer')
    await expect.poll(() => cardCount(late.page), { timeout: 15_000 }).toBe(3)
    await expect.poll(() => late.page.getByText('Väg två', { exact: true }).count()).toBeGreaterThan(0)

    expect([...fac.foreign, ...par.foreign, ...late.foreign]).toEqual([])
  }, 120_000)

  test('at 400 px wide the board reflows: no sideways scrolling, and every header control is on screen', async () => {
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Smal skärm med en ganska lång titel på tavlan')
    const context = await e2e.browser.newContext({ viewport: { width: 400, height: 800 } })
    contexts.push(context)
    const page = await context.newPage()
    await join(page, board.links.facilitator, 'Fia Facilitator')
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400)
    const controls = page.locator('.board-header button, .board-header select')
    expect(await controls.count()).toBeGreaterThan(3)
    for (const box of await controls.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.left).toBeGreaterThanOrEqual(0)
      expect(box.right).toBeLessThanOrEqual(400)
    }
    // The canvas keeps a usable share of the screen.
    expect((await page.locator('.board-canvas').boundingBox())!.height).toBeGreaterThan(250)
  }, 60_000)
})
