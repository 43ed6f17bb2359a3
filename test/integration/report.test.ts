/**
 * The report document against a real server, checked with the programs a municipality's staff
 * and archive use: poppler (pdftotext, pdffonts, pdfinfo) and qpdf for the PDF/A-2a, axe-core in
 * Chromium for the HTML report. The board holds names in Swedish, Polish, Czech, Turkish,
 * Hungarian and Arabic, filled by stock y-websocket clients, with a closed vote.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultActivity, type Activity } from '../../core/activity.ts'
import { appendPaths } from '../../core/board-doc.ts'
import { readPaths } from '../../core/board-meta.ts'
import { FACILITATION_KEY } from '../../core/facilitation.ts'
import { exportOne } from '../../server/cli/commands.ts'
import { launchChromium } from '../helpers/chromium.ts'
import { connectSynced, destroyAllClients, waitFor } from '../helpers/clients.ts'
import { cardRecord, has, write } from '../helpers/records.ts'
import { startTestServer, stopAllServers, type CreatedBoard, type TestServer } from '../helpers/server.ts'
import { destroyAllSnurraClients, deviceKey, snurraSynced } from '../helpers/snurra.ts'

const NAMES = {
  sv: 'Läxhjälp på Hallunda bibliotek',
  pl: 'Stowarzyszenie Łódź – Źródło',
  cs: 'Spolek Čapek a Dvořák',
  tr: 'Föreningen Şafak – Ğüneş',
  hu: 'Kőbányai ifjúsági kör',
  ar: 'جمعية الصداقة للشباب',
}
const PATHS = ['Trygghet i centrum', 'Läxhjälp och fritid', 'Arbete och praktik']
const set = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, true as const]))

let server: TestServer
let board: CreatedBoard
const dir = mkdtempSync(join(tmpdir(), 'snurra-report-'))

beforeAll(async () => {
  server = await startTestServer()
  board = await server.createBoard('Årsuppföljning Hallunda 2026')
  const facilitator = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
  const [p1, p2, p3] = appendPaths(facilitator.doc, PATHS)
  const cards: Record<string, Partial<Activity>> = {
    sv: { title: NAMES.sv, responsible: 'Utbildningsnämnden', tasks: set('uppvaxtvillkor'), paths: set(p1, p2), status: 'ongoing', year: 2026 },
    pl: { title: NAMES.pl, partners: 'Łódź', tasks: set('jobbchanser'), paths: set(p3) },
    cs: { title: NAMES.cs, description: 'Čtení pro děti', tasks: set('samspel'), paths: set(p1) },
    tr: { title: NAMES.tr, tasks: set('samspel', 'stadsmiljo'), paths: set(p1, p3) },
    hu: { title: NAMES.hu, tasks: set('uppvaxtvillkor'), paths: set(p2) },
    ar: { title: NAMES.ar, description: 'أنشطة للأطفال', tasks: set('stadsmiljo'), paths: set(p2, p3) },
  }
  Object.entries(cards).forEach(([n, props], i) => write(facilitator.doc, cardRecord(n, { x: -600 + i * 260, y: 700, props: { ...defaultActivity(), ...props } })))
  const viewer = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
  await waitFor(() => Object.keys(cards).every((n) => has(viewer.doc, `shape:card-${n}`)) && readPaths(viewer.doc).length === 3, 'the viewer to see every card')

  const chair = await snurraSynced(server.wsUrl, board.id, board.tokens.facilitator, { person: deviceKey() })
  expect(await chair.intent({ type: 'vote.open', votesPerPerson: 2, allowMultiplePerCard: false, hideResultsUntilEnd: false, cardIds: null })).toMatchObject({ ok: true })
  const voter = await snurraSynced(server.wsUrl, board.id, board.tokens.participant, { person: deviceKey() })
  for (const c of ['ar', 'pl']) expect(await voter.intent({ type: 'vote.cast', cardId: `shape:card-${c}` })).toMatchObject({ ok: true })
  expect(await chair.intent({ type: 'vote.close' })).toMatchObject({ ok: true })
  await waitFor(() => viewer.doc.getMap(FACILITATION_KEY).toJSON().vote?.status === 'closed', 'the closed vote')
  destroyAllSnurraClients()
  destroyAllClients()
})
afterAll(stopAllServers)

async function download(format: string, params: Record<string, string> = {}): Promise<{ res: Response; bytes: Buffer; file: string }> {
  const q = new URLSearchParams({ format, token: board.tokens.viewer, ...params })
  const res = await fetch(`${server.url}/api/boards/${board.id}/export?${q}`)
  expect(res.status, await res.clone().text().catch(() => '')).toBe(200)
  const bytes = Buffer.from(await res.arrayBuffer())
  const file = join(dir, `report-${format}-${params.lang ?? 'sv'}.${format}`)
  writeFileSync(file, bytes)
  return { res, bytes, file }
}

const run = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 })

/** The PDF's objects as qpdf reads them, with a resolver for references. */
function pdfObjects(file: string) {
  const json = JSON.parse(run('qpdf', '--json=2', '--json-key=qpdf', file)) as { qpdf: [unknown, Record<string, { value?: unknown; stream?: { dict: Record<string, unknown> } }>] }
  const objects = json.qpdf[1]
  const get = (ref: unknown): Record<string, unknown> => {
    const o = objects[`obj:${String(ref)}`]
    return (o?.value ?? o?.stream?.dict ?? {}) as Record<string, unknown>
  }
  const catalog = Object.values(objects).find((o) => (o.value as Record<string, unknown> | undefined)?.['/Type'] === '/Catalog')!.value as Record<string, unknown>
  return { get, catalog }
}

