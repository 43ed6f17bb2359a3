/**
 * Snurra in English, end to end: the language chosen on the start page sticks, and a
 * facilitator and a participant then run a board whose texts – Snurra's own and tldraw's – are
 * English, with no Swedish left over and no WCAG 2.1 AA violations.
 *
 * "Swedish left over" is computed from the message tables, not listed by hand: every Swedish
 * string (Snurra's sv.ts and tldraw's sv.json) whose English counterpart differs and that is
 * not itself an English string somewhere. The scan matches whole text nodes and attribute
 * values, so template content (main tasks and sectors are the programme's own Swedish words)
 * cannot trigger it by accident.
 */

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { en } from '../../client/i18n/en.ts'
import { translate, type MessageKey } from '../../client/i18n/messages.ts'
import { sv } from '../../client/i18n/sv.ts'
import { axeViolations, createBoard, joinBoard, newPage, useServerAndBrowser, watchForeignRequests } from './browser.ts'

type Table = Record<string, string>

const require = createRequire(import.meta.url)
/** tldraw's Swedish, the file the client bundles for locale "sv". */
const TLDRAW_SV: Table = JSON.parse(readFileSync(require.resolve('@tldraw/assets/translations/sv.json'), 'utf8'))
/** tldraw's English is built into the library and not exported; tldraw is pinned, so read its module. */
const TLDRAW_EN: Table = (
  await import(pathToFileURL(join(dirname(require.resolve('tldraw')), '..', 'dist-esm/lib/ui/hooks/useTranslation/defaultTranslation.mjs')).href)
).DEFAULT_TRANSLATION

const CARD = '.tl-shape[data-shape-type="snurra-card"]'
const SLOW = { timeout: 15_000 }
const enT = (key: MessageKey, vars?: Record<string, string | number>) => translate('en', key, vars)

interface Needle {
  /** Where the string comes from, for the failure message. */
  source: string
  /** The whole text, or a regular expression source when the message has `{variables}`. */
  text: string
  pattern: boolean
}

/** Swedish strings that must not be seen once English is chosen, plus Snurra's raw message keys. */
function swedishNeedles(): Needle[] {
  const english = new Set([...Object.values(en), ...Object.values(TLDRAW_EN)].map((s) => s.trim()))
  const pairs: [string, string, string | undefined][] = [
    ...Object.entries(sv).map(([key, text]): [string, string, string | undefined] => [`sv.ts ${key}`, text, en[key as MessageKey]]),
    ...Object.entries(TLDRAW_SV).map(([key, text]): [string, string, string | undefined] => [`tldraw sv.json ${key}`, text, TLDRAW_EN[key]]),
  ]
  const needles: Needle[] = []
  for (const [source, raw, counterpart] of pairs) {
    const text = raw.trim()
    if (counterpart === undefined || text === counterpart.trim() || english.has(text)) continue
    if (!/\{\w+\}/.test(text)) {
      needles.push({ source, text, pattern: false })
      continue
    }
    // A message with variables is matched as a pattern, but only when enough of it is words:
    // "H{n}" would otherwise match any text that starts with an H.
    const literal = text.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '')
    if (literal.length < 4) continue
    const regex = text
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.+')
    needles.push({ source, text: `^${regex}$`, pattern: true })
  }
  for (const key of Object.keys(sv)) needles.push({ source: 'raw Snurra message key', text: key, pattern: false })
  return needles
}

const NEEDLES = swedishNeedles()

/**
 * Every text node, accessible-name attribute and the document title on the page, checked
 * against the needles. Attribute values are also checked piecewise, since tldraw labels its
 * buttons "Name — shortcut". Returns what matched and how many texts were looked at.
 */
