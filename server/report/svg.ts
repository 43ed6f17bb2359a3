import type { Prim, Scene } from '../../core/scene.ts'

/**
 * A scene (core/scene.ts) as inline SVG markup, for the HTML report. The picture is one image
 * (`role="img"`) named by `labelId`; the words on it stay text, so the page is searchable.
 */
export const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const num = (n: number) => String(Math.round(n * 100) / 100)

export function sceneSvg(scene: Scene, labelId: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${labelId}" viewBox="0 0 ${scene.width} ${scene.height}" ` +
    `font-family="'DejaVu Sans', Verdana, Arial, sans-serif">` +
    scene.items.map(prim).join('') +
    '</svg>'
  )
}

function strokeAttrs(p: { stroke?: string; strokeWidth?: number; dash?: [number, number] }): string {
  if (!p.stroke) return ''
  return ` stroke="${p.stroke}" stroke-width="${num(p.strokeWidth ?? 1)}"${p.dash ? ` stroke-dasharray="${p.dash.join(' ')}"` : ''}`
}

function prim(p: Prim): string {
  switch (p.kind) {
    case 'group':
      return `<g transform="translate(${num(p.dx)} ${num(p.dy)})${p.scale !== undefined ? ` scale(${num(p.scale)})` : ''}">${p.items.map(prim).join('')}</g>`
    case 'path':
      return `<path d="${escapeXml(p.d)}" fill="${p.fill ?? 'none'}"${p.evenOdd ? ' fill-rule="evenodd"' : ''}${strokeAttrs(p)}/>`
    case 'rect':
      return `<rect x="${num(p.x)}" y="${num(p.y)}" width="${num(p.w)}" height="${num(p.h)}"${p.r ? ` rx="${num(p.r)}"` : ''} fill="${p.fill ?? 'none'}"${strokeAttrs(p)}/>`
    case 'text': {
      const anchor = p.anchor && p.anchor !== 'start' ? ` text-anchor="${p.anchor}"` : ''
      return `<text x="${num(p.x)}" y="${num(p.y)}" font-size="${num(p.size)}"${p.bold ? ' font-weight="700"' : ''} fill="${p.fill}"${anchor}>${escapeXml(p.text)}</text>`
    }
  }
}