/** Every structure element below the root: its type, its /Alt, its children. */
interface StructNode {
  type: string
  alt?: string
  attributes: Record<string, unknown>
  kids: StructNode[]
}
function structTree(file: string): StructNode {
  const { get, catalog } = pdfObjects(file)
  const walk = (ref: unknown, depth: number): StructNode[] => {
    if (depth > 40 || typeof ref !== 'string' || !/ R$/.test(ref)) return []
    const o = get(ref)
    if (o['/Type'] === '/MCR' || o['/Type'] === '/OBJR') return []
    const k = o['/K']
    const kids = (Array.isArray(k) ? k : [k]).flatMap((kid) => walk(kid, depth + 1))
    const a = o['/A']
    const attributes = typeof a === 'string' ? get(a) : ((a ?? {}) as Record<string, unknown>)
    return [{ type: String(o['/S'] ?? o['/Type']), alt: typeof o['/Alt'] === 'string' ? o['/Alt'].replace(/^u:/, '') : undefined, attributes, kids }]
  }
  return walk(catalog['/StructTreeRoot'], 0)[0]
}
const all = (node: StructNode): StructNode[] => [node, ...node.kids.flatMap(all)]

describe('the PDF report', () => {
  let pdf: { res: Response; bytes: Buffer; file: string }
  beforeAll(async () => {
    pdf = await download('pdf')
  })

  it('gives back every name as text (every letter of the Arabic one), in embedded, subset fonts', () => {
    expect(pdf.res.headers.get('content-type')).toBe('application/pdf')
    const text = run('pdftotext', '-enc', 'UTF-8', pdf.file, '-')
    for (const [lang, name] of Object.entries(NAMES)) {
      if (lang === 'ar') for (const letter of name.replace(/\s/g, '')) expect(text, `the Arabic letter ${letter}`).toContain(letter)
      else expect(text.replace(/\s+/g, ' '), name).toContain(name)
    }
    for (const path of PATHS) expect(text).toContain(path)

    const fonts = run('pdffonts', pdf.file).trim().split('\n').slice(2)
    expect(fonts.length).toBeGreaterThan(0)
    for (const line of fonts) {
      // name, type…, encoding, then emb sub uni as yes/no
      const [emb, sub, uni] = line.trim().split(/\s+/).slice(-5, -2)
      expect([emb, sub, uni], line).toEqual(['yes', 'yes', 'yes'])
    }
  })

  it('is tagged, titled (the title shown as the window title), in Swedish, and declares PDF/A-2a in its XMP', () => {
    const info = run('pdfinfo', pdf.file)
    expect(info).toMatch(/^Tagged:\s+yes$/m)
    expect(info).toMatch(/^Title:\s+Årsuppföljning Hallunda 2026$/m)
    expect(info).toMatch(/^PDF version:\s+1\.7$/m)

    const { get, catalog } = pdfObjects(pdf.file)
    expect(catalog['/Lang']).toBe('u:sv')
    expect(get(catalog['/ViewerPreferences'])['/DisplayDocTitle']).toBe(true)
    expect(get(catalog['/MarkInfo'])['/Marked']).toBe(true)
    expect(catalog['/OutputIntents']).toHaveLength(1)
    const xmp = run('qpdf', `--show-object=${String(catalog['/Metadata']).replace(/ R$/, '')}`, '--filtered-stream-data', pdf.file)
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/)
    expect(xmp).toMatch(/<pdfaid:conformance>A<\/pdfaid:conformance>/)
    expect(xmp).toContain('Årsuppföljning Hallunda 2026')
  })

  it('has a structure tree: headings, the picture as a Figure that says the counts, tables with header cells', () => {
    const root = structTree(pdf.file)
    const nodes = all(root)
    const types = nodes.map((n) => n.type)
    expect(types).toContain('/Document')
    expect(types.filter((t) => t === '/H1')).toHaveLength(1)
    expect(types.filter((t) => t === '/H2').length).toBe(4)

    const figures = nodes.filter((n) => n.type === '/Figure')
    expect(figures).toHaveLength(1)
    expect(figures[0].alt).toMatch(/H1 Mer jämlika, hälsofrämjande och trygga uppväxtvillkor: 2/)
    expect(figures[0].alt).toMatch(/V2 Läxhjälp och fritid: 3/)

    const tables = nodes.filter((n) => n.type === '/Table')
    expect(tables.length).toBeGreaterThanOrEqual(3)
    const register = tables[0]
    const rows = register.kids.filter((k) => k.type === '/TR')
    expect(rows).toHaveLength(1 + Object.keys(NAMES).length)
    const header = rows[0].kids
    expect(header.length).toBeGreaterThan(5)
    for (const cell of header) {
      expect(cell.type).toBe('/TH')
      expect(cell.attributes['/Scope']).toBe('/Column')
    }
    for (const row of rows.slice(1)) {
      expect(row.kids[0].type).toBe('/TH')
      expect(row.kids[0].attributes['/Scope']).toBe('/Row')
      expect(row.kids.slice(1).every((c) => c.type === '/TD')).toBe(true)
    }
  })

  it('follows lang: English words, /Lang en', async () => {
    const q = new URLSearchParams({ format: 'pdf', token: board.tokens.viewer, lang: 'en' })
    const res = await fetch(`${server.url}/api/boards/${board.id}/export?${q}`)
    const file = join(dir, 'en.pdf')
    writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    const { catalog } = pdfObjects(file)
    expect(catalog['/Lang']).toBe('u:en')
    const text = run('pdftotext', file, '-')
    expect(text).toContain('Activity register')
    expect(text).toContain('Page 1 of')
  })
})