function scanForSwedish(page: Page): Promise<{ scanned: number; found: string[] }> {
  return page.evaluate((needles) => {
    const exact = new Map(needles.filter((n) => !n.pattern).map((n) => [n.text, n.source]))
    const patterns = needles.filter((n) => n.pattern).map((n) => ({ re: new RegExp(n.text, 'u'), source: n.source }))
    const texts: string[] = [document.title]
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const tag = node.parentElement?.tagName
      if (tag !== 'SCRIPT' && tag !== 'STYLE') texts.push(node.textContent ?? '')
    }
    const ATTRIBUTES = ['aria-label', 'aria-description', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt']
    for (const el of document.body.querySelectorAll('*')) {
      for (const name of ATTRIBUTES) {
        const value = el.getAttribute(name)
        if (value) texts.push(value, ...value.split(' — '))
      }
    }
    const found = new Set<string>()
    let scanned = 0
    for (const raw of texts) {
      const text = raw.trim()
      if (!text) continue
      scanned++
      const hit = exact.get(text) ?? patterns.find((p) => p.re.test(text))?.source
      if (hit) found.add(`${JSON.stringify(text)} (${hit})`)
    }
    return { scanned, found: [...found].sort() }
  }, NEEDLES)
}

/** No Swedish (and no raw key) on the page, out of a scan that really looked at the page. */
async function expectNoSwedish(page: Page, minScanned: number): Promise<void> {
  const { scanned, found } = await scanForSwedish(page)
  expect(found).toEqual([])
  expect(scanned).toBeGreaterThan(minScanned)
}

const e2e = useServerAndBrowser()

const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.lang)

/** A fresh page with English chosen the way a user does: on the start page's switch. */
async function englishPage(baseUrl: string): Promise<Page> {
  const page = await newPage(e2e.browser)
  await page.goto(baseUrl + '/')
  await page.getByTestId('language-switch').selectOption('en')
  await expect.poll(() => htmlLang(page), SLOW).toBe('en')
  return page
}

