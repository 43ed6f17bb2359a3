/**
 * Greedy word wrap by estimated glyph width (SVG text does not wrap by itself, and measuring
 * in the DOM would make the shape depend on layout). Overlong words are cut; lines past
 * `maxLines` end in an ellipsis.
 */
export function wrapText(text: string, fontSize: number, width: number, maxLines: number): string[] {
  const perLine = Math.max(4, Math.floor(width / (fontSize * 0.56)))
  const lines: string[] = []
  let line = ''
  for (let word of text.split(/\s+/).filter(Boolean)) {
    while (word.length > perLine) {
      if (line) lines.push(line)
      lines.push(word.slice(0, perLine - 1) + '-')
      word = word.slice(perLine - 1)
      line = ''
    }
    if (!line) line = word
    else if (line.length + 1 + word.length <= perLine) line += ` ${word}`
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  if (lines.length <= maxLines) return lines
  const kept = lines.slice(0, maxLines)
  const last = kept[maxLines - 1]
  kept[maxLines - 1] = (last.length >= perLine ? last.slice(0, perLine - 1) : last) + '…'
  return kept
}

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textColorOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!m) return '#111111'
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
  // Contrast with white is 1.05/(L+0.05); with #111 it is (L+0.05)/0.0556. Pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0556 ? '#ffffff' : '#111111'
}
