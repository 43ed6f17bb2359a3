/**
 * Fill for an action path by how many activities hit it. 0 is never told by colour alone: the
 * segment is hatched and its badge reads 0 (see SegmentShapeUtil). Each fill is paired with the
 * text colour that gives at least 4.5:1 (checked in test/unit/paths.test.ts).
 */
export const HEAT = [
  { min: 5, fill: '#b5451b', text: '#ffffff' },
  { min: 3, fill: '#e8893a', text: '#111111' },
  { min: 2, fill: '#f6c26b', text: '#111111' },
  { min: 1, fill: '#fbe3b0', text: '#111111' },
  { min: 0, fill: '#eef0f3', text: '#111111' },
] as const

export function heatFor(count: number): (typeof HEAT)[number] {
  return HEAT.find((step) => count >= step.min) ?? HEAT[HEAT.length - 1]
}
