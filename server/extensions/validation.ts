import * as Y from 'yjs'
import { readMeta } from '../../core/board-meta.ts'
import { RecordLinks, validateMetaEntry, validatePathEntry, validateRecord } from '../../core/record-validation.ts'
import { readAllRecords, readRecord, recordsOf, type JsonRecord } from '../../core/record-store.ts'
import type { Logger } from '../log.ts'
import type { Connection, Proposal, Refusal, RoomExtension } from '../room-types.ts'
import type { Room } from '../room.ts'
import { checkLoadedBoard, type QuarantineEntry } from './quarantine.ts'

/** Where a board keeps what its load-time check took out (server-private state). */
export interface QuarantineStore {
  /** Adds entries; resolves with how many the board holds in all. */
  save(entries: QuarantineEntry[]): Promise<number>
  count(): Promise<number>
}

export interface ValidationDeps {
  log: Logger
  /** Boards check what they load and quarantine what fails; drafts rooms have none. */
  quarantine?: QuarantineStore
  /**
   * Whether parents and bindings must exist in this document. Not in a person's drafts: their
   * cards stand on the board's page, which the drafts do not hold (the drafts rules require it).
   */
  links?: boolean
  onQuarantined?(count: number): void
}

/**
 * Content validation for every role: each record an update creates or changes must pass the
 * board's schema (core/record-validation.ts: tldraw's validators, Snurra's props and limits,
 * index keys, no prototype keys), the links between records must hold (parents that exist and
 * never loop, bindings to existing shapes, no deletion that leaves children or bindings behind),
 * and meta values and action paths must be what the board's code writes.
 *
 * The links index follows every change to the document, whoever made it.
 */
export class Validation implements RoomExtension {
  readonly name = 'validation'
  private links = new RecordLinks()
  private quarantined = 0

  constructor(
    private readonly room: Room,
    private readonly deps: ValidationDeps,
  ) {
    room.doc.on('afterTransaction', this.follow)
  }

  /**
   * Boards stored before content was validated may hold anything: what fails now is quarantined
   * (saved aside first, then taken out of the document by a server write), and the facilitator
   * is told how much on joining.
   */
  async onLoaded(): Promise<void> {
    const { quarantine, log } = this.deps
    if (quarantine) {
      const check = checkLoadedBoard(this.room.doc)
      if (check.quarantined.length) {
        this.quarantined = await quarantine.save(check.quarantined)
        log.warn('quarantined stored content that fails validation', {
          room: this.room.name,
          count: check.quarantined.length,
          problems: [...new Set(check.quarantined.map((q) => q.problem.replace(/^[^ ]*: /, '').slice(0, 120)))].slice(0, 5),
        })
        this.deps.onQuarantined?.(check.quarantined.length)
      } else {
        this.quarantined = await quarantine.count()
      }
      // Also a board of an older schema whose records all migrate: they are upgraded here, once.
      if (check.needsRepair) await this.room.serverWrite(check.repair)
    }
    this.links = new RecordLinks(readAllRecords(this.room.doc))
  }

  onJoined(conn: Connection): void {
    if (conn.role === 'facilitator' && this.quarantined > 0) this.room.sendSnurra(conn, { t: 'quarantined', count: this.quarantined })
  }

  judge({ changes, doc }: Proposal): Refusal | null {
    const invalid: string[] = []
    const details: string[] = []
    const afters = new Map<string, JsonRecord | null>()
    for (const [id, { after }] of changes.records) {
      afters.set(id, after)
      if (!after) continue
      const verdict = validateRecord(after)
      if (!verdict.ok) {
        invalid.push(id)
        details.push(verdict.problem)
      } else if (after.id !== id) {
        invalid.push(id)
        details.push('the record is stored under another id')
      }
    }
    if (!invalid.length && this.deps.links !== false) {
      for (const problem of this.links.problems(afters)) {
        invalid.push(problem.slice(0, Math.max(0, problem.indexOf(': '))))
        details.push(problem)
      }
    }
    if (invalid.length) return { reason: 'invalid', records: [...new Set(invalid)], detail: details[0] }
    for (const [key, entry] of changes.meta) {
      const problem = validateMetaEntry(key, entry ? entry.value : undefined)
      if (problem) return { reason: 'invalid', detail: problem }
    }
    if (changes.paths.size) {
      const template = readMeta(doc)?.template ?? null
      for (const [id, entry] of changes.paths) {
        const problem = validatePathEntry(id, entry ?? undefined, template)
        if (problem) return { reason: 'invalid', detail: problem }
      }
    }
    return null
  }

  /** The records as Yjs really applied them pass too (see changes.ts on concurrent pairs). */
  verify({ changes }: Proposal): string | null {
    const map = recordsOf(this.room.doc)
    for (const id of changes.records.keys()) {
      const entries = map.get(id)
      if (!(entries instanceof Y.Array)) continue
      const verdict = validateRecord(readRecord(entries))
      if (!verdict.ok) return `${id}: ${verdict.problem}`
    }
    return null
  }

  onClose(): void {
    this.room.doc.off('afterTransaction', this.follow)
  }

  /** Keeps the links index in step with the document, for every change whoever made it. */
  private follow = (tr: Y.Transaction): void => {
    const records = recordsOf(this.room.doc)
    const root: unknown = records
    const ids = new Set<string>()
    for (const [type, keys] of tr.changed) {
      const owner = type._item
      if ((type as unknown) === root) for (const key of keys) key !== null && ids.add(key)
      else if (owner && owner.parent === root && owner.parentSub !== null) ids.add(owner.parentSub)
    }
    if (!ids.size) return
    const changes = new Map<string, JsonRecord | null>()
    for (const id of ids) {
      const entries = records.get(id)
      const record = entries instanceof Y.Array ? (readRecord(entries) as JsonRecord) : null
      changes.set(id, record && record.id === id && typeof record.typeName === 'string' ? record : null)
    }
    this.links.commit(changes)
  }
}

