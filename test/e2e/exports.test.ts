import { readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { axeViolations, createBoard, joinBoard, newPage, useServerAndBrowser, watchForeignRequests } from './browser.ts'

const template = JSON.parse(readFileSync(new URL('../../templates/hallunda-norsborg.json', import.meta.url), 'utf8')) as { tasks: Array<{ id: string; label: string }> }
const TASKS = template.tasks.map((t) => t.label)
const PATHS = ['Väg ett', 'Väg två', 'Väg tre']
/** Each card: its title, the main tasks (by label) and the paths it hits. */
const CARDS = [
  { title: 'Läxhjälp på biblioteket', tasks: [TASKS[0]], paths: ['Väg ett', 'Väg två'] },
  { title: 'Sommarjobb för unga', tasks: [TASKS[1], TASKS[0]], paths: ['Väg två'] },
  { title: 'Trygghetsvandring', tasks: [TASKS[3]], paths: [] },
]

const e2e = useServerAndBrowser()


/** A hallunda-norsborg board with three paths and the cards above, made through the UI. */
async function boardWithCards(title: string): Promise<{ page: Page; foreign: string[]; links: Record<string, string> }> {
  const board = await createBoard(e2e.server.url, 'hallunda-norsborg', title)
  const page = await newPage(e2e.browser)
  const foreign = watchForeignRequests(page, e2e.server.url)
  await joinBoard(page, board.links.facilitator, 'Fia Facilitator')
  await page.getByTestId('paths-input').fill(PATHS.join('\n'))
  await page.getByTestId('paths-save').click()
  for (const card of CARDS) {
    await page.getByTestId('add-card').click()
    await page.getByTestId('card-title-input').fill(card.title)
    await page.keyboard.press('Escape')
    const panel = page.getByTestId('edit-panel')
    await expect.poll(() => panel.getByTestId('activity-title').inputValue()).toBe(card.title)
    for (const name of [...card.tasks, ...card.paths]) await panel.getByRole('checkbox', { name, exact: true }).check()
  }
  return { page, foreign, links: board.links }
}

/** Opens the export dialog, picks scope and format, and returns the downloaded file. */
async function exportPicture(page: Page, format: 'svg' | 'png', opts: { scope?: 'board' | 'selection' } = {}) {
  if ((await page.getByTestId('export-dialog').count()) === 0) await page.getByTestId('export-open').click()
  const dialog = page.getByTestId('export-dialog')
  await dialog.getByTestId(`scope-${opts.scope ?? 'board'}`).check()
  await dialog.getByTestId(`format-${format}`).check()
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), dialog.getByTestId('picture-download').click()])
  const path = await download.path()
  await expect.poll(() => dialog.getByTestId('picture-status').getAttribute('data-state')).toBe('done')
  // KEEP_EXPORTS=<dir> keeps the files for a person to look at.
  if (process.env.KEEP_EXPORTS) await download.saveAs(`${process.env.KEEP_EXPORTS}/${format}-${opts.scope ?? 'board'}-${download.suggestedFilename()}`)
  return { name: download.suggestedFilename(), bytes: readFileSync(path) }
}

/** What the exported SVG says, parsed by the browser's own XML parser. */
function readSvg(page: Page, text: string) {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml')
    const words = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim()
    const legendRows = [...doc.querySelectorAll('[data-export=legend-row]')].map((row) => ({
      kind: row.getAttribute('data-kind'),
      label: [...row.querySelectorAll('[data-export=label] tspan')].map((s) => s.textContent).join(' '),
      count: words(row.querySelector('[data-export=count]')),
    }))
    const board = doc.querySelector('[data-export=board]')
    return {
      parseError: doc.querySelector('parsererror') !== null,
      root: doc.documentElement.nodeName,
      width: Number(doc.documentElement.getAttribute('width')),
      height: Number(doc.documentElement.getAttribute('height')),
      title: words(doc.querySelector('[data-export=title]')),
      date: words(doc.querySelector('[data-export=date]')),
      legendRows,
      // Text drawn on the board itself (ring and cards), apart from the legend.
      boardText: [...(board?.querySelectorAll('text') ?? [])].map((t) => words(t)).join(' | '),
      cardTitles: [...(board?.querySelectorAll('[data-export=card-title]') ?? [])].map((t) => words(t)),
      hasForeignObject: doc.querySelector('foreignObject') !== null,
      scripts: doc.querySelectorAll('script').length,
    }
  }, text)
}

