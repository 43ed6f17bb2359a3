import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { MESSAGE_SNURRA } from '../../core/messages.ts'

// A full sync of a large board takes a second or two on a slow line; past this, try again.
const SYNC_TIMEOUT_MS = 15_000

/**
 * The server's current state of one room (a board, or `<board>/private` for the person's
 * drafts), through a short-lived second y-websocket connection on an empty document: the
 * server answers its empty state vector with everything it holds. That connection publishes
 * no presence and writes nothing. Rejects when the server closes it for good or does not
 * answer in time.
 */
export function fetchServerState(room: string, params: Record<string, string>): Promise<Uint8Array> {
  const doc = new Y.Doc()
  const wsBase = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`
  const provider = new WebsocketProvider(`${wsBase}/ws`, room, doc, { params, connect: false, disableBc: true })
  provider.awareness.setLocalState(null)
  // The server greets every connection with Snurra's own messages; none concerns this one.
  provider.messageHandlers[MESSAGE_SNURRA] = () => {}
  return new Promise<Uint8Array>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('the server did not send its state in time')), SYNC_TIMEOUT_MS)
    const finish = (result: Uint8Array | Error) => {
      clearTimeout(timer)
      provider.off('sync', onSync)
      provider.off('closed', onClosed)
      provider.destroy()
      doc.destroy()
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    const onSync = (synced: boolean) => {
      if (synced) finish(Y.encodeStateAsUpdate(doc))
    }
    const onClosed = ({ code }: { code: number }) => finish(new Error(`the server closed the connection (${code})`))
    provider.on('sync', onSync)
    provider.on('closed', onClosed)
    provider.connect()
  })
}
