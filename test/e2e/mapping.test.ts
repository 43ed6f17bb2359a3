import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { ALL_LINES_UP_TO } from '../../client/canvas/Connections.tsx'
import { createBoard, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const CARD = '.tl-shape[data-shape-type="snurra-card"]'
const LINES = '.snurra-connection:not(.snurra-connection--drawing)'
const TASK = 'uppvaxtvillkor'
const TASK_LABEL = 'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor'
// Verbatim from the seeds (001_… priorities, 000_… sectors).
const PRIORITIES = [
  'Höjd livskvalité och ökad trygghet',
  'Äldres villkor ska förbättras',
  'Öka resultaten och ordningen i skolan',
  'Stärka näringslivsklimatet och kommunen som arbetsgivare',
  'En miljövänlig kommun',
  'Ansvarsfull ekonomi',
]
const SECTORS = ['Bildningssektorn', 'Sociala sektorn', 'Samhällsbyggnadssektorn', 'Sektorn för verksamhetsstöd']

const e2e = useServerAndBrowser()


const join = async (link: string, name: string) => joinBoard(await newPage(e2e.browser), link, name)

type Point = { x: number; y: number }

/** The centre of an element once it has stopped moving (panels opening refit the camera). */
async function settledCenter(page: Page, selector: string): Promise<Point> {
  let last = ''
  for (let i = 0; i < 40; i++) {
    const box = await page.locator(selector).first().boundingBox()
    const now = JSON.stringify(box)
    if (box && now === last) return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    last = now
    await page.waitForTimeout(150)
  }
  throw new Error(`${selector} did not settle`)
}

async function drag(page: Page, from: Point, to: Point): Promise<void> {
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move(from.x + 12, from.y + 12, { steps: 3 })
  await page.mouse.move(to.x, to.y, { steps: 15 })
  await page.mouse.up()
}

const text = (page: Page, testId: string) => page.getByTestId(testId).textContent()
const notice = (page: Page) => page.getByTestId('canvas-notice-text').textContent()
const closeNotice = async (page: Page) => {
  const close = page.getByTestId('canvas-notice').getByRole('button', { name: /Stäng meddelandet/ })
  if (await close.isVisible()) await close.click()
}

/** A path's id, from its ring segment's label. */
async function pathId(page: Page, label: string): Promise<string> {
  const segment = page.locator('.snurra-segment[data-kind="path"]').filter({ has: page.getByText(label, { exact: true }) })
  return (await segment.getAttribute('data-ref'))!
}

describe('mapping activities on the canvas', () => {
  test('drop in a task segment, connect to three paths, and the facilitator’s path edits reach everyone', async () => {
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Kartläggning')
    const fac = await join(board.links.facilitator, 'Fia Facilitator')
    await fac.getByTestId('paths-input').fill('Väg ett\nVäg två\nVäg tre\nVäg fyra')
    await fac.getByTestId('paths-save').click()
    const par = await join(board.links.participant, 'Per Deltagare')
    await expect.poll(() => par.getByText('Väg fyra', { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0)
    await expect.poll(() => text(par, `count-task-${TASK}`)).toBe('0 aktiviteter')

    // The participant adds a card and drops it in the first main task.
    await par.getByTestId('add-card').click()
    await par.keyboard.type('Läxhjälp')
    await par.keyboard.press('Escape')
    const taskSpot = await settledCenter(par, `[data-testid="count-task-${TASK}"]`)
    await drag(par, await settledCenter(par, CARD), { x: taskSpot.x, y: taskSpot.y + 40 })
    await expect.poll(() => notice(par)).toContain(`Lade till huvuduppgiften ”${TASK_LABEL}” på ”Läxhjälp”`)
    await expect.poll(() => notice(par)).toContain('ligger huvuduppgiften kvar')
    await expect.poll(() => text(par, `count-task-${TASK}`)).toBe('1 aktivitet')
    await expect.poll(() => text(fac, `count-task-${TASK}`), { timeout: 10_000 }).toBe('1 aktivitet')

    // Undo takes exactly that back, everywhere.
    await par.getByTestId('canvas-notice-undo').click()
    await expect.poll(() => notice(par)).toBe('Ändringen är ångrad.')
    await expect.poll(() => text(fac, `count-task-${TASK}`), { timeout: 10_000 }).toBe('0 aktiviteter')

    // Moving within the segment sets it again; moving out keeps it, and says so.
    await closeNotice(par)
    await drag(par, await settledCenter(par, CARD), { x: taskSpot.x - 30, y: taskSpot.y + 60 })
    await expect.poll(() => text(fac, `count-task-${TASK}`), { timeout: 10_000 }).toBe('1 aktivitet')
    await closeNotice(par)
    const center = await settledCenter(par, '.snurra-segment[data-kind="center"]')
    await drag(par, await settledCenter(par, CARD), center)
    await expect.poll(() => notice(par)).toContain(`Huvuduppgiften ”${TASK_LABEL}” ligger kvar på ”Läxhjälp”`)
    await expect.poll(() => text(par, `count-task-${TASK}`)).toBe('1 aktivitet')
    await closeNotice(par)

    // The connect tool (shortcut C): drag from the card to three path segments.
    const ids = await Promise.all(['Väg ett', 'Väg två', 'Väg tre', 'Väg fyra'].map((label) => pathId(par, label)))
    await par.keyboard.press('c')
    await expect.poll(() => par.getByTestId('connect-hint').isVisible()).toBe(true)
    for (const id of ids.slice(0, 3)) {
      const target = await settledCenter(par, `[data-testid="count-path-${id}"]`)
      await drag(par, await settledCenter(par, CARD), { x: target.x, y: target.y })
      await expect.poll(() => text(par, `count-path-${id}`)).toBe('1')
      await closeNotice(par)
    }
    for (const id of ids.slice(0, 3)) await expect.poll(() => text(fac, `count-path-${id}`), { timeout: 10_000 }).toBe('1')
    await expect.poll(() => text(fac, `count-path-${ids[3]}`)).toBe('0')
    await expect.poll(() => fac.locator(LINES).count(), { timeout: 10_000 }).toBe(3)
    await par.keyboard.press('Escape')

    // The toolbar button is the same tool.
    await par.getByRole('radio', { name: /Koppla till handlingsväg/ }).or(par.getByRole('button', { name: /Koppla till handlingsväg/ })).first().click()
    await expect.poll(() => par.getByTestId('connect-hint').isVisible()).toBe(true)
    await par.keyboard.press('Escape')

    // The facilitator renames a path: everyone sees the new name.
    const first = fac.getByTestId('path-row').nth(0).getByTestId('path-name')
    await first.fill('Väg ett (nytt namn)')
    await first.press('Enter')
    await expect.poll(() => par.getByText('Väg ett (nytt namn)', { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0)
    await expect.poll(() => par.getByText('Väg ett', { exact: true }).count()).toBe(0)

    // Deleting a path an activity hits asks first, with the count, then removes the references.
    const second = fac.getByTestId('path-row').nth(1)
    await second.getByTestId('path-delete').click()
    await expect.poll(() => second.getByRole('group').textContent()).toContain('1 aktivitet träffar ”Väg två”')
    await second.getByTestId('path-delete-confirm').click()
    await expect.poll(() => fac.getByTestId('paths-status').textContent()).toContain('också från en aktivitet')
    await expect.poll(() => par.getByText('Väg två', { exact: true }).count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => par.locator(LINES).count(), { timeout: 10_000 }).toBe(2)
    await expect.poll(() => par.locator('[data-testid^="count-path-"]').count()).toBe(3)
    // Deleting a path nobody hits does not ask.
    await fac.getByTestId('path-row').nth(2).getByTestId('path-delete').click()
    await expect.poll(() => par.getByText('Väg fyra', { exact: true }).count(), { timeout: 10_000 }).toBe(0)
    await expect.poll(() => par.locator(LINES).count()).toBe(2)

    // Participants do not get the path editor.
    expect(await par.getByTestId('paths-panel').count()).toBe(0)
  }, 150_000)

  test('a Borlänge board shows the six priorities and four sectors, and a drop sets the priority and an empty sector', async () => {
    const board = await createBoard(e2e.server.url, 'borlange-2022-2026', 'Borlänge')
    const fac = await join(board.links.facilitator, 'Fia Facilitator')
    const par = await join(board.links.participant, 'Per Deltagare')
    for (const label of [...PRIORITIES, ...SECTORS]) {
      await expect.poll(() => par.getByText(label, { exact: true }).count(), { timeout: 10_000 }).toBeGreaterThan(0)
    }
    expect(await par.getByTestId('paths-panel').count()).toBe(0)
    expect(await fac.getByTestId('paths-panel').count()).toBe(0)

    await fac.getByTestId('add-card').click()
    await fac.keyboard.type('Trygghetsvandring')
    await fac.keyboard.press('Escape')
    // A card made inside a cell already takes that cell's priority and sector; note which sector.
    await fac.waitForTimeout(500)
    const madeWithSector = ((await notice(fac)) ?? '').includes('Satte sektorn')
    await closeNotice(fac)
    const target = await settledCenter(fac, '.snurra-cell[data-ref="samhallsbyggnad+aldres-villkor"]')
    await drag(fac, await settledCenter(fac, CARD), target)
    await expect.poll(() => notice(fac)).toContain('Lade till prioriteringen ”Äldres villkor ska förbättras” på ”Trygghetsvandring”')
    await expect.poll(() => text(par, 'count-column-aldres-villkor'), { timeout: 10_000 }).toBe('1 aktivitet')
    // The sector is set only when the card had none.
    if (madeWithSector) {
      expect(await notice(fac)).not.toContain('Satte sektorn')
      await expect.poll(() => text(par, 'count-row-samhallsbyggnad')).toBe('0 aktiviteter')
    } else {
      expect(await notice(fac)).toContain('Satte sektorn ”Samhällsbyggnadssektorn”')
      await expect.poll(() => text(par, 'count-row-samhallsbyggnad'), { timeout: 10_000 }).toBe('1 aktivitet')
    }
  }, 90_000)

  test('past the line limit only the selected card’s lines are drawn, and the legend says so', async () => {
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', 'Stor tavla')
    const fac = await join(board.links.facilitator, 'Fia Facilitator')
    await fac.getByTestId('paths-input').fill('Väg ett\nVäg två')
    await fac.getByTestId('paths-save').click()
    await expect.poll(() => fac.locator('.snurra-segment[data-kind="path"]').count(), { timeout: 10_000 }).toBe(2)
    const token = new URL(board.links.facilitator).searchParams.get('token')!
    const importCards = async (from: number, count: number) => {
      const rows = Array.from({ length: count }, (_, i) => `Aktivitet ${from + i},1,${i % 2 ? 1 : ''}`)
      const res = await fetch(`${e2e.server.url}/api/boards/${board.id}/import?format=csv&token=${token}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body: ['Aktivitet,Handlingsväg: Väg ett,Handlingsväg: Väg två', ...rows].join('\r\n'),
      })
      expect(res.status, await res.text()).toBe(200)
    }
    // Exactly at the limit every card's lines are drawn (odd cards hit both paths).
    await importCards(1, ALL_LINES_UP_TO)
    const allLines = ALL_LINES_UP_TO + Math.floor(ALL_LINES_UP_TO / 2)
    await expect.poll(() => fac.locator(CARD).count(), { timeout: 15_000 }).toBe(ALL_LINES_UP_TO)
    await expect.poll(() => fac.locator(LINES).count(), { timeout: 15_000 }).toBe(allLines)
    expect(await fac.getByTestId('lines-limited').count()).toBe(0)

    // One more: no lines until a card is selected, and the legend tells how to see them.
    await importCards(ALL_LINES_UP_TO + 1, 1)
    await expect.poll(() => fac.locator(LINES).count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => fac.getByTestId('lines-limited').textContent()).toBe(`Fler än ${ALL_LINES_UP_TO} kort har träffar: markera ett kort för att se dess linjer.`)
    await fac.getByTestId('toggle-list').click()
    await fac.getByTestId('list-row-select').filter({ hasText: /^(▸ )?Aktivitet 2$/ }).click()
    await expect.poll(() => fac.locator(LINES).count()).toBe(2)
    await expect.poll(() => fac.locator('.snurra-connection--selected').count()).toBe(2)
  }, 90_000)
})
