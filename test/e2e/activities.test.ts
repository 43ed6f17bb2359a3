import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { axeViolations, createBoard, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const PATHS = ['Väg ett', 'Väg två', 'Väg tre', 'Väg fyra']
const CARD = '.tl-shape[data-shape-type="snurra-card"]'

const e2e = useServerAndBrowser()


const openPage = () => newPage(e2e.browser)
const join = async (link: string, name: string) => joinBoard(await openPage(), link, name)

/** A board with the four paths set up by its facilitator, and a participant on it. */
async function boardWithPaths(title: string): Promise<{ fac: Page; par: Page }> {
  const board = await createBoard(e2e.server.url, 'hallunda-norsborg', title)
  const fac = await join(board.links.facilitator, 'Fia Facilitator')
  await fac.getByTestId('paths-input').fill(PATHS.join('\n'))
  await fac.getByTestId('paths-save').click()
  const par = await join(board.links.participant, 'Per Deltagare')
  await expect.poll(() => par.getByText('Väg fyra', { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0)
  return { fac, par }
}

/** The coverage panel's count per path, in board order. */
const pathCounts = (page: Page) => page.getByTestId('path-counts').locator('[data-testid=count-row]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-count'))))
/** Each card's "hits N of M paths", as N/M (the words differ between the full and compact face). */
const cardHits = (page: Page) =>
  page.locator(`${CARD} [data-testid=card-hits]`).evaluateAll((els) => els.map((el) => `${el.getAttribute('data-count')}/${el.getAttribute('data-total')}`))
const cardHitText = (page: Page) => page.locator(`${CARD} [data-testid=card-hits]`).allInnerTexts()

/** What has keyboard focus: its test id, its label's text, its tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null
    return { testId: el?.getAttribute('data-testid') ?? '', label: el?.labels?.[0]?.textContent ?? '', tag: el?.tagName ?? '', text: el?.textContent ?? '' }
  })

/** Presses Tab until focus is on what `match` accepts (the way a keyboard user gets there). */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    if (match(await focused(page))) return
  }
  throw new Error(`Tab never reached the wanted control; last was ${JSON.stringify(await focused(page))}`)
}

