import type { SerializedSchemaV2 } from '@tldraw/store'
import { describe, expect, it } from 'vitest'
import { compareSchema } from '../../client/sync/schema-compat.ts'
import { snurraSerializedSchema } from '../../core/record-validation.ts'

describe('compareSchema', () => {
  const ours = snurraSerializedSchema() as SerializedSchemaV2

  it('same, older and newer', () => {
    expect(compareSchema(ours, ours)).toBe('same')
    expect(compareSchema(null, ours)).toBe('older')
    expect(compareSchema({ ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape.text': 1 } } as never, ours)).toBe('older')
    expect(compareSchema({ ...ours, schemaVersion: 999 } as never, ours)).toBe('newer')
  })

  it('a stored sequence named like a prototype property is one we do not know: newer', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(compareSchema({ ...ours, sequences: { ...ours.sequences, [name]: 1 } } as never, ours), name).toBe('newer')
    }
  })
})
