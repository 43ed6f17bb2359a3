import PDFDocument from 'pdfkit'
import type { ReportModel, ReportTable } from '../../core/report-model.ts'
import { FONTS } from './fonts.ts'
import { el } from './pdf-struct.ts'
import { drawScene } from './pdf-scene.ts'
import { artifact, drawTable } from './pdf-table.ts'

/**
 * The report as a tagged PDF/A-2a (PDFKit): the document language and title (shown as the
 * window title), XMP metadata with the PDF/A identification and an sRGB output intent (PDFKit
 * writes both for `subset`), embedded subset fonts, and a structure tree — headings, paragraphs,
 * the picture as a Figure with its alternative text, tables with header cells. Page numbers and
 * repeated table headers are artifacts. A4 landscape: the board and the register are wide.
 */
type Doc = PDFKit.PDFDocument
type Struct = PDFKit.PDFStructureElement

const INK = '#1b1d21'
const MUTED = '#4a4f57'

/** Lets the event loop run between slices of a large document. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve))

export async function reportPdf(model: ReportModel, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 44, bottom: 52, left: 44, right: 44 },
    pdfVersion: '1.7',
    subset: 'PDF/A-2a',
    tagged: true,
    lang: model.lang,
    displayTitle: true,
    bufferPages: true,
    font: FONTS.regular,
    info: { Title: model.title, Subject: model.subtitle, Creator: 'Snurra', Producer: 'Snurra (PDFKit)', CreationDate: now, ModDate: now },
  } as PDFKit.PDFDocumentOptions)
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  const root = el(doc, 'Document')
  doc.addStructure(root)
  titlePage(doc, root, model)

  doc.addPage()
  const picture = section(doc, root, model.picture.heading)
  await figure(doc, picture, model)
  picture.end()

  doc.addPage()
  const register = section(doc, root, model.register.heading)
  paragraph(doc, register, model.register.intro)
  if (model.register.table) await drawTable(doc, register, model.register.table, { fontSize: 7.5, maxRowHeight: 200 }, pause)
  else paragraph(doc, register, model.noActivities)
  register.end()

  const coverage = section(doc, root, model.coverage.heading, true)
  paragraph(doc, coverage, model.coverage.intro)
  await table(doc, coverage, model.coverage.counts, 9)
  if (model.coverage.matrix) await table(doc, coverage, model.coverage.matrix, 8)
  coverage.end()

  const votes = section(doc, root, model.votes.heading, true)
  for (const text of model.votes.paragraphs) paragraph(doc, votes, text)
  if (model.votes.table) await table(doc, votes, model.votes.table, 9)
  votes.end()

  root.end()
  pageNumbers(doc, model)
  doc.end()
  return done
}

function titlePage(doc: Doc, root: Struct, model: ReportModel): void {
  doc.y = doc.page.margins.top + 80
  root.add(el(doc, 'H1', {}, () => doc.font(FONTS.bold).fontSize(28).fillColor(INK).text(model.title, { width: contentWidth(doc) })))
  doc.moveDown(0.3)
  paragraph(doc, root, model.subtitle, 14, MUTED)
  doc.moveDown(1)
  for (const fact of model.facts) {
    root.add(
      el(doc, 'P', {}, () => {
        doc.font(FONTS.bold).fontSize(12).fillColor(INK).text(`${fact.label}: `, { continued: true, width: contentWidth(doc) })
        doc.font(FONTS.regular).text(fact.value)
      }),
    )
    doc.moveDown(0.4)
  }
}

/** A Sect with its H2; `keepWithNext` starts a new page when little room is left. */
function section(doc: Doc, root: Struct, heading: string, keepWithNext = false): Struct {
  if (keepWithNext && doc.y > doc.page.maxY() - 120) doc.addPage()
  else if (keepWithNext) doc.moveDown(1)
  const sect = el(doc, 'Sect')
  root.add(sect)
  const x = doc.page.margins.left
  sect.add(el(doc, 'H2', {}, () => doc.font(FONTS.bold).fontSize(18).fillColor(INK).text(heading, x, doc.y, { width: contentWidth(doc) })))
  doc.outline.addItem(heading)
  doc.moveDown(0.4)
  return sect
}

function paragraph(doc: Doc, parent: Struct, text: string, size = 10, color = INK): void {
  const x = doc.page.margins.left
  parent.add(el(doc, 'P', {}, () => doc.font(FONTS.regular).fontSize(size).fillColor(color).text(text, x, doc.y, { width: contentWidth(doc) })))
  doc.moveDown(0.5)
}

async function table(doc: Doc, parent: Struct, t: ReportTable, fontSize: number): Promise<void> {
  if (doc.y > doc.page.maxY() - 80) doc.addPage()
  await drawTable(doc, parent, t, { fontSize, maxRowHeight: 120 }, pause)
}

/**
 * The board picture, scaled to the rest of the page, as one Figure with its alternative text.
 * Its content is marked by hand (not through a closure) so the drawing can pause.
 */
async function figure(doc: Doc, parent: Struct, model: ReportModel): Promise<void> {
  const { scene, alt } = model.picture
  const left = doc.page.margins.left
  const top = doc.y
  const scale = Math.min(contentWidth(doc) / scene.width, (doc.page.maxY() - top) / scene.height)
  const w = scene.width * scale
  const h = scene.height * scale
  const x = left + (contentWidth(doc) - w) / 2
  const element = el(doc, 'Figure', { alt, bbox: [x, top, x + w, top + h], placement: 'Block' })
  parent.add(element)
  const content = doc.markStructureContent('Figure')
  await drawScene(doc, scene, x, top, scale, pause)
  doc.endMarkedContent()
  element.add(content)
  element.end()
  doc.y = top + h
}

function pageNumbers(doc: Doc, model: ReportModel): void {
  const { start, count } = doc.bufferedPageRange()
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i)
    artifact(doc, () => {
      const label = `${model.title} – ${model.pageLabel(i - start + 1, count)}`
      doc.font(FONTS.regular).fontSize(8).fillColor(MUTED)
      doc.text(label, doc.page.margins.left, doc.page.height - doc.page.margins.bottom + 18, { lineBreak: false })
    })
  }
}

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right