describe('activities against several action paths', () => {
  test('the edit panel ties an activity to three paths and a second browser sees the counts change', async () => {
    const { fac, par } = await boardWithPaths('Täckning via panelen')
    await par.getByTestId('toggle-coverage').click()
    await expect.poll(() => pathCounts(par)).toEqual([0, 0, 0, 0])

    await fac.getByTestId('add-card').click()
    await fac.getByTestId('card-title-input').fill('Läxhjälp på biblioteket')
    await fac.keyboard.press('Escape')
    const panel = fac.getByTestId('edit-panel')
    await expect.poll(() => panel.getByTestId('activity-title').inputValue()).toBe('Läxhjälp på biblioteket')
    for (const name of ['Väg ett', 'Väg två', 'Väg fyra']) await panel.getByRole('checkbox', { name, exact: true }).check()
    await panel.getByRole('checkbox', { name: 'Förnyad stadsmiljö' }).check()

    await expect.poll(() => pathCounts(par), { timeout: 10_000 }).toEqual([1, 1, 0, 1])
    await expect.poll(() => cardHits(par)).toEqual(['3/4'])
    await expect.poll(() => par.getByTestId('task-counts').locator('[data-id=stadsmiljo]').getAttribute('data-count')).toBe('1')
    // The path nobody hits is flagged in words, not only by colour.
    await expect.poll(() => par.getByTestId('path-counts').locator('.is-uncovered').innerText()).toContain('Väg tre')
    await expect.poll(() => par.getByTestId('path-counts').locator('.is-uncovered').innerText()).toContain('Ingen aktivitet')

    // Unticking one path on the facilitator's side lowers the participant's count again.
    await panel.getByRole('checkbox', { name: 'Väg två', exact: true }).uncheck()
    await expect.poll(() => pathCounts(par), { timeout: 10_000 }).toEqual([1, 0, 0, 1])
    await expect.poll(() => cardHits(fac)).toEqual(['2/4'])
  }, 120_000)

  test('the list view adds, ties, selects and deletes activities with the keyboard alone', async () => {
    const { fac, par } = await boardWithPaths('Listan med tangentbord')
    await par.getByTestId('toggle-coverage').click()

    await fac.getByTestId('toggle-list').click()
    // From here on: keyboard only.
    await tabTo(fac, (f) => f.testId === 'list-add')
    await fac.keyboard.press('Enter')
    await expect.poll(async () => (await focused(fac)).testId).toBe('activity-title')
    await fac.keyboard.type('Sommarjobb för unga')
    await fac.keyboard.press('Tab') // intended result
    await fac.keyboard.type('Fler unga får sitt första jobb')
    await fac.keyboard.press('Tab') // sector
    await fac.keyboard.press('ArrowDown')
    for (const name of ['Väg ett', 'Väg två', 'Väg tre']) {
      await tabTo(fac, (f) => f.label === name)
      await fac.keyboard.press('Space')
    }
    await expect.poll(() => pathCounts(par), { timeout: 10_000 }).toEqual([1, 1, 1, 0])
    await expect.poll(() => cardHits(par)).toEqual(['3/4'])
    const row = fac.getByTestId('list-row').first()
    await expect.poll(() => row.innerText()).toContain('Sommarjobb för unga')
    await expect.poll(() => row.innerText()).toContain('Bildningssektorn')
    await expect.poll(() => row.innerText()).toContain('3 av 4')

    // A second activity, then back to the first row: Enter selects that card on the canvas.
    await tabTo(fac, (f) => f.testId === 'list-add')
    await fac.keyboard.press('Enter')
    await fac.keyboard.type('Trygghetsvandring')
    await expect.poll(() => fac.getByTestId('list-row').count()).toBe(2)
    await expect.poll(() => par.locator(CARD).count(), { timeout: 10_000 }).toBe(2)
    await tabTo(fac, (f) => f.testId === 'list-row-select' && f.text.includes('Sommarjobb'))
    await fac.keyboard.press('Enter')
    await expect.poll(() => fac.getByTestId('list-row').first().getAttribute('aria-current')).toBe('true')
    await expect.poll(() => fac.getByTestId('row-editor').getByTestId('activity-title').inputValue()).toBe('Sommarjobb för unga')
    // …and brings it into view: the card's centre is near the canvas's centre.
    const id = await fac.getByTestId('list-row').first().getAttribute('data-activity-id')
    const canvas = (await fac.locator('main').boundingBox())!
    await expect
      .poll(async () => {
        const card = (await fac.locator(`${CARD}[data-shape-id="${id}"]`).boundingBox())!
        return Math.hypot(card.x + card.width / 2 - (canvas.x + canvas.width / 2), card.y + card.height / 2 - (canvas.y + canvas.height / 2)) < 60
      })
      .toBe(true)

    // Delete the first activity: asked, confirmed, gone for the participant too.
    await tabTo(fac, (f) => f.testId === 'delete-activity')
    await fac.keyboard.press('Enter')
    await expect.poll(async () => (await focused(fac)).testId).toBe('delete-confirm')
    await fac.keyboard.press('Enter')
    await expect.poll(() => fac.getByTestId('list-row').count()).toBe(1)
    await expect.poll(() => par.locator(CARD).count(), { timeout: 10_000 }).toBe(1)
    await expect.poll(() => pathCounts(par), { timeout: 10_000 }).toEqual([0, 0, 0, 0])
    await expect.poll(async () => (await focused(fac)).testId).toBe('list-add')
  }, 120_000)

  test('selecting a card on the canvas highlights its row', async () => {
    const { fac } = await boardWithPaths('Markering')
    await fac.getByTestId('add-card').click()
    await fac.getByTestId('card-title-input').fill('Kortet')
    await fac.keyboard.press('Escape')
    await fac.getByTestId('toggle-list').click()
    const row = fac.getByTestId('list-row').first()
    await expect.poll(() => row.getAttribute('aria-current')).toBe('true')
    // Escape on the canvas clears the selection; clicking the card selects it again.
    const box = (await fac.locator(CARD).boundingBox())!
    await fac.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await fac.keyboard.press('Escape')
    await expect.poll(() => row.getAttribute('aria-current')).toBe(null)
    await expect.poll(() => fac.getByTestId('row-editor').count()).toBe(0)
    await fac.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await expect.poll(() => row.getAttribute('aria-current')).toBe('true')
    await expect.poll(() => fac.getByTestId('row-editor').getByTestId('activity-title').inputValue()).toBe('Kortet')
  }, 120_000)

  test('a viewer sees the activity and the list read-only', async () => {
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Åskådare')
    const fac = await join(board.links.facilitator, 'Fia Facilitator')
    await fac.getByTestId('paths-input').fill(PATHS.join('\n'))
    await fac.getByTestId('paths-save').click()
    await fac.getByTestId('add-card').click()
    await fac.getByTestId('card-title-input').fill('Bara att titta på')
    await fac.keyboard.press('Escape')
    await fac.getByTestId('edit-panel').getByRole('checkbox', { name: 'Väg två', exact: true }).check()

    const viewer = await join(board.links.viewer, 'Vera Viewer')
    await viewer.getByTestId('toggle-list').click()
    await expect.poll(() => viewer.getByTestId('list-row').count(), { timeout: 10_000 }).toBe(1)
    expect(await viewer.getByTestId('list-add').count()).toBe(0)
    await viewer.getByTestId('list-row-select').click()
    const editor = viewer.getByTestId('row-editor')
    await expect.poll(() => editor.getByTestId('activity-title').inputValue()).toBe('Bara att titta på')
    expect(await editor.getByTestId('activity-title').isDisabled()).toBe(true)
    const tick = editor.getByRole('checkbox', { name: 'Väg två', exact: true })
    expect([await tick.isChecked(), await tick.isDisabled()]).toEqual([true, true])
    expect(await viewer.getByTestId('delete-activity').count()).toBe(0)
  }, 120_000)

  test('axe finds no WCAG 2.1 A/AA violations with the list, the coverage or the edit panel open', async () => {
    const { fac } = await boardWithPaths('Tillgänglighet')
    await fac.getByTestId('add-card').click()
    await fac.getByTestId('card-title-input').fill('Läxhjälp')
    await fac.keyboard.press('Escape')
    await fac.getByTestId('edit-panel').getByRole('checkbox', { name: 'Väg ett', exact: true }).check()

    await expect.poll(() => fac.getByTestId('edit-panel').count()).toBe(1)
    expect(await axeViolations(fac)).toEqual([])

    await fac.getByTestId('toggle-list').click()
    await expect.poll(() => fac.getByTestId('row-editor').count()).toBe(1)
    expect(await axeViolations(fac)).toEqual([])

    await fac.getByTestId('list-full').click()
    expect(await axeViolations(fac)).toEqual([])

    await fac.getByTestId('toggle-coverage').click()
    await expect.poll(() => fac.getByTestId('matrix-paths').count()).toBe(1)
    expect(await axeViolations(fac)).toEqual([])

    // The check can fail: an unlabelled field in the panel is reported.
    await fac.getByTestId('coverage-panel').evaluate((el) => el.append(Object.assign(document.createElement('input'), { type: 'text' })))
    expect((await axeViolations(fac)).join()).toMatch(/^label:/)
  }, 120_000)

  test('switching the language changes the panels’ texts, and back', async () => {
    const { fac } = await boardWithPaths('Språk')
    await fac.getByTestId('add-card').click()
    await fac.getByTestId('card-title-input').fill('Läxhjälp')
    await fac.keyboard.press('Escape')
    await fac.getByTestId('edit-panel').getByRole('checkbox', { name: 'Väg ett', exact: true }).check()
    await fac.getByTestId('toggle-coverage').click()

    const texts = async () => ({
      edit: await fac.getByTestId('edit-panel').locator('h2').innerText(),
      paths: await fac.getByTestId('activity-paths').locator('legend').innerText(),
      coverage: await fac.getByTestId('coverage-panel').locator('h2').innerText(),
      toggle: await fac.getByTestId('toggle-list').innerText(),
      // "Träffar 1 av 4 handlingsvägar" or, zoomed out, "1/4 vägar"; in English "… paths".
      card: /vägar$/.test((await cardHitText(fac)).join()) ? 'sv' : /paths$/.test((await cardHitText(fac)).join()) ? 'en' : '?',
    })
    const swedish = { edit: 'Redigera aktiviteten', paths: 'Handlingsvägar', coverage: 'Täckning', toggle: 'Lista', card: 'sv' }
    await expect.poll(texts).toEqual(swedish)
    await fac.getByTestId('language-switch').selectOption('en')
    await expect.poll(texts).toEqual({ edit: 'Edit the activity', paths: 'Action paths', coverage: 'Coverage', toggle: 'List', card: 'en' })
    await fac.getByTestId('language-switch').selectOption('sv')
    await expect.poll(texts).toEqual(swedish)
  }, 120_000)
})
