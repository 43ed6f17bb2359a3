import type { TLComponents, TLUiOverrides } from 'tldraw'
import { CARD_TYPE } from '../../core/shapes.ts'
import { en } from '../i18n/en.ts'
import { sv } from '../i18n/sv.ts'
import { CanvasFront } from './CanvasFront.tsx'
import { Connections } from './Connections.tsx'
import { CONNECT_TOOL, ConnectTool } from './ConnectTool.ts'
import { watchCardPlacement } from './placement.ts'
import { SnurraToolbar } from './SnurraToolbar.tsx'
import './canvas.css'

/**
 * Snurra's canvas behaviour on top of tldraw: the connect tool, connection lines, counts and
 * notices, and the drop rule. BoardEditor passes these to <Tldraw> and calls startCanvas on mount.
 */
export const canvasTools = [ConnectTool]

export const canvasComponents: TLComponents = {
  OnTheCanvas: Connections,
  InFrontOfTheCanvas: CanvasFront,
  Toolbar: SnurraToolbar,
  // A board has one page (core/circle.ts); the server refuses any other page record.
  PageMenu: null,
}

/** For <Tldraw options>: no second page from a menu, action or shortcut either. */
export const canvasOptions = { maxPages: 1 }

const TOOL_LABEL = `tool.${CONNECT_TOOL}`
// tldraw names a selected shape to screen readers by `tool.<shape type>`: without one it reads the key.
const CARD_LABEL = `tool.${CARD_TYPE}`

export const canvasOverrides: TLUiOverrides = {
  tools(editor, tools) {
    // 'c' is free in tldraw's shortcuts ('k', for koppla, is the laser).
    tools[CONNECT_TOOL] = { id: CONNECT_TOOL, label: TOOL_LABEL, icon: 'link', kbd: 'c', onSelect: () => editor.setCurrentTool(CONNECT_TOOL) }
    return tools
  },
  translations: {
    sv: { [TOOL_LABEL]: sv['canvas.connectTool'], [CARD_LABEL]: sv['canvas.cardShape'] },
    en: { [TOOL_LABEL]: en['canvas.connectTool'], [CARD_LABEL]: en['canvas.cardShape'] },
  },
}

export function startCanvas(editor: Parameters<typeof watchCardPlacement>[0]): () => void {
  return watchCardPlacement(editor)
}
