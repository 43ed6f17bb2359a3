import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { readPeer, type PeerState } from '../sync/awareness-state.ts'

export interface Peer extends PeerState {
  clientId: number
  isSelf: boolean
}

function collect(awareness: Awareness): Peer[] {
  const out: Peer[] = []
  awareness.getStates().forEach((state, clientId) => {
    const peer = readPeer(state)
    if (peer) out.push({ ...peer, clientId, isSelf: clientId === awareness.clientID })
  })
  return out.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.user.name.localeCompare(b.user.name, 'sv'))
}

/** Everyone on the board now, from awareness; re-rendered only when names, sectors or roles change. */
export function usePeers(awareness: Awareness): Peer[] {
  const [peers, setPeers] = useState(() => collect(awareness))
  useEffect(() => {
    const key = (list: Peer[]) => list.map((p) => `${p.clientId}:${p.user.name}:${p.user.sector}:${p.user.color}:${p.user.role}`).join('|')
    let last = key(collect(awareness))
    const onChange = () => {
      const next = collect(awareness)
      const k = key(next)
      if (k !== last) {
        last = k
        setPeers(next)
      }
    }
    awareness.on('change', onChange)
    onChange()
    return () => awareness.off('change', onChange)
  }, [awareness])
  return peers
}
