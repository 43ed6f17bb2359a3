import { createRequire } from 'node:module'

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package (Bitstream Vera licence: free to embed and
 * redistribute). It covers Latin Extended-A and B (Ş, Ł, Č, Ğ, ő) and Arabic; PDFKit embeds the
 * glyphs a document uses as a subset. Resolved from node_modules, never fetched at run time.
 */
const require = createRequire(import.meta.url)

export const FONTS = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const
