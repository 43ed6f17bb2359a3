export const SVG_NS = 'http://www.w3.org/2000/svg'

/**
 * One SVG element with attributes and, optionally, text. Text always goes in as a text node:
 * card titles and board titles are user input and must never be parsed as markup.
 */
export function svgEl<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, name)
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value))
  if (text !== undefined) el.textContent = text
  return el
}

/** A multi-line text block: one <tspan> per line, `lineHeight` apart, first baseline at `y`. */
export function textLines(lines: string[], x: number, y: number, lineHeight: number, attrs: Record<string, string | number>): SVGTextElement {
  const text = svgEl('text', { x, y, ...attrs })
  lines.forEach((line, i) => text.append(svgEl('tspan', { x, y: y + i * lineHeight }, line)))
  return text
}
