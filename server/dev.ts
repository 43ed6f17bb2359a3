import { spawn } from 'node:child_process'

// `npm run dev`: the server with reload on :8080 (tsx watch) and Vite's dev server on :5173,
// which proxies /api and /ws to it. Open http://localhost:5173.
const children = [
  spawn(process.execPath, ['--import', 'tsx', '--watch', 'server/main.ts'], {
    stdio: 'inherit',
    env: { ...process.env, SNURRA_SKIP_BUILD: '1' },
  }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { stdio: 'inherit' }),
]
const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) child.on('exit', stop)