const today = () => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

describe('board pictures (PNG, SVG) and the report (PDF) with the template circle and a legend', () => {
  test('SVG of the whole board has the four main tasks, every card, the title, the date and the legend counts', async () => {
    const { page, foreign } = await boardWithCards('Exportdag i Hallunda')
    const file = await exportPicture(page, 'svg')
    expect(file.name).toBe(`exportdag-i-hallunda-${today()}.svg`)
    const text = file.bytes.toString('utf8')
    const svg = await readSvg(page, text)
    expect(svg.parseError).toBe(false)
    expect(svg.root).toBe('svg')
    expect(svg.scripts).toBe(0)
    expect(svg.title).toBe('Exportdag i Hallunda')
    expect(svg.date).toContain(today())

    // The legend: the four main tasks verbatim, with how many activities hit each.
    const tasks = svg.legendRows.filter((r) => r.kind === 'task')
    expect(tasks.map((r) => r.label)).toEqual(TASKS)
    expect(tasks.map((r) => r.count)).toEqual(['2', '1', '0', '1'])
    const paths = svg.legendRows.filter((r) => r.kind === 'path')
    expect(paths.map((r) => [r.label, r.count])).toEqual([
      ['Väg ett', '1'],
      ['Väg två', '2'],
      ['Väg tre', '0'],
    ])
    // The whole text also has each task verbatim (not only as wrapped pieces).
    const allText = text.replace(/\s+/g, ' ')
    for (const task of TASKS) expect(allText).toContain(task)

    // The board itself: the template circle (its segments' words) and every card's face, as SVG.
    expect(svg.boardText).toContain('Förnyad stadsmiljö')
    expect(svg.boardText).toContain('Väg tre')
    expect(svg.cardTitles.sort()).toEqual(CARDS.map((c) => c.title).sort())
    expect(svg.hasForeignObject).toBe(false)
    expect(foreign).toEqual([])
  }, 180_000)

  test('PNG is a real PNG of plausible size; the PDF button downloads the server\'s tagged report with the title and card titles', async () => {
    const { page, foreign } = await boardWithCards('Rapportbild för Hallunda 2026')
    const svg = await readSvg(page, (await exportPicture(page, 'svg')).bytes.toString('utf8'))

    const png = await exportPicture(page, 'png')
    expect(png.name).toBe(`rapportbild-for-hallunda-2026-${today()}.png`)
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const width = png.bytes.readUInt32BE(16)
    const height = png.bytes.readUInt32BE(20)
    // Twice the SVG's size (pixel ratio 2), give or take rounding.
    expect(Math.abs(width - svg.width * 2)).toBeLessThanOrEqual(2)
    expect(Math.abs(height - svg.height * 2)).toBeLessThanOrEqual(2)
    expect(width).toBeGreaterThan(1500)
    // Not blank: a PNG of one flat colour compresses to almost nothing.
    expect(png.bytes.length).toBeGreaterThan(50_000)

    // The PDF is the server's report document (the same one a script gets), not a picture made here.
    const dialog = page.getByTestId('export-dialog')
    expect(await dialog.getByTestId('format-pdf').count()).toBe(0)
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), dialog.getByTestId('export-pdf').click()])
    expect(download.suggestedFilename()).toBe(`rapportbild-för-hallunda-2026-${today()}.pdf`)
    const file = join(tmpdir(), `snurra-e2e-report-${process.pid}.pdf`)
    writeFileSync(file, readFileSync(await download.path()))
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
    expect(info).toMatch(/^Title:\s+Rapportbild för Hallunda 2026$/m)
    expect(info).toMatch(/^Tagged:\s+yes$/m)
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
    for (const card of CARDS) expect(text).toContain(card.title)
    expect(foreign).toEqual([])
  }, 180_000)

  test('a selection exports only what is selected', async () => {
    const { page } = await boardWithCards('Bara urvalet')
    // The last card made is still selected.
    const file = await exportPicture(page, 'svg', { scope: 'selection' })
    const svg = await readSvg(page, file.bytes.toString('utf8'))
    expect(svg.cardTitles).toEqual(['Trygghetsvandring'])
    expect(svg.boardText).not.toContain('Läxhjälp')
    expect(svg.boardText).not.toContain('Sommarjobb')
    // No ring either: it was not selected (the card hits no path, so no path name is on it).
    expect(svg.boardText).not.toContain('Väg tre')
    // The legend still counts the whole board and says the picture is a selection.
    expect(svg.legendRows.filter((r) => r.kind === 'task').map((r) => r.count)).toEqual(['2', '1', '0', '1'])
    expect(file.bytes.toString('utf8')).toContain('1 av tavlans 3 aktiviteter')
  }, 180_000)

  test('the export dialog is keyboard-operable and axe finds no WCAG 2.1 A/AA violations with it open', async () => {
    const { page } = await boardWithCards('Tillgänglig export')
    await page.getByTestId('export-open').focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByTestId('export-dialog')
    await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true)
    // Focus starts on the dialog's heading, so a screen reader announces where the user is.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H2')
    expect(await axeViolations(page)).toEqual([])
    // Escape closes it and focus goes back to the button that opened it.
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-open')
  }, 180_000)
})

