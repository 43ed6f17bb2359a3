import { defaultBindingUtils, defaultShapeUtils } from 'tldraw'
import { CardShapeUtil } from './CardShapeUtil.tsx'
import { CellShapeUtil } from './CellShapeUtil.tsx'
import { SegmentShapeUtil } from './SegmentShapeUtil.tsx'

/** Snurra's own shapes, for <Tldraw shapeUtils>. */
export const snurraShapeUtils = [CardShapeUtil, SegmentShapeUtil, CellShapeUtil]

/** Everything the store's schema must know: tldraw's defaults plus ours, as core's schema has. */
export const storeShapeUtils = [...defaultShapeUtils, ...snurraShapeUtils]
export const storeBindingUtils = defaultBindingUtils
