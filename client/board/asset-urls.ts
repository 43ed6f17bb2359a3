import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'

/**
 * tldraw's fonts, icons and translations, all bundled and served from our own origin. Vite
 * inlines files under 4 kB as data: URLs; tldraw fetch()es its (empty) English translation,
 * which the CSP's connect-src 'self' refuses, so that one file is served from public/ instead.
 */
const bundled = getAssetUrlsByImport()

export const assetUrls = {
  ...bundled,
  translations: { ...bundled.translations, en: '/tldraw/en.json' },
}
