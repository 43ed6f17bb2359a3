import { SelectTool, StateNode, type TLClickEventInfo, type TLStateNodeConstructor } from 'tldraw'
import { createCardAt } from './create-card.ts'

// tldraw does not export the select tool's idle state, so take it from the tool itself.
const BaseIdle = SelectTool.children().find((child) => child.id === 'idle') as unknown as typeof StateNode

/** The select tool's idle state, except that double-clicking empty canvas adds a card, not text. */
class SnurraIdle extends BaseIdle {
  handleDoubleClickOnCanvas(_info: TLClickEventInfo) {
    createCardAt(this.editor, this.editor.inputs.getCurrentPagePoint())
  }
}

/** tldraw's select tool with Snurra's idle state; replaces the default tool of the same id. */
export class SnurraSelectTool extends SelectTool {
  static override children(): TLStateNodeConstructor[] {
    return SelectTool.children().map((child) => (child.id === 'idle' ? (SnurraIdle as unknown as TLStateNodeConstructor) : child))
  }
}
