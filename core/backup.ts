import { fromBase64, toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { readMeta } from './board-meta.ts'
import { validateTemplate } from './template.ts'

/**
 * The JSON backup of a board: its whole Yjs document (canvas, meta with the template copy,
 * action paths, facilitation results) and its named versions, so that a restore gives back
 * exactly the board that was saved. Server-private state (ballots of an open hidden vote,
 * unrevealed private drafts) is left out on purpose: it belongs to the people, not the board.
 */
export const BACKUP_FORMAT = 'snurra-board'
export const BACKUP_VERSION = 1

export interface BackupVersion {
  id: string
  name: string
  createdAt: number
  /** Base64 of the version's Yjs state. */
  document: string
}

export interface BoardBackup {
  format: typeof BACKUP_FORMAT
  version: typeof BACKUP_VERSION
  exportedAt: string
  board: { id: string; title: string; templateId: string; createdAt: number }
  document: string
  versions: BackupVersion[]
}

export class BackupError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`)
  }
}

export const encodeState = (state: Uint8Array): string => toBase64(state)

export function encodeBackup(board: BoardBackup['board'], state: Uint8Array, versions: { id: string; name: string; createdAt: number; state: Uint8Array }[], now = new Date()): BoardBackup {
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    exportedAt: now.toISOString(),
    board,
    document: encodeState(state),
    versions: versions.map((v) => ({ id: v.id, name: v.name, createdAt: v.createdAt, document: encodeState(v.state) })),
  }
}

export interface DecodedBackup {
  board: BoardBackup['board']
  state: Uint8Array
  versions: { id: string; name: string; createdAt: number; state: Uint8Array }[]
}

/** Checks a backup thoroughly (shape, base64, that every document loads whole and is a board). */
export function decodeBackup(value: unknown): DecodedBackup {
  const b = object(value, 'backup')
  if (b.format !== BACKUP_FORMAT) throw new BackupError('format', `must be "${BACKUP_FORMAT}"`)
  if (b.version !== BACKUP_VERSION) throw new BackupError('version', `must be ${BACKUP_VERSION}`)
  const board = object(b.board, 'board')
  const info = {
    id: string(board.id, 'board.id', 64),
    title: string(board.title, 'board.title', 200),
    templateId: string(board.templateId, 'board.templateId', 64),
    createdAt: number(board.createdAt, 'board.createdAt'),
  }
  if (info.title.trim() === '') throw new BackupError('board.title', 'must not be empty')
  const state = boardState(b.document, 'document')
  if (!Array.isArray(b.versions)) throw new BackupError('versions', 'must be a list')
  const ids = new Set<string>()
  const versions = b.versions.map((raw, i) => {
    const v = object(raw, `versions[${i}]`)
    const id = string(v.id, `versions[${i}].id`, 64)
    // A board keeps one version per id: a repeated one would fail half-way through a restore.
    // Ids end up in URLs (/versions/<id>): the same alphabet as the ids the server makes.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id) || ids.has(id)) throw new BackupError(`versions[${i}].id`, 'must be an id of letters, digits, - and _, used by no other version')
    ids.add(id)
    return {
      id,
      name: string(v.name, `versions[${i}].name`, 200),
      createdAt: number(v.createdAt, `versions[${i}].createdAt`),
      state: boardState(v.document, `versions[${i}].document`),
    }
  })
  return { board: info, state, versions }
}

function boardState(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new BackupError(field, 'must be base64')
  const state = fromBase64(value)
  const doc = new Y.Doc()
  try {
    Y.applyUpdate(doc, state)
    // Structs that wait for missing ones mean the document is cut short or corrupt.
    if (doc.store.pendingStructs || doc.store.pendingDs) throw new Error('incomplete')
    const meta = readMeta(doc)
    if (!meta) throw new Error('no board meta')
    validateTemplate(meta.template, field)
  } catch (err) {
    throw new BackupError(field, `is not a whole Snurra board (${(err as Error).message})`)
  } finally {
    doc.destroy()
  }
  return state
}

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BackupError(field, 'must be an object')
  return value as Record<string, unknown>
}

function string(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new BackupError(field, `must be a string of at most ${max} characters`)
  return value
}

function number(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new BackupError(field, 'must be a number')
  return value
}
