import type { SerializedSchema } from '@tldraw/store'
import type { TLSchema } from '@tldraw/tlschema'
import { createSnurraSchema } from '../shapes.ts'

/**
 * One schema for every check in this module: building it runs tldraw's whole setup, and its
 * migration cache is per instance.
 */
let schema: TLSchema | null = null
let serialized: SerializedSchema | null = null

export function snurraSchema(): TLSchema {
  schema ??= createSnurraSchema()
  return schema
}

/** The schema a board written by this version records in `meta.schema`. */
export function snurraSerializedSchema(): SerializedSchema {
  serialized ??= snurraSchema().serialize()
  return serialized
}
