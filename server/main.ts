import { join } from 'node:path'
import { startServer } from './app.ts'
import { buildClient, clientIsStale } from './client-build.ts'
import { readConfig } from './config.ts'

// `npm start`: build the client if it is missing or stale, then serve.
const root = join(import.meta.dirname, '..')
const config = readConfig()
if (process.env.SNURRA_SKIP_BUILD !== '1' && clientIsStale(root, config.clientDir)) {
  // Messages for people go to stderr: stdout carries only JSON log lines.
  console.error('Building the client (first start or sources changed)…')
  await buildClient(root)
}
const snurra = await startServer(config)
console.error(`Snurra is running on ${snurra.url}`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1) // a second Ctrl-C: stop now
    stopping = true
    snurra.close().then(
      () => process.exit(0),
      (err) => {
        snurra.log.error('shutdown failed', { error: (err as Error).message })
        process.exit(1)
      },
    )
  })
}