/** Opens a header dialog (if not open) and returns it. */
async function openDialog(page: Page, name: 'export' | 'versions') {
  const dialog = page.getByTestId(`${name}-dialog`)
  if ((await dialog.count()) === 0) await page.getByTestId(`${name}-open`).click()
  await expect.poll(() => dialog.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true)
  return dialog
}

async function addCard(page: Page, title: string) {
  await page.getByTestId('add-card').click()
  await page.getByTestId('card-title-input').fill(title)
  await page.keyboard.press('Escape')
  await expect.poll(() => page.getByTestId('edit-panel').getByTestId('activity-title').inputValue()).toBe(title)
}

const CARD = '.tl-shape[data-shape-type="snurra-card"]'

describe('register downloads, import, delete and versions against the server', () => {
  test('the register links download CSV (semicolon), XLSX and a JSON backup, and the backup restores as a new board', async () => {
    const { page } = await boardWithCards('Registerlänkar')
    const dialog = await openDialog(page, 'export')
    expect(await dialog.getByTestId('csv-semicolon').isChecked()).toBe(true)
    const grab = async (testId: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId(testId).click()])
      return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) }
    }
    const csv = await grab('export-csv')
    expect(csv.name.endsWith('.csv')).toBe(true)
    const text = csv.bytes.toString('utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const [header, ...rows] = text.slice(1).split(/\r?\n/).filter(Boolean)
    expect(header.split(';').length).toBeGreaterThan(10)
    expect(rows.map((r) => CARDS.find((c) => r.includes(c.title))?.title).sort()).toEqual(CARDS.map((c) => c.title).sort())
    const xlsx = await grab('export-xlsx')
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
    const backup = await grab('export-json')
    const json = JSON.parse(backup.bytes.toString('utf8'))
    expect([json.format, json.board.title]).toEqual(['snurra-board', 'Registerlänkar'])

    // A broken file is refused in words a planner understands, and restores nothing.
    await dialog.getByTestId('backup-file').setInputFiles({ name: 'trasig.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "snurra-board"') })
    await dialog.getByTestId('backup-submit').click()
    await expect.poll(() => dialog.getByTestId('backup-import').getByRole('status').innerText()).toContain('Filen är ingen hel säkerhetskopia av en Snurra-tavla, så inget återställdes.')
    expect(await dialog.getByTestId('backup-restored').count()).toBe(0)

    // That backup, restored through the dialog, is a new board with the same cards.
    await dialog.getByTestId('backup-file').setInputFiles({ name: backup.name, mimeType: 'application/json', buffer: backup.bytes })
    await dialog.getByTestId('backup-submit').click()
    const link = await dialog.getByTestId('backup-restored').getByTestId('link-facilitator').inputValue()
    expect(new URL(link).pathname).not.toBe(new URL(page.url()).pathname)
    const restored = await joinBoard(await newPage(e2e.browser), link, 'Fia Facilitator')
    await expect.poll(() => restored.locator(CARD).count(), { timeout: 15_000 }).toBe(CARDS.length)
  }, 180_000)

  test('a CSV with bad rows lists every line error and adds nothing; a good one adds its activities', async () => {
    const { page } = await boardWithCards('Import av aktiviteter')
    const dialog = await openDialog(page, 'export')
    // Waits for the answer it expects: the state before the click may already look final.
    const upload = async (name: string, text: string, expected: 'rejected' | 'added') => {
      await dialog.getByTestId('csv-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') })
      await dialog.getByTestId('csv-submit').click()
      await expect.poll(() => dialog.getByTestId('csv-status').getAttribute('data-state'), { timeout: 20_000 }).toBe(expected)
    }
    await upload('fel.csv', 'Aktivitet;Status\nCykelverkstad;Planerad\n;Pågår\nLäxläsning;banan\n', 'rejected')
    const errors = dialog.getByTestId('csv-errors').locator('li')
    expect(await errors.evaluateAll((els) => els.map((e) => e.getAttribute('data-line')))).toEqual(['3', '4'])
    expect(await errors.nth(0).innerText()).toMatch(/^Rad 3: /)
    expect(await errors.nth(1).innerText()).toContain('banan')
    // Focus is on the list's heading, so the user hears how many problems there are.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H4')
    expect(await axeViolations(page)).toEqual([])
    // Nothing was applied: still the three cards.
    await page.waitForTimeout(500)
    expect(await page.locator(CARD).count()).toBe(3)

    await upload('ratt.csv', 'Aktivitet;Status\nCykelverkstad;Planerad\nLäxläsning;Pågår\n', 'added')
    expect(await dialog.getByTestId('csv-status').innerText()).toBe('2 aktiviteter lades till på tavlan.')
    expect(await dialog.getByTestId('csv-errors').count()).toBe(0)
    await expect.poll(() => page.locator(CARD).count(), { timeout: 10_000 }).toBe(5)
  }, 180_000)

  test('versions: save, list, compare with the board now, view read-only and restore as a new board', async () => {
    const { page, foreign } = await boardWithCards('Uppföljning Hallunda')
    let dialog = await openDialog(page, 'versions')
    expect(await dialog.getByTestId('versions-empty').count()).toBe(1)
    await dialog.getByTestId('version-name').fill('Workshop 2026-11-23')
    await dialog.getByTestId('version-save').click()
    await expect.poll(() => dialog.getByTestId('version-save-status').getAttribute('data-state')).toBe('saved')
    await expect.poll(() => dialog.getByTestId('version-row').locator('th').allInnerTexts()).toEqual(['Workshop 2026-11-23'])
    await page.keyboard.press('Escape')

    // After the version: the selected card (the last one made) moves on, and one card more.
    const panel = page.getByTestId('edit-panel')
    expect(await panel.getByTestId('activity-title').inputValue()).toBe('Trygghetsvandring')
    await panel.getByLabel('Status', { exact: true }).selectOption('ongoing')
    await addCard(page, 'Nytt efter workshopen')

    dialog = await openDialog(page, 'versions')
    const compare = async () => {
      await dialog.getByTestId('compare-submit').click()
      return dialog.getByTestId('compare-summary').innerText()
    }
    // The last edits reach the server over the socket: ask until the comparison sees them.
    await expect.poll(compare, { timeout: 15_000 }).toBe('Från ”Workshop 2026-11-23” till ”Tavlan som den är nu”: aktiviteter tillagda 1, borttagna 0, ändrade 1.')
    expect(await dialog.getByTestId('compare-added').innerText()).toBe('Nytt efter workshopen')
    const changed = dialog.getByTestId('compare-changed').locator('tbody tr')
    expect(await changed.count()).toBe(1)
    expect(await changed.first().locator('th, td').allInnerTexts()).toEqual(['Trygghetsvandring', 'Status', 'Idé', 'Pågår'])
    expect(await axeViolations(page)).toEqual([])

    // View the version: its own read-only editor with three cards, not four.
    await dialog.getByTestId('version-view').click()
    const viewer = page.getByTestId('version-viewer')
    await expect.poll(() => viewer.getByTestId('version-banner').innerText()).toContain('Version ”Workshop 2026-11-23”, skrivskyddad')
    await expect.poll(() => viewer.locator(CARD).count(), { timeout: 15_000 }).toBe(3)
    expect(await viewer.getByText('Nytt efter workshopen').count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('version-back')
    expect(await axeViolations(page)).toEqual([])
    // Read-only: double-clicking a card does not open it for editing.
    const card = (await viewer.locator(CARD).first().boundingBox())!
    await page.mouse.dblclick(card.x + card.width / 2, card.y + card.height / 2)
    await page.waitForTimeout(300)
    expect(await viewer.getByTestId('card-title-input').count()).toBe(0)
    await viewer.getByTestId('version-back').click()
    await expect.poll(() => viewer.count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('version-view')
    // The live board still has four cards.
    expect(await page.locator(CARD).count()).toBe(4)

    // Restore as a new board: its links open a board with the version's three cards.
    await dialog.getByTestId('version-restore').click()
    const link = await dialog.getByTestId('version-restored').getByTestId('link-facilitator').inputValue()
    const restored = await joinBoard(await newPage(e2e.browser), link, 'Fia Facilitator')
    await expect.poll(() => restored.locator(CARD).count(), { timeout: 15_000 }).toBe(3)
    expect(await restored.getByTestId('board-title').innerText()).toBe('Uppföljning Hallunda – Workshop 2026-11-23')
    // The viewer's editor, too, loads everything from our own origin.
    expect(foreign).toEqual([])
  }, 240_000)

  test('deleting a board needs its title typed, then its links stop working and the start page says so', async () => {
    const { page, links } = await boardWithCards('Radera mig')
    const participant = await joinBoard(await newPage(e2e.browser), links.participant, 'Per Deltagare')
    const boardId = new URL(links.participant).pathname.split('/').pop()!
    const localCopies = () => participant.evaluate(async (id) => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith(`snurra-${id}`)).sort(), boardId)
    // The participant's browser keeps copies of the board and of its drafts…
    await expect.poll(localCopies).toEqual([`snurra-${boardId}`, `snurra-${boardId}-private`])
    // A browser that had the board open earlier and is away when it is deleted.
    const away = await joinBoard(await newPage(e2e.browser), links.participant, 'Ada Borta')
    const awayContext = away.context()
    await away.goto('about:blank')
    const dialog = await openDialog(page, 'export')
    await dialog.getByTestId('delete-open').click()
    const confirm = page.getByTestId('delete-dialog')
    await expect.poll(() => confirm.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true)
    expect(await confirm.innerText()).toContain('alla sparade versioner')
    expect(await axeViolations(page)).toEqual([])
    await confirm.getByTestId('delete-title').fill('Radera')
    await confirm.getByTestId('delete-confirm').click()
    await expect.poll(() => confirm.getByTestId('delete-error').innerText()).toBe('Namnet stämmer inte med tavlans namn.')
    expect(await confirm.getByTestId('delete-title').getAttribute('aria-invalid')).toBe('true')

    await confirm.getByTestId('delete-title').fill('Radera mig')
    await confirm.getByTestId('delete-confirm').click()
    await page.waitForURL((url) => url.pathname === '/', { timeout: 20_000 })
    expect(await page.getByTestId('board-deleted').innerText()).toBe('Tavlan är borttagen. Dess länkar fungerar inte längre.')
    expect(new URL(page.url()).search).toBe('')
    // The participant is disconnected, and every link is dead.
    await expect.poll(() => participant.getByTestId('connection-closed').count(), { timeout: 15_000 }).toBe(1)
    expect(await participant.getByTestId('connection-closed').innerText()).toContain('Tavlan har tagits bort')
    // Nothing can be added any more, and nothing promises that edits will be sent later.
    await expect.poll(() => participant.getByTestId('add-card').count()).toBe(0)
    expect(await participant.getByTestId('connection-status').getAttribute('data-state')).toBe('closed')
    expect(await participant.getByTestId('connection-status').innerText()).not.toContain('skickas')
    // …which go when the server says the board is deleted (an erasure reaches every e2e.browser).
    await expect.poll(localCopies, { timeout: 10_000 }).toEqual([])
    // The browser that was away forgets its copies as soon as it opens the link again.
    const back = await awayContext.newPage()
    await back.goto(links.participant)
    await expect.poll(() => back.getByTestId('notice').innerText(), { timeout: 15_000 }).toContain('Tavlan har tagits bort')
    const awayCopies = () => back.evaluate(async (id) => (await indexedDB.databases()).filter((d) => d.name?.startsWith(`snurra-${id}`)).length, boardId)
    await expect.poll(awayCopies, { timeout: 10_000 }).toBe(0)
    for (const link of Object.values(links)) {
      const res = await fetch(link.replace('/b/', '/api/boards/').replace('?', '/session?'))
      expect(res.status).toBe(410)
      const fresh = await newPage(e2e.browser)
      await fresh.goto(link)
      await expect.poll(() => fresh.getByTestId('notice').count(), { timeout: 15_000 }).toBe(1)
    }
  }, 240_000)
})
