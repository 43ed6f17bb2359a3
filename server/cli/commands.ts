import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { BackupError, decodeBackup } from '../../core/backup.ts'
import { isBoardId } from '../../core/ids.ts'
import { createBoardFromState } from '../board-lifecycle.ts'
import { EXPORT_FORMATS, ExportError, exportBoardFile, type ExportFormat } from '../export/board-export.ts'
import { isLanguage } from '../export/labels.ts'
import { boardLinks } from '../links.ts'
import { createLogger } from '../log.ts'
import { loadSecret } from '../secret.ts'
import { openStorage } from '../storage/open.ts'
import type { Storage } from '../storage/storage.ts'
import { progress } from './progress.ts'
import { backupSqliteFile } from './sqlite-backup.ts'

/** The CLI's commands, against a data directory (or PostgreSQL) or against a running server. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

export type Target =
  | { kind: 'data'; dataDir: string; databaseUrl?: string }
  | { kind: 'server'; url: string; token?: string; board?: string }

interface ExportOptions {
  format?: string
  out?: string
  lang?: string
  delimiter?: string
  version?: string
}

export async function exportOne(target: Target, boardId: string, opts: ExportOptions): Promise<void> {
  const format = opts.format ?? 'csv'
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`, 2)
  const lang = opts.lang ?? 'sv'
  if (!isLanguage(lang)) throw new CliError('--lang must be sv or en', 2)
  const delimiter = opts.delimiter ?? 'comma'
  if (delimiter !== 'comma' && delimiter !== 'semicolon') throw new CliError('--delimiter must be comma or semicolon', 2)
  if (!isBoardId(boardId)) throw new CliError(`"${boardId}" is not a board id`, 2)
  if ((format === 'xlsx' || format === 'pdf') && !opts.out) throw new CliError(`a${format === 'xlsx' ? 'n XLSX' : ' PDF'} file needs --out FILE`, 2)

  let body: string | Buffer
  if (target.kind === 'server') {
    if (!target.token) throw new CliError('--server needs --token (any of the board’s links’ tokens)', 2)
    const params = new URLSearchParams({ format, lang, delimiter, token: target.token })
    if (opts.version) params.set('version', opts.version)
    const res = await request(`${target.url}/api/boards/${boardId}/export?${params}`)
    body = Buffer.from(await res.arrayBuffer())
  } else {
    body = await withStorage(target, async (storage) => {
      try {
        const file = await exportBoardFile(storage, boardId, { format: format as ExportFormat, lang, delimiter: delimiter === 'semicolon' ? ';' : ',', versionId: opts.version })
        return file.body
      } catch (err) {
        if (err instanceof ExportError) throw new CliError(`${boardId}: ${err.message}`)
        throw err
      }
    })
  }
  if (opts.out) {
    writeFileSync(opts.out, body)
    process.stderr.write(`Wrote ${resolve(opts.out)}\n`)
  } else {
    process.stdout.write(body)
  }
}

/** Every board with its versions, one JSON backup file each, into `outDir`; with SQLite, also a copy of the database. */
export async function backupAll(target: Target, outDir: string | undefined): Promise<void> {
  if (!outDir) throw new CliError('backup needs --out DIR', 2)
  if (target.kind === 'server') throw new CliError('backup reads the data directory (or $DATABASE_URL): a server only hands out one board per token; use `snurra export <id> --format json --server …` for one board', 2)
  mkdirSync(outDir, { recursive: true })
  await withStorage(target, async (storage) => {
    const boards = await storage.listBoards()
    const bar = progress('Backing up boards', boards.length)
    for (const board of boards) {
      const file = await exportBoardFile(storage, board.id, { format: 'json', lang: 'sv', delimiter: ',' })
      writeFileSync(join(outDir, `${board.id}.json`), file.body)
      bar.tick()
    }
    process.stderr.write(`Saved ${boards.length} board(s) in ${resolve(outDir)}\n`)
  })
  // Beside the portable JSON files (which restore as new boards), the database itself, to put
  // back after damage with every id and link intact.
  if (!target.databaseUrl) process.stderr.write(`Saved a consistent copy of the database as ${await backupSqliteFile(resolve(target.dataDir), outDir)}\n`)
}

