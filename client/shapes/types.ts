import type { TLShape } from 'tldraw'
import { CARD_TYPE, SEGMENT_TYPE, type CardShapeProps, type SegmentShapeProps } from '../../core/shapes.ts'

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [CARD_TYPE]: CardShapeProps
    [SEGMENT_TYPE]: SegmentShapeProps
  }
}

export type CardShape = TLShape<typeof CARD_TYPE>
export type SegmentShape = TLShape<typeof SEGMENT_TYPE>
