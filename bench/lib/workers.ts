/**
 * Load-generator child processes with a tiny request/response protocol over Node's IPC channel.
 *
 * The clients run in their own processes (never in the server's, and not in the orchestrating
 * process either, which only starts things and collects figures): `startWorker(file)` forks
 * `file` under tsx; the worker calls `serveWorker(handlers)`; the parent calls methods by name.
 * 'advanced' serialization carries typed arrays (latency samples) without JSON.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'

type Handler = (params: any) => unknown | Promise<unknown>

interface Request {
  id: number
  method: string
  params: unknown
}
interface Response {
  id: number
  result?: unknown
  error?: string
}

export interface Worker {
  readonly pid: number
  call<T = unknown>(method: string, params?: unknown): Promise<T>
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

export function startWorker(file: string): Worker {
  const child = fork(resolve(file), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  live.add(child)
  let exitInfo: string | null = null
  child.on('error', (err) => (exitInfo ??= `failed: ${err.message}`))
  let nextId = 1
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()
  const exited = new Promise<void>((res) =>
    child.once('exit', (code, signal) => {
      live.delete(child)
      exitInfo = `exited (${code ?? signal})`
      for (const p of pending.values()) p.reject(new Error(`worker ${file} exited (${code ?? signal}) during a call`))
      pending.clear()
      res()
    }),
  )
  child.on('message', (message: Response) => {
    const p = pending.get(message.id)
    if (!p) return
    pending.delete(message.id)
    if (message.error !== undefined) p.reject(new Error(`worker ${file}: ${message.error}`))
    else p.resolve(message.result)
  })
  return {
    pid: child.pid!,
    call(method, params) {
      return new Promise((res, rej) => {
        if (exitInfo || !child.connected) return rej(new Error(`worker ${file} ${exitInfo ?? 'disconnected'}`))
        const id = nextId++
        pending.set(id, { resolve: res, reject: rej })
        child.send({ id, method, params } satisfies Request)
      })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/** In the worker: answers the parent's calls with `handlers`; exits when the parent goes away. */
export function serveWorker(handlers: Record<string, Handler>): void {
  process.on('message', async (message: Request) => {
    const handler = handlers[message.method]
    try {
      if (!handler) throw new Error(`no method ${message.method}`)
      const result = await handler(message.params)
      process.send!({ id: message.id, result } satisfies Response)
    } catch (err) {
      process.send!({ id: message.id, error: (err as Error).stack ?? String(err) } satisfies Response)
    }
  })
  process.on('disconnect', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
}

/** Splits `items` into `parts` nearly equal consecutive slices. */
export function split<T>(items: T[], parts: number): T[][] {
  const out: T[][] = []
  const size = Math.ceil(items.length / parts)
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