describe('the HTML report', () => {
  it('is one self-contained page with 0 axe-core WCAG 2.1 A/AA violations in Chromium', async () => {
    const { res, bytes } = await download('html')
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = bytes.toString('utf8')
    expect(html).toMatch(/<html lang="sv">/)
    expect(html).not.toMatch(/<script|<link|src="http|href="http/)
    for (const name of Object.values(NAMES)) expect(html).toContain(name)
    const browser = await launchChromium()
    try {
      const page = await (await browser.newContext()).newPage()
      // Offline like an archive: the page must not need anything from the network.
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html)
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
      expect(result.passes.length).toBeGreaterThan(10)
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
      expect(await page.locator('svg[role="img"] > title').textContent()).toMatch(/H1 Mer jämlika, hälsofrämjande och trygga uppväxtvillkor: 2/)
      expect(await page.locator('table').count()).toBeGreaterThanOrEqual(3)
      expect(await page.locator('thead th[scope="col"]').count()).toBeGreaterThan(10)
      expect(await page.locator('tbody th[scope="row"]', { hasText: NAMES.tr }).count()).toBeGreaterThan(0)
      if (process.env.KEEP_EXPORTS) await page.screenshot({ path: join(process.env.KEEP_EXPORTS, 'report-html.png'), fullPage: true })
    } finally {
      await browser.close()
    }
  })
})

describe('file names and the command line', () => {
  it('keeps the board title "Årsuppföljning" in filename*, with an ASCII fallback in filename', async () => {
    for (const format of ['pdf', 'html', 'xlsx', 'csv']) {
      const { res } = await download(format)
      const disposition = res.headers.get('content-disposition')!
      expect(disposition).toMatch(new RegExp(`filename="arsuppfoljning-hallunda-2026-\\d{4}-\\d{2}-\\d{2}\\.${format}"`))
      const star = /filename\*=UTF-8''([^;\s]+)/.exec(disposition)![1]
      expect(decodeURIComponent(star)).toMatch(new RegExp(`^årsuppföljning-hallunda-2026-\\d{4}-\\d{2}-\\d{2}\\.${format}$`))
    }
  })

  it('`snurra export --format pdf` writes the same report from the data directory', async () => {
    const out = join(dir, 'cli.pdf')
    await exportOne({ kind: 'data', dataDir: server.dataDir }, board.id, { format: 'pdf', out })
    expect(readFileSync(out).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7')
    expect(run('pdfinfo', out)).toMatch(/^Tagged:\s+yes$/m)
    expect(run('pdftotext', out, '-')).toContain(NAMES.pl)
  })
})
