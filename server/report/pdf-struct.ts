/**
 * PDFKit's structure elements with the options 0.20 takes (its published types lag: they lack
 * `scope`, `bbox`, `placement` and closures as the only child). A closure child is drawn at once,
 * inside the element's marked content, when the element is attached to the tree.
 */
export interface ElementOptions {
  alt?: string
  lang?: string
  scope?: 'Row' | 'Column' | 'Both'
  /** Left, top, right, bottom in PDFKit's top-down page coordinates. */
  bbox?: [number, number, number, number]
  placement?: 'Block' | 'Inline'
}

export function el(doc: PDFKit.PDFDocument, type: string, options: ElementOptions = {}, draw?: () => unknown): PDFKit.PDFStructureElement {
  const struct = doc.struct as unknown as (type: string, options: ElementOptions, children?: () => void) => PDFKit.PDFStructureElement
  return draw ? struct.call(doc, type, options, () => void draw()) : struct.call(doc, type, options)
}
