import { CanvasNotice } from './CanvasNotice.tsx'
import { ConnectHint } from './ConnectHint.tsx'
import { HeatLegend } from './HeatLegend.tsx'
import { SegmentTooltip } from './SegmentTooltip.tsx'

/** Everything Snurra draws in front of the canvas, in screen space. */
export function CanvasFront() {
  return (
    <>
      <SegmentTooltip />
      <HeatLegend />
      <ConnectHint />
      <CanvasNotice />
    </>
  )
}
