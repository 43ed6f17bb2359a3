import { ShapeUtil, type TLShape } from 'tldraw'

/**
 * What every template-layer shape (circle segments, matrix cells) shares: it is written only by
 * core's setup code as a locked record, so nobody resizes, rotates, edits or snaps to it, and
 * tabbing skips it. Subclasses draw it and give its geometry.
 */
export abstract class TemplateShapeUtil<S extends TLShape & { props: { label: string } }> extends ShapeUtil<S> {
  override canResize() {
    return false
  }
  override canEdit() {
    return false
  }
  override canSnap() {
    return false
  }
  override canTabTo() {
    return false
  }
  override hideRotateHandle() {
    return true
  }
  override hideResizeHandles() {
    return true
  }
  override getText(shape: S) {
    return shape.props.label
  }
}