/** Restores each backup file (or every .json file of a directory) as a new board; prints its links. */
export async function restoreFiles(target: Target, paths: string[]): Promise<void> {
  const files = paths.flatMap((p) => {
    try {
      return statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.json')).sort().map((f) => join(p, f)) : [p]
    } catch {
      throw new CliError(`cannot read ${p}`)
    }
  })
  if (files.length === 0) throw new CliError('no backup files found')
  // Check every file before restoring any, so a bad file in a batch restores nothing.
  const texts = files.map((file) => {
    const text = readFileSync(file, 'utf8')
    try {
      decodeBackup(JSON.parse(text))
    } catch (err) {
      if (err instanceof BackupError || err instanceof SyntaxError) throw new CliError(`${file}: not a Snurra backup (${err.message})`)
      throw err
    }
    return { file, text }
  })
  const bar = progress('Restoring boards', texts.length)
  const restored: string[] = []
  if (target.kind === 'server') {
    if (!target.token || !target.board) throw new CliError('--server needs --board ID and --token (a facilitator token of that board)', 2)
    for (const { file, text } of texts) {
      const res = await request(`${target.url}/api/boards/${target.board}/import?format=json&token=${encodeURIComponent(target.token)}`, {
        method: 'POST',
        // A server with CREATE_KEY set wants it for a restore: the same variable, in the CLI's environment.
        headers: { 'Content-Type': 'application/json', ...(process.env.CREATE_KEY ? { Authorization: `Bearer ${process.env.CREATE_KEY}` } : {}) },
        body: text,
      })
      const { id, links } = (await res.json()) as { id: string; links: { facilitator: string } }
      restored.push(`${file} → ${id}\n  ${links.facilitator}`)
      bar.tick()
    }
  } else {
    await withStorage(target, async (storage) => {
      const secret = loadSecret(target.dataDir, process.env.SNURRA_SECRET || undefined)
      const base = (process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 8080}`).replace(/\/+$/, '')
      const ttlDays = Number(process.env.TOKEN_TTL_DAYS ?? 180)
      for (const { file, text } of texts) {
        const backup = decodeBackup(JSON.parse(text))
        const info = await createBoardFromState(storage, backup.board, backup.state, backup.versions)
        const links = boardLinks(secret, base, info.id, Date.now() + ttlDays * 24 * 3600_000, {})
        restored.push(`${file} → ${info.id}\n  ${links.facilitator}`)
        bar.tick()
      }
    })
  }
  process.stdout.write(restored.join('\n') + '\n')
}

async function withStorage<T>(target: Extract<Target, { kind: 'data' }>, work: (storage: Storage) => Promise<T>): Promise<T> {
  // Only warnings and errors: stdout may be the exported file itself.
  const log = createLogger('warn', (line) => process.stderr.write(line + '\n'))
  const dataDir = resolve(target.dataDir)
  // Never create an empty store by mistake (a typo in --data would otherwise "succeed").
  if (!target.databaseUrl && !existsSync(join(dataDir, 'snurra.sqlite'))) throw new CliError(`no Snurra data in ${dataDir} (give --data DIR, or set DATABASE_URL)`)
  const storage = await openStorage({ dataDir, databaseUrl: target.databaseUrl, log })
  try {
    return await work(storage)
  } finally {
    await storage.close()
  }
}

async function request(url: string, init?: RequestInit): Promise<Response> {
  let res: Response
  try {
    res = await fetch(url, init)
  } catch (err) {
    throw new CliError(`cannot reach ${new URL(url).origin}: ${(err as Error).message}`)
  }
  if (!res.ok) {
    const text = await res.text()
    let message = text
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text
    } catch {
      // not JSON: keep the text
    }
    throw new CliError(`the server answered ${res.status}: ${message}`)
  }
  return res
}
