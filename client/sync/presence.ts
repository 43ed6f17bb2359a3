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
// tldraw hides collaborators whose last activity is over a minute old; refresh well before.
const REFRESH_MS = 10_000

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
  awareness.setLocalState({ user, cursor: null, selection: [], pageId: editor.getCurrentPageId() })

  const publishCursor = throttle(() => {
    const { x, y } = editor.inputs.getCurrentPagePoint()
    awareness.setLocalStateField('cursor', { x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10 })
  }, CURSOR_INTERVAL_MS)
  const onEvent = (info: TLEventInfo) => {
    if (info.type === 'pointer' && info.name === 'pointer_move') publishCursor()
  }
  editor.on('event', onEvent)

  const stopSelection = react('publish selection', () => {
    awareness.setLocalStateField('selection', editor.getSelectedShapeIds())
    awareness.setLocalStateField('pageId', editor.getCurrentPageId())
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
      meta: { sector: peer.user.sector },
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
    publishCursor.cancel()
    const ids = [...mirrored].map(presenceId)
    mirrored.clear()
    store.mergeRemoteChanges(() => store.remove(ids))
  }
}
