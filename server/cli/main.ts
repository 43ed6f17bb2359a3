import { parseArgs } from 'node:util'
import { backupAll, exportOne, restoreFiles, CliError, type Target } from './commands.ts'

const USAGE = `Usage:
  snurra export <boardId> --format csv|xlsx|json|pdf|html [--out FILE] [--lang sv|en] [--delimiter comma|semicolon] [--version ID]
  snurra backup --out DIR
  snurra restore FILE|DIR ...

Where the boards are (one of):
  --data DIR                  the server's data directory (default: $DATA_DIR or ./data; PostgreSQL when $DATABASE_URL is set)
  --server URL --token TOKEN  a running server and a board's token (export: any role; restore: a facilitator's,
                              with --board ID, the board whose link it is)
`

const OPTIONS = {
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  lang: { type: 'string' },
  delimiter: { type: 'string' },
  version: { type: 'string' },
  data: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  board: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  const [command, ...rest] = positionals
  if (values.help || !command) {
    process.stdout.write(USAGE)
    return values.help ? 0 : 2
  }
  const target: Target = values.server
    ? { kind: 'server', url: values.server.replace(/\/+$/, ''), token: values.token, board: values.board }
    : { kind: 'data', dataDir: values.data ?? process.env.DATA_DIR ?? './data', databaseUrl: process.env.DATABASE_URL || undefined }
  switch (command) {
    case 'export':
      if (rest.length !== 1) throw new CliError('export needs exactly one board id', 2)
      await exportOne(target, rest[0], values)
      return 0
    case 'backup':
      if (rest.length) throw new CliError('backup takes no board ids: it saves every board', 2)
      await backupAll(target, values.out)
      return 0
    case 'restore':
      if (!rest.length) throw new CliError('restore needs at least one backup file or directory', 2)
      await restoreFiles(target, rest)
      return 0
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2)
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`snurra: ${err instanceof CliError ? err.message : (err as Error).stack}\n`)
    process.exit(err instanceof CliError ? err.exitCode : 1)
  },
)
