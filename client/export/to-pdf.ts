import type { Picture } from './compose.ts'

export type Paper = 'a4' | 'a3'
export const PAPERS: Paper[] = ['a4', 'a3']

/** 12.7 mm: inside every office printer's unprintable edge. */
const MARGIN_PT = 36

export interface PdfInfo {
  title: string
  subject: string
  /** BCP 47, e.g. sv-SE: screen readers pick the voice from it. */
  language: string
}

/**
 * Adjusts a copy of the SVG to what svg2pdf understands. It knows `alignment-baseline` but not
 * `dominant-baseline` (which the ring's labels use to centre text), and the base fonts have
 * only normal and bold: any other weight (600 on path names) made it fall back to Times.
 */
function prepareForPdf(svg: SVGSVGElement): void {
  for (const el of svg.querySelectorAll('[dominant-baseline]')) {
    if (!el.hasAttribute('alignment-baseline')) el.setAttribute('alignment-baseline', el.getAttribute('dominant-baseline')!)
  }
  for (const el of svg.querySelectorAll('[font-weight]')) {
    const weight = el.getAttribute('font-weight')!
    const numeric = Number(weight)
    el.setAttribute('font-weight', weight === 'bold' || weight === 'bolder' || numeric >= 600 ? 'bold' : 'normal')
  }
}

/**
 * The picture on one landscape page, scaled to fit inside the margins and centred. svg2pdf
 * writes SVG text as PDF text in the base Helvetica font, so the words stay selectable and
 * searchable. jsPDF and svg2pdf are loaded only when someone asks for a PDF.
 */
export async function pictureToPdf(picture: Picture, paper: Paper, info: PdfInfo): Promise<Blob> {
  const [{ jsPDF }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')])
  const pdf = new jsPDF({ orientation: 'landscape', unit: 'pt', format: paper, compress: true })
  pdf.setProperties({ title: info.title, subject: info.subject, creator: 'Snurra' })
  pdf.setLanguage(info.language as Parameters<typeof pdf.setLanguage>[0])
  // Viewers show the title rather than the file name (PDF/UA asks for it).
  pdf.viewerPreferences({ DisplayDocTitle: true })

  const pageW = pdf.internal.pageSize.getWidth()
  const pageH = pdf.internal.pageSize.getHeight()
  const scale = Math.min((pageW - 2 * MARGIN_PT) / picture.width, (pageH - 2 * MARGIN_PT) / picture.height)
  const width = picture.width * scale
  const height = picture.height * scale

  const svg = picture.svg.cloneNode(true) as SVGSVGElement
  prepareForPdf(svg)
  // svg2pdf reads computed styles, which exist only for elements in the document.
  const host = document.createElement('div')
  host.setAttribute('aria-hidden', 'true')
  Object.assign(host.style, { position: 'fixed', left: '-100000px', top: '0', width: '1px', height: '1px', overflow: 'hidden' })
  host.append(svg)
  document.body.append(host)
  try {
    await svg2pdf(svg, pdf, { x: (pageW - width) / 2, y: MARGIN_PT, width, height })
  } finally {
    host.remove()
  }
  return pdf.output('blob')
}
