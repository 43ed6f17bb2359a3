import { getSvgAsImage } from 'tldraw'
import { serializeSvg, type Picture } from './compose.ts'

/** Twice the SVG's size, as tldraw's own PNG export does: sharp on high-density screens and in print. */
const PIXEL_RATIO = 2

/** Draws the composed SVG on a canvas (tldraw's helper, which also clamps to the browser's canvas limit). */
export async function pictureToPng(picture: Picture): Promise<Blob> {
  const blob = await getSvgAsImage(serializeSvg(picture.svg), { type: 'png', width: picture.width, height: picture.height, pixelRatio: PIXEL_RATIO })
  if (!blob) throw new Error('PNG rendering failed')
  return blob
}
