/**
 * The real Snurra server started inside the test process (`startServer` from server/app.ts), with
 * the same settings `startTestServer` gives a child process: a free port, a fresh DATA_DIR, the
 * test secret. Starting one takes milliseconds instead of the seconds a `node --import tsx`
 * child needs on a busy machine.
 *
 * Use it wherever a test needs neither `kill -9` nor a separate process: what main.ts does
 * (signals, exit codes), stray writes to stdout, event-loop stalls and memory figures belong to
 * a child from `startTestServer`, because in here the server shares the test's process.
 */
import { join } from 'node:path'
import { startServer, type SnurraServer } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createLogger } from '../../server/log.ts'
import { createBoard, onStopAll, ROOT, TEST_SECRET, tempDataDir, type ExitInfo, type ServerHandle, type StartOptions } from './server.ts'

const running = new Set<() => Promise<unknown>>()
onStopAll(async () => {
  await Promise.all([...running].map((close) => close()))
})

export async function startInProcessServer(options: Omit<StartOptions, 'nodeArgs'> = {}): Promise<ServerHandle> {
  const dataDir = options.dataDir ?? tempDataDir()
  const baseEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    CLIENT_DIR: join(ROOT, 'dist', 'client'),
    SNURRA_SECRET: TEST_SECRET,
    LOG_LEVEL: 'info',
    // As for child servers (server.ts): tests create many boards and refused links from one address.
    CREATE_RATE_LIMIT: '1000000',
    REFUSED_UPGRADES_BURST: '1000000',
    ...options.env,
  }
  // The log lines, as a child would print them on stdout (one JSON object a line).
  const lines: string[] = []
  let port = options.port ?? 0
  let snurra: SnurraServer | null = null

  async function launch(extraEnv: Record<string, string> = {}): Promise<void> {
    const env = { ...baseEnv, ...extraEnv, PORT: String(port) }
    const config = readConfig(env)
    const started = await startServer(config, { log: createLogger(config.logLevel, (line) => lines.push(line + '\n')) })
    port = Number(new URL(started.url).port)
    snurra = started
    running.add(close)
  }

  async function close(): Promise<ExitInfo> {
    const current = snurra
    snurra = null
    running.delete(close)
    if (current) {
      await current.close()
      dropPooledConnections()
    }
    return { code: 0, signal: null }
  }

  await launch()
  const handle: ServerHandle = {
    get url() {
      return `http://127.0.0.1:${port}`
    },
    get wsUrl() {
      return `ws://127.0.0.1:${port}`
    },
    get port() {
      return port
    },
    dataDir,
    secret: TEST_SECRET,
    output: () => lines.join(''),
    stdout: () => lines.join(''),
    // Like SIGTERM to a child: main.ts calls this same close() and then exits 0.
    stop: close,
    async restart(extraEnv = {}) {
      await close()
      await launch(extraEnv)
    },
    createBoard: (title = 'Testtavla', template = 'hallunda-norsborg') => createBoard(handle.url, title, template),
  }
  return handle
}

/**
 * fetch keeps connections to the old server in its pool and does not notice they were closed
 * while idle: the next request on the same port would go down a dead socket ("other side
 * closed"). A child's slow restart hides this behind the pool's keep-alive timeout; in here,
 * give fetch a fresh pool (the symbol is undici's own `setGlobalDispatcher`).
 */
function dropPooledConnections(): void {
  const key = Symbol.for('undici.globalDispatcher.1')
  const holder = globalThis as unknown as Record<symbol, { close(): Promise<void>; constructor: new () => unknown } | undefined>
  const old = holder[key]
  if (!old) return
  holder[key] = new old.constructor() as typeof old
  void old.close().catch(() => {})
}
