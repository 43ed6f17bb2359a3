/**
 * A picture as a flat list of vector primitives in one coordinate space: what the server's
 * report draws with PDFKit and writes as inline SVG, from one layout. Colours are opaque hex
 * (no transparency, which PDF/A would have to flatten).
 */
export interface Stroke {
  stroke?: string
  strokeWidth?: number
  /** Dash and gap lengths; a dashed outline marks what is "none" without relying on colour. */
  dash?: [number, number]
}

export type Prim =
  | ({ kind: 'path'; d: string; fill?: string; evenOdd?: boolean } & Stroke)
  | ({ kind: 'rect'; x: number; y: number; w: number; h: number; r?: number; fill?: string } & Stroke)
  | { kind: 'text'; x: number; y: number; text: string; size: number; bold?: boolean; fill: string; anchor?: 'start' | 'middle' | 'end'; maxWidth?: number }
  /** Children drawn translated by (dx, dy), then scaled by `scale` about that origin. */
  | { kind: 'group'; dx: number; dy: number; scale?: number; items: Prim[] }

export interface Scene {
  width: number
  height: number
  items: Prim[]
}

/** `color` mixed with white: `amount` 0 is white, 1 the colour itself. */
export function tint(color: string, amount: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  if (!m) return color
  const mix = (hex: string) => Math.round(255 - (255 - parseInt(hex, 16)) * amount)
  return `#${m
    .slice(1)
    .map((h) => mix(h).toString(16).padStart(2, '0'))
    .join('')}`
}
