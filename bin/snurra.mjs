#!/usr/bin/env node
// `npx snurra …`: the command-line tool runs the TypeScript sources through tsx, like `npm start`.
import { register } from 'tsx/esm/api'

register()
await import('../server/cli/main.ts')
