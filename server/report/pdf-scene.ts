import type PDFDocument from 'pdfkit'
import type { Prim, Scene } from '../../core/scene.ts'
import { FONTS } from './fonts.ts'
import { spoken } from './pdf-table.ts'

/**
 * Draws a scene (core/scene.ts) as PDF vector paths and text, at (x, y) scaled by `scale`.
 * `pause` is awaited every so many primitives: a board of thousands of cards must not hold the
 * server's event loop (and every workshop on it) for the whole drawing.
 */
export async function drawScene(doc: PDFKit.PDFDocument, scene: Scene, x: number, y: number, scale: number, pause: () => Promise<void>): Promise<void> {
  doc.save()
  doc.translate(x, y).scale(scale)
  const counter = { n: 0, pause }
  for (const item of scene.items) await drawPrim(doc, item, counter)
  doc.restore()
}

const PRIMS_PER_SLICE = 400

async function drawPrim(doc: PDFKit.PDFDocument, p: Prim, counter: { n: number; pause: () => Promise<void> }): Promise<void> {
  if (++counter.n % PRIMS_PER_SLICE === 0) await counter.pause()
  switch (p.kind) {
    case 'group':
      doc.save()
      doc.translate(p.dx, p.dy)
      if (p.scale !== undefined) doc.scale(p.scale)
      for (const item of p.items) await drawPrim(doc, item, counter)
      doc.restore()
      return
    case 'path':
      doc.path(p.d)
      return paint(doc, p.fill, p, p.evenOdd)
    case 'rect':
      if (p.r) doc.roundedRect(p.x, p.y, p.w, p.h, Math.min(p.r, p.w / 2, p.h / 2))
      else doc.rect(p.x, p.y, p.w, p.h)
      return paint(doc, p.fill, p, false)
    case 'text':
      return drawText(doc, p)
  }
}

function paint(doc: PDFKit.PDFDocument, fill: string | undefined, s: { stroke?: string; strokeWidth?: number; dash?: [number, number] }, evenOdd: boolean | undefined): void {
  const rule = evenOdd ? 'even-odd' : 'non-zero'
  if (s.stroke) {
    doc.lineWidth(s.strokeWidth ?? 1)
    if (s.dash) doc.dash(s.dash[0], { space: s.dash[1] })
  }
  if (fill && s.stroke) doc.fillAndStroke(fill, s.stroke, rule)
  else if (fill) doc.fill(fill, rule)
  else if (s.stroke) doc.stroke(s.stroke)
  if (s.dash) doc.undash()
}

function drawText(doc: PDFKit.PDFDocument, p: Extract<Prim, { kind: 'text' }>): void {
  if (!p.text) return
  doc.font(p.bold ? FONTS.bold : FONTS.regular).fontSize(p.size)
  let width = doc.widthOfString(p.text)
  // Widths in the layout are estimates: a line that comes out wider is set smaller, never cut.
  if (p.maxWidth && width > p.maxWidth) {
    doc.fontSize(Math.max(p.size * 0.5, (p.size * p.maxWidth) / width))
    width = doc.widthOfString(p.text)
  }
  const x = p.anchor === 'middle' ? p.x - width / 2 : p.anchor === 'end' ? p.x - width : p.x
  doc.fillColor(p.fill)
  spoken(doc, p.text, () => doc.text(p.text, x, p.y, { lineBreak: false, baseline: 'alphabetic' }))
}

export type { PDFDocument }
