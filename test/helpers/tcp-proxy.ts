/**
 * A stand-in for the load balancer in front of several instances: forwards each TCP connection
 * to the first backend that accepts it, so when one instance dies its clients' reconnects land
 * on another — as behind nginx with several upstreams.
 */
import { connect, createServer, type Socket } from 'node:net'

export interface TcpProxy {
  readonly port: number
  readonly wsUrl: string
  /** Backend port each open connection went to. */
  backends(): number[]
  close(): Promise<void>
}

export async function startTcpProxy(backendPorts: number[]): Promise<TcpProxy> {
  const open = new Map<Socket, number>()
  const server = createServer((client) => {
    client.on('error', () => client.destroy())
    client.pause()
    const tryBackend = (i: number) => {
      if (i >= backendPorts.length) return client.destroy()
      const upstream = connect(backendPorts[i], '127.0.0.1')
      upstream.once('error', () => {
        upstream.destroy()
        if (!open.has(client)) tryBackend(i + 1)
        else client.destroy()
      })
      upstream.once('connect', () => {
        open.set(client, backendPorts[i])
        upstream.on('error', () => client.destroy())
        upstream.on('close', () => client.destroy())
        client.on('close', () => {
          open.delete(client)
          upstream.destroy()
        })
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
    }
    tryBackend(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as { port: number }).port
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    backends: () => [...open.values()],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open.keys()) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
