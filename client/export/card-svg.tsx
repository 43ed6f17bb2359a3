import type { CardShapeProps } from '../../core/shapes.ts'
import type { BoardLabels } from '../activity/board-labels.ts'
import { STATUS_LABELS } from '../activity/labels.ts'
import { CARD_FACE, cardBandPath, cardFaceLayout } from '../../core/card-layout.ts'
import { DEFAULT_LANGUAGE, isLanguage, translate, type MessageKey, type MessageVars } from '../i18n/messages.ts'
import { EXPORT_FONT } from './legend-svg.ts'

/** tldraw draws exports in its own React root, outside our provider: use the page's language. */
function exportT(key: MessageKey, vars?: MessageVars): string {
  const lang = document.documentElement.lang
  return translate(isLanguage(lang) ? lang : DEFAULT_LANGUAGE, key, vars)
}

/**
 * The card's face as plain SVG for exports, laid out by core's cardFaceLayout (the server's
 * report draws the same layout). Drawn as SVG (not the HTML face in a foreignObject) so every
 * word stays text.
 */
export function CardSvg({ props, labels }: { props: CardShapeProps; labels: BoardLabels }) {
  const face = cardFaceLayout(props, labels, {
    untitled: exportT('card.untitled'),
    sectorNone: exportT('activity.sectorNone'),
    status: exportT(STATUS_LABELS[props.status]),
    hits: (count, total) => exportT('activity.hits', { count, total }),
  })
  const { pad, title: titleSize, chip: chipSize, chipHeight, hits: hitsSize } = CARD_FACE
  return (
    <g fontFamily={EXPORT_FONT}>
      <title>{[props.title, props.description].filter(Boolean).join('\n') || face.title}</title>
      <rect width={face.w} height={face.h} rx={CARD_FACE.radius} fill={CARD_FACE.paper} stroke={CARD_FACE.border} strokeWidth={1} />
      <path d={cardBandPath(face.w)} fill={face.band} />
      <text x={pad} y={15} fontSize={12} fontWeight={700} fill={face.bandInk}>
        {face.sectorText}
      </text>
      <text x={face.w - pad} y={15} fontSize={12} fontWeight={600} fill={face.bandInk} textAnchor="end">
        {face.statusText}
      </text>
      <text x={pad} y={face.titleTop} fontSize={titleSize} fontWeight={700} fill={face.untitled ? '#5a5e66' : '#1b1d21'} data-export="card-title">
        {face.titleLines.map((line, i) => (
          <tspan key={i} x={pad} y={face.titleTop + i * face.titleLineHeight}>
            {line}
          </tspan>
        ))}
      </text>
      {face.chips.map((chip, i) => (
        <g key={i} transform={`translate(${pad + chip.x} ${chip.y})`}>
          <rect width={chip.w} height={chipHeight} rx={chip.round ? chipHeight / 2 : 4} fill={chip.fill} stroke={chip.round ? '#4a4f57' : 'none'} />
          <text x={6} y={12} fontSize={chipSize} fill={chip.ink}>
            {chip.text}
          </text>
        </g>
      ))}
      {face.hitsText && (
        <text x={pad} y={face.hitsY} fontSize={hitsSize} fontWeight={700} fill="#3b3f46">
          {face.hitsText}
        </text>
      )}
    </g>
  )
}