describe('Snurra in English', () => {
  test('the start page switches to English, keeps the choice over a reload and creates a board in English', async () => {
    // The needles are many, and tldraw's part is not empty: otherwise the scans below prove little.
    expect(NEEDLES.filter((n) => n.source.startsWith('sv.ts')).length).toBeGreaterThan(300)
    expect(NEEDLES.filter((n) => n.source.startsWith('tldraw')).length).toBeGreaterThan(300)

    const page = await newPage(e2e.browser)
    await page.goto(e2e.server.url + '/')
    const heading = page.locator('h1')
    // Swedish by default – and the scan sees it.
    await expect.poll(() => heading.innerText(), SLOW).toBe(sv['start.heading'])
    expect(await htmlLang(page)).toBe('sv')
    expect((await scanForSwedish(page)).found.join('\n')).toContain(sv['start.heading'])

    await page.getByTestId('language-switch').selectOption('en')
    const startTexts = async () => ({
      lang: await htmlLang(page),
      title: await page.title(),
      heading: await heading.innerText(),
      languageLabel: await page.locator('.language-switch label').innerText(),
      templateLabel: await page.getByLabel(en['start.template'], { exact: true }).count(),
      titleLabel: await page.getByLabel(en['start.title'], { exact: true }).count(),
      submit: await page.getByTestId('create-form').locator('button[type=submit]').innerText(),
      templates: (await page.locator('select[name=template] option').allInnerTexts()).sort(),
    })
    const englishStart = {
      lang: 'en',
      title: `${en['start.heading']} – ${en['app.name']}`,
      heading: en['start.heading'],
      languageLabel: en['lang.label'],
      templateLabel: 1,
      titleLabel: 1,
      submit: en['start.submit'],
      templates: [en['template.blank'], en['template.borlange-2022-2026'], en['template.hallunda-norsborg']].sort(),
    }
    await expect.poll(startTexts, SLOW).toEqual(englishStart)
    await expectNoSwedish(page, 10)

    // The choice is remembered: after a reload the page comes up in English straight away.
    await page.reload()
    await expect.poll(startTexts, SLOW).toEqual(englishStart)
    expect(await page.getByTestId('language-switch').inputValue()).toBe('en')

    // Creating a board from the English page: the result and its links are English too.
    await page.locator('input[name=title]').fill('Autumn workshop')
    await page.getByTestId('create-form').locator('button[type=submit]').click()
    await expect.poll(() => heading.innerText(), SLOW).toBe(en['start.linksHeading'])
    await expect.poll(() => page.getByLabel(en['role.linkParticipant'], { exact: true }).inputValue(), SLOW).toMatch(/\/b\/[a-z2-7]{16}\?token=/)
    expect(await page.getByTestId('open-facilitator').innerText()).toBe(en['start.openFacilitator'])
    expect(await page.getByRole('button', { name: enT('start.copyLabel', { role: en['role.viewer'] }) }).count()).toBe(1)
    await expectNoSwedish(page, 10)
    expect(await axeViolations(page)).toEqual([])
  }, 60_000)

  test('a facilitator and a participant run a board in English, tldraw included, with no Swedish left and no axe violations', async () => {
    const title = 'Autumn workshop'
    const board = await createBoard(e2e.server.url, 'hallunda-norsborg', title)
    const origin = e2e.server.url

    // Facilitator: English chosen on the start page, then in through the join dialog.
    const fac = await englishPage(origin)
    const foreign = watchForeignRequests(fac, origin)
    // tldraw's translations are JSON files: its English from public/tldraw/, the others bundled in assets/.
    const translationFiles = new Set<string>()
    fac.on('response', (res) => {
      if (/\/(tldraw|assets)\/[\w-]+\.json$/.test(res.url())) translationFiles.add(`${res.status()} ${res.url()}`)
    })
    await joinBoard(fac, board.links.facilitator, 'Fay Facilitator')

    const boardTexts = (page: Page) => async () => ({
      lang: await htmlLang(page),
      addCard: await page.getByTestId('add-card').innerText(),
      list: await page.getByTestId('toggle-list').innerText(),
      coverage: await page.getByTestId('toggle-coverage').innerText(),
      export: await page.getByTestId('export-open').innerText(),
      versions: await page.getByTestId('versions-open').innerText(),
      status: (await page.getByTestId('connection-status').innerText()).replace(/\s+/g, ' '),
      panel: await page.locator('aside.board-panel').getAttribute('aria-label'),
      tools: await page.locator('.board-header__tools').getAttribute('aria-label'),
      people: await page.getByTestId('people').locator('h2').innerText(),
      language: await page.locator('.board-header .language-switch label').innerText(),
    })
    const englishBoard = (people: number) => ({
      lang: 'en',
      addCard: en['board.addCard'],
      list: en['list.toggle'],
      coverage: en['coverage.toggle'],
      export: en['export.open'],
      versions: en['versions.open'],
      status: `${en['status.prefix']} ${en['status.online']}`,
      panel: en['board.panelLabel'],
      tools: en['board.toolbarLabel'],
      people: enT('people.heading', { count: people }),
      language: en['lang.label'],
    })
    await expect.poll(boardTexts(fac), SLOW).toEqual(englishBoard(1))
    expect(await fac.getByTestId('role').innerText()).toBe(enT('role.label', { role: en['role.facilitator'] }))
    expect(await fac.getByTestId('paths-panel').locator('h2').innerText()).toBe(en['paths.heading'])

    // The facilitator pastes the action paths, through the English form.
    await fac.getByLabel(en['paths.label'], { exact: true }).fill('Path one\nPath two')
    await fac.getByRole('button', { name: en['paths.save'], exact: true }).click()
    await expect.poll(() => fac.getByTestId('paths-panel').innerText(), SLOW).toContain(enT('paths.saved', { count: 2 }))

    // tldraw's own UI is English: its toolbar, quick actions and main menu, computed from its tables.
    const toolIds = ['select', 'hand', 'draw', 'eraser', 'arrow', 'text', 'note']
    // Most of these read differently in Swedish, so the check below can tell the two apart.
    expect(toolIds.filter((id) => TLDRAW_SV[`tool.${id}`] !== TLDRAW_EN[`tool.${id}`]).length).toBeGreaterThanOrEqual(4)
    const tldrawLabels = () =>
      fac.evaluate(
        (ids) => {
          const name = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)?.getAttribute('aria-label')?.split(' — ')[0] ?? null
          return [...ids.map((id) => name(`tools.${id}`)), name('tools.snurra-connect'), name('main-menu.button'), name('quick-actions.undo'), name('quick-actions.redo')]
        },
        toolIds,
      )
    await expect
      .poll(tldrawLabels, SLOW)
      .toEqual([...toolIds.map((id) => TLDRAW_EN[`tool.${id}`]), en['canvas.connectTool'], TLDRAW_EN['menu.title'], TLDRAW_EN['action.undo'], TLDRAW_EN['action.redo']])
    await fac.getByTestId('main-menu.button').click()
    const menu = fac.getByRole('menu').first()
    for (const key of ['menu.edit', 'menu.view', 'menu.preferences']) {
      expect(TLDRAW_SV[key]).not.toBe(TLDRAW_EN[key])
      await expect.poll(() => menu.getByRole('menuitem', { name: TLDRAW_EN[key], exact: true }).count(), SLOW).toBe(1)
    }
    await expectNoSwedish(fac, 100)
    await fac.keyboard.press('Escape')
    await expect.poll(() => fac.getByRole('menu').count(), SLOW).toBe(0)
    // …from its English file on Snurra's own origin, and no other language's.
    expect([...translationFiles]).toEqual([`200 ${origin}/tldraw/en.json`])

    // A new activity: the in-place fields and the edit panel are English, and editing works.
    await fac.getByTestId('add-card').click()
    const inPlaceTitle = fac.getByRole('textbox', { name: en['card.titleLabel'], exact: true })
    await inPlaceTitle.fill('Homework club')
    expect(await inPlaceTitle.getAttribute('placeholder')).toBe(en['card.untitled'])
    expect(await fac.getByRole('textbox', { name: en['card.descriptionLabel'], exact: true }).count()).toBe(1)
    await fac.keyboard.press('Escape')
    const panel = fac.getByTestId('edit-panel')
    await expect.poll(() => panel.locator('h2').innerText(), SLOW).toBe(en['activity.editHeading'])
    const panelTitle = panel.getByRole('textbox', { name: en['activity.title'], exact: true })
    await expect.poll(() => panelTitle.inputValue(), SLOW).toBe('Homework club')
    await panelTitle.fill('Homework club at the library')
    await panel.getByRole('combobox', { name: en['activity.status'], exact: true }).selectOption({ label: en['activity.status.ongoing'] })
    await panel.getByRole('group', { name: en['activity.paths'], exact: true }).getByRole('checkbox', { name: 'Path one', exact: true }).check()
    expect(await panel.getByRole('group', { name: en['activity.tasks'], exact: true }).count()).toBe(1)
    expect(await panel.getByRole('combobox', { name: en['activity.timeframe'], exact: true }).locator('option:checked').innerText()).toBe(en['activity.timeframe.none'])

    // The card on the canvas says the same, in English (full face or, zoomed out, compact).
    const cardHits = (page: Page) => page.locator(`${CARD} [data-testid=card-hits]`).innerText()
    const hitTexts = (count: number) => [enT('activity.hits', { count, total: 2 }), enT('activity.hitsShort', { count, total: 2 })]
    await expect.poll(() => fac.locator(CARD).innerText(), SLOW).toContain('Homework club at the library')
    await expect.poll(() => cardHits(fac), SLOW).toBeOneOf(hitTexts(1))

    await expectNoSwedish(fac, 150)
    expect(await axeViolations(fac)).toEqual([])

    // The list and the coverage panel, and the export dialog: English as well.
    await fac.getByTestId('toggle-list').click()
    await expect.poll(() => fac.getByTestId('list-panel').locator('h2').innerText(), SLOW).toBe(en['list.heading'])
    await expect.poll(() => fac.getByTestId('list-row').innerText(), SLOW).toContain(enT('list.pathsCell', { count: 1, total: 2 }))
    await expectNoSwedish(fac, 150)
    await fac.getByTestId('toggle-coverage').click()
    await expect.poll(() => fac.getByTestId('coverage-panel').locator('h2').innerText(), SLOW).toBe(en['coverage.heading'])
    await expect.poll(() => fac.getByTestId('coverage-panel').innerText(), SLOW).toContain(en['coverage.uncovered'])
    await expectNoSwedish(fac, 150)
    await fac.getByTestId('toggle-coverage').click()
    await fac.getByTestId('export-open').click()
    const dialog = fac.getByRole('dialog', { name: en['export.heading'] })
    await expect.poll(() => dialog.count(), SLOW).toBe(1)
    await expectNoSwedish(fac, 150)
    await fac.keyboard.press('Escape')
    await expect.poll(() => dialog.count(), SLOW).toBe(0)

    // Participant: chooses English on the join dialog itself, then joins (the choice sticks).
    const par = await newPage(e2e.browser)
    await par.goto(board.links.participant)
    await par.getByTestId('join-name').waitFor()
    await par.getByTestId('language-switch').selectOption('en')
    await expect.poll(() => par.locator('h1').innerText(), SLOW).toBe(enT('join.heading', { title }))
    expect(await par.getByTestId('join-submit').innerText()).toBe(en['join.submit'])
    expect(await par.getByLabel(en['join.name'], { exact: true }).count()).toBe(1)
    await expectNoSwedish(par, 10)
    await joinBoard(par, board.links.participant, 'Pat Participant')
    await expect.poll(boardTexts(par), SLOW).toEqual(englishBoard(2))
    expect(await par.getByTestId('role').innerText()).toBe(enT('role.label', { role: en['role.participant'] }))
    await expect.poll(() => par.locator(CARD).innerText(), SLOW).toContain('Homework club at the library')
    await expect.poll(() => cardHits(par), SLOW).toBeOneOf(hitTexts(1))

    // The participant selects the card and edits its title in the English edit panel.
    const box = (await par.locator(CARD).boundingBox())!
    await par.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    // tldraw announces the selection to screen readers with the shape's kind, in English.
    const announced = () => par.locator('[role=status][aria-live]').filter({ hasText: 'Homework club at the library' }).innerText()
    await expect.poll(announced, SLOW).toContain(`, ${en['canvas.cardShape']}. `)
    const parPanel = par.getByTestId('edit-panel')
    await expect.poll(() => parPanel.locator('h2').innerText(), SLOW).toBe(en['activity.editHeading'])
    const parTitle = parPanel.getByRole('textbox', { name: en['activity.title'], exact: true })
    await expect.poll(() => parTitle.inputValue(), SLOW).toBe('Homework club at the library')
    await parTitle.fill('Homework club, Tuesdays')
    await parPanel.getByRole('group', { name: en['activity.paths'], exact: true }).getByRole('checkbox', { name: 'Path two', exact: true }).check()
    await expect.poll(() => fac.locator(CARD).innerText(), SLOW).toContain('Homework club, Tuesdays')
    await expect.poll(() => cardHits(fac), SLOW).toBeOneOf(hitTexts(2))
    expect(await parPanel.getByRole('combobox', { name: en['activity.status'], exact: true }).locator('option:checked').innerText()).toBe(en['activity.status.ongoing'])

    await expectNoSwedish(par, 150)
    expect(await axeViolations(par)).toEqual([])
    expect(foreign).toEqual([])

    // The scan is not blind to the board: back in Swedish it finds Snurra's and tldraw's Swedish.
    await fac.getByTestId('language-switch').selectOption('sv')
    await expect
      .poll(async () => {
        const { found } = await scanForSwedish(fac)
        const seen = (text: string) => found.some((f) => f.startsWith(`${JSON.stringify(text)} (`))
        return [seen(sv['board.addCard']), seen(TLDRAW_SV['tool.select'])]
      }, SLOW)
      .toEqual([true, true])
  }, 90_000)
})
