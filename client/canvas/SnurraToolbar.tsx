import {
  ArrowToolbarItem,
  AssetToolbarItem,
  DefaultToolbar,
  DrawToolbarItem,
  EllipseToolbarItem,
  EraserToolbarItem,
  FrameToolbarItem,
  HandToolbarItem,
  LaserToolbarItem,
  LineToolbarItem,
  NoteToolbarItem,
  RectangleToolbarItem,
  SelectToolbarItem,
  TextToolbarItem,
  TldrawUiMenuToolItem,
  useEditor,
  useIsToolSelected,
  useTools,
  useValue,
} from 'tldraw'
import { CONNECT_TOOL } from './ConnectTool.ts'
import { segmentShapes } from './template-shapes.ts'

/**
 * tldraw's toolbar with the connect tool right after select and hand, where it does not fall
 * into the overflow menu. Shown only on boards with action paths to connect to.
 */
export function SnurraToolbar() {
  const editor = useEditor()
  const tools = useTools()
  const connectSelected = useIsToolSelected(tools[CONNECT_TOOL])
  const hasPaths = useValue('has path segments', () => segmentShapes(editor).some((s) => s.props.kind === 'path'), [editor])
  return (
    <DefaultToolbar>
      <SelectToolbarItem />
      <HandToolbarItem />
      {hasPaths && tools[CONNECT_TOOL] && <TldrawUiMenuToolItem toolId={CONNECT_TOOL} isSelected={connectSelected} />}
      <DrawToolbarItem />
      <EraserToolbarItem />
      <ArrowToolbarItem />
      <TextToolbarItem />
      <NoteToolbarItem />
      <AssetToolbarItem />
      <RectangleToolbarItem />
      <EllipseToolbarItem />
      <LineToolbarItem />
      <LaserToolbarItem />
      <FrameToolbarItem />
    </DefaultToolbar>
  )
}
