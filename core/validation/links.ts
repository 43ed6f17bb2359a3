import type { JsonRecord } from '../record-store.ts'

/** A set of record changes: the record as it would be stored, or null for a deletion. */
export type RecordChanges = ReadonlyMap<string, JsonRecord | null>

/**
 * How far up a shape's parents the check walks. tldraw nests frames and groups a few levels
 * deep; a chain longer than this is refused (it would also be a chain no browser should walk).
 */
export const MAX_PARENT_DEPTH = 64

/** At most this many problems are reported for one set of changes. */
const MAX_PROBLEMS = 20

interface Links {
  typeName: string
  parentId: string | null
  /** A binding's ends; empty for every other type. */
  ends: string[]
}

function linksOf(record: JsonRecord): Links {
  const str = (v: unknown) => (typeof v === 'string' ? v : null)
  const ends = record.typeName === 'binding' ? [str(record.fromId), str(record.toId)].filter((v): v is string => v !== null) : []
  return { typeName: record.typeName, parentId: record.typeName === 'shape' ? str(record.parentId) : null, ends }
}

/**
 * The links between a board's records that a record's own schema cannot see: a shape's parent,
 * a binding's two shapes, and the reverse of both, indexed by record id. `problems` judges a
 * set of changes against the board as it would be after them, at a cost of
 * O(changes × MAX_PARENT_DEPTH) plus the children and bindings of the shapes deleted, never
 * O(board); `commit` applies them once they are accepted.
 */
export class RecordLinks {
  private readonly nodes = new Map<string, Links>()
  private readonly children = new Map<string, Set<string>>()
  private readonly bindingsAt = new Map<string, Set<string>>()

  constructor(records: Iterable<JsonRecord> = []) {
    for (const record of records) this.add(record.id, linksOf(record))
  }

  has(id: string): boolean {
    return this.nodes.has(id)
  }

  typeNameOf(id: string): string | null {
    return this.nodes.get(id)?.typeName ?? null
  }

  /** What is wrong with the board after `changes` (empty when nothing is). Changes nothing. */
  problems(changes: RecordChanges): string[] {
    const out: string[] = []
    const after = (id: string): Links | null => {
      if (changes.has(id)) {
        const record = changes.get(id)
        return record ? linksOf(record) : null
      }
      return this.nodes.get(id) ?? null
    }
    for (const [id, record] of changes) {
      if (out.length >= MAX_PROBLEMS) break
      if (record && record.id !== id) out.push(`${id}: the record's id is ${String(record.id).slice(0, 100)}`)
      else if (record) this.recordProblems(id, linksOf(record), after, out)
      else this.deletionProblems(id, after, out)
    }
    return out.slice(0, MAX_PROBLEMS)
  }

  private recordProblems(id: string, links: Links, after: (id: string) => Links | null, out: string[]): void {
    const before = this.nodes.get(id)
    if (before && before.typeName !== links.typeName) out.push(`${id}: a ${before.typeName} cannot become a ${links.typeName}`)
    if (links.typeName === 'shape') {
      // Walk up until the page. Coming back to the shape is a cycle; a chain this long means one
      // above it, or nesting no browser should have to walk.
      let parentId = links.parentId
      for (let depth = 0; ; depth++) {
        if (parentId === null) return void out.push(`${id}: a shape needs a parentId`)
        if (parentId === id) return void out.push(`${id}: its parents lead back to itself`)
        if (depth >= MAX_PARENT_DEPTH) return void out.push(`${id}: nested deeper than ${MAX_PARENT_DEPTH} parents`)
        const parent = after(parentId)
        if (!parent) return void out.push(`${id}: its parent ${parentId.slice(0, 100)} does not exist`)
        if (parent.typeName === 'page') return
        if (parent.typeName !== 'shape') return void out.push(`${id}: its parent ${parentId.slice(0, 100)} is a ${parent.typeName}, not a page or shape`)
        parentId = parent.parentId
      }
    }
    if (links.typeName === 'binding') {
      if (links.ends.length !== 2) return void out.push(`${id}: a binding needs a fromId and a toId`)
      for (const end of links.ends) {
        if (after(end)?.typeName !== 'shape') return void out.push(`${id}: the binding's end ${end.slice(0, 100)} is not an existing shape`)
      }
    }
  }

  private deletionProblems(id: string, after: (id: string) => Links | null, out: string[]): void {
    const before = this.nodes.get(id)
    if (!before) return
    if (before.typeName === 'page' || before.typeName === 'document') return void out.push(`${id}: the ${before.typeName} is never deleted`)
    // tldraw deletes a shape's children and bindings in the same transaction as the shape.
    for (const child of this.children.get(id) ?? []) {
      if (after(child)?.parentId === id) return void out.push(`${id}: deleted while its child ${child} remains`)
    }
    for (const binding of this.bindingsAt.get(id) ?? []) {
      if (after(binding)?.ends.includes(id)) return void out.push(`${id}: deleted while the binding ${binding} ends at it`)
    }
  }

  /** Applies changes (normally ones `problems` accepted) to the index. */
  commit(changes: RecordChanges): void {
    for (const [id, record] of changes) {
      this.remove(id)
      if (record) this.add(id, linksOf(record))
    }
  }

  private add(id: string, links: Links): void {
    this.nodes.set(id, links)
    if (links.parentId !== null) setOf(this.children, links.parentId).add(id)
    for (const end of links.ends) setOf(this.bindingsAt, end).add(id)
  }

  private remove(id: string): void {
    const links = this.nodes.get(id)
    if (!links) return
    this.nodes.delete(id)
    if (links.parentId !== null) dropFrom(this.children, links.parentId, id)
    for (const end of links.ends) dropFrom(this.bindingsAt, end, id)
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key)
  if (!set) map.set(key, (set = new Set()))
  return set
}

function dropFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key)
  if (!set) return
  set.delete(id)
  if (set.size === 0) map.delete(key)
}
