import { atom, react, type Atom, type Editor } from 'tldraw'
import type { BoardConnection } from '../sync/connection.ts'

/**
 * "Bring everyone to me": the summon's camera is the page point at the centre of the
 * facilitator's view and their zoom, so each screen, whatever its size, centres on the same spot.
 */
export function summonCamera(editor: Editor): { x: number; y: number; z: number } {
  const { center } = editor.getViewportPageBounds()
  return { x: center.x, y: center.y, z: editor.getZoomLevel() }
}

/**
 * Moves this view when the facilitator summons everyone: on every new `attention.seq`, never
 * for the one found on loading, and not on the summoner's own device. Sets `summoned` for the
 * live region.
 */
export function followSummons(editor: Editor, connection: BoardConnection, summoned: Atom<number>): () => void {
  let seen = connection.facilitation.get().attention.seq
  let live = true
  const stop = react('attention', () => {
    const { seq, by, camera } = connection.facilitation.get().attention
    if (seq <= seen) return
    seen = seq
    // Moving the camera writes editor state: after the reaction, not while it captures.
    queueMicrotask(() => {
      if (!live || !camera || by === connection.channel.personId.get()) return
      const { w, h } = editor.getViewportScreenBounds()
      editor.stopFollowingUser()
      editor.setCamera({ x: -camera.x + w / (2 * camera.z), y: -camera.y + h / (2 * camera.z), z: camera.z }, { animation: { duration: 400 }, force: true })
      summoned.set(seq)
    })
  })
  return () => {
    live = false
    stop()
  }
}

export const newSummonedAtom = () => atom('summoned', 0)
