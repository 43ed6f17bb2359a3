import {
  createUserId,
  InstancePresenceRecordType,
  react,
  type Editor,
  type TLEventInfo,
  type TLInstancePresence,
  type TLPageId,
  type TLShapeId,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { readPeer, type PeerUser } from './awareness-state.ts'
import { throttle } from './throttle.ts'

const CURSOR_INTERVAL_MS = 50 // ~20 updates a second
// Followers ease towards the view anyway; ten updates a second keep panning traffic down.
const VIEW_INTERVAL_MS = 100
// tldraw hides collaborators whose last activity is over a minute old; refresh well before.
const REFRESH_MS = 10_000

const round = (n: number) => Math.round(n * 10) / 10
const presenceId = (clientId: number) => InstancePresenceRecordType.createId(String(clientId))

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/**
 * Presence both ways through Yjs awareness: publishes this user's cursor (page coordinates)
 * and selection, and mirrors every peer as a tldraw `instance_presence` record so that tldraw
 * draws their cursors and names. Presence records never enter the board document.
 */
export function startPresence(editor: Editor, awareness: Awareness, user: PeerUser): () => void {
  const store = editor.store
  awareness.setLocalState({ user, cursor: null, selection: [], pageId: editor.getCurrentPageId(), camera: null, screen: null, following: null })

  const publishCursor = throttle(() => {
    const { x, y } = editor.inputs.getCurrentPagePoint()
    awareness.setLocalStateField('cursor', { x: round(x), y: round(y) })
  }, CURSOR_INTERVAL_MS)
  const onEvent = (info: TLEventInfo) => {
    if (info.type === 'pointer' && info.name === 'pointer_move') publishCursor()
  }
  editor.on('event', onEvent)

  const stopSelection = react('publish selection', () => {
    awareness.setLocalStateField('selection', editor.getSelectedShapeIds())
    awareness.setLocalStateField('pageId', editor.getCurrentPageId())
  })

  // The view, for people who follow us: throttled, since it changes every frame of a pan.
  const publishView = throttle(() => {
    const { x, y, z } = editor.getCamera()
    const { w, h } = editor.getViewportScreenBounds()
    const following = editor.getInstanceState().followingUserId
    awareness.setLocalState({
      ...awareness.getLocalState(),
      camera: { x: round(x), y: round(y), z: Math.round(z * 1000) / 1000 },
      screen: { w: Math.round(w), h: Math.round(h) },
      following: following ? following.replace(/^user:/, '') : null,
    })
  }, VIEW_INTERVAL_MS)
  const stopView = react('publish view', () => {
    editor.getCamera()
    editor.getViewportScreenBounds()
    editor.getInstanceState().followingUserId
    publishView()
  })

  const mirrored = new Set<number>()
  const toRecord = (clientId: number, now: number): TLInstancePresence | null => {
    const peer = readPeer(awareness.getStates().get(clientId))
    if (!peer) return null
    return InstancePresenceRecordType.create({
      id: presenceId(clientId),
      userId: createUserId(peer.user.id),
      userName: peer.user.name,
      color: peer.user.color,
      cursor: peer.cursor ? { ...peer.cursor, type: 'default', rotation: 0 } : null,
      selectedShapeIds: peer.selection as TLShapeId[],
      currentPageId: peer.pageId as TLPageId,
      lastActivityTimestamp: now,
      camera: peer.camera,
      screenBounds: peer.screen ? { x: 0, y: 0, w: peer.screen.w, h: peer.screen.h } : null,
      followingUserId: peer.following ? createUserId(peer.following) : null,
      meta: { sector: peer.user.sector, role: peer.user.role },
    })
  }
  const mirror = (clientIds: Iterable<number>) => {
    const now = Date.now()
    const puts: TLInstancePresence[] = []
    const removes: TLInstancePresence['id'][] = []
    for (const clientId of clientIds) {
      if (clientId === awareness.clientID) continue
      const record = toRecord(clientId, now)
      if (record) {
        puts.push(record)
        mirrored.add(clientId)
      } else if (mirrored.delete(clientId)) {
        removes.push(presenceId(clientId))
      }
    }
    if (!puts.length && !removes.length) return
    store.mergeRemoteChanges(() => {
      if (removes.length) store.remove(removes)
      if (puts.length) store.put(puts)
    })
  }

  const onChange = ({ added, updated, removed }: AwarenessChange) => mirror([...added, ...updated, ...removed])
  awareness.on('change', onChange)
  mirror(awareness.getStates().keys())
  const refresh = setInterval(() => mirror([...mirrored]), REFRESH_MS)

  return () => {
    clearInterval(refresh)
    awareness.off('change', onChange)
    editor.off('event', onEvent)
    stopSelection()
    stopView()
    publishCursor.cancel()
    publishView.cancel()
    const ids = [...mirrored].map(presenceId)
    mirrored.clear()
    store.mergeRemoteChanges(() => store.remove(ids))
  }
}
