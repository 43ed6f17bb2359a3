/**
 * What the server accepts into a board (and the browser will check before sending): records on
 * their own, the links between them, the board's meta and action paths, and the migration of
 * records stored with an older schema. The pieces live in core/validation/.
 */
export { judgeRecordChanges } from './validation/changes.ts'
export { FORBIDDEN_KEYS, isForbiddenKey, jsonProblem, type JsonLimits } from './validation/json.ts'
export { MAX_PARENT_DEPTH, RecordLinks, type RecordChanges } from './validation/links.ts'
export { MAX_TITLE, validateMetaEntry, validatePathEntry } from './validation/meta.ts'
export {
  BOARD_TYPE_NAMES,
  ID_SET_LIMITS,
  migrateRecord,
  RECORD_LIMITS,
  recordFormProblem,
  validateRecord,
  type MigrationVerdict,
  type RecordVerdict,
} from './validation/record.ts'
export { snurraSchema, snurraSerializedSchema } from './validation/schema.ts'
export { judgeStoredRecords, type QuarantinedRecord, type StoredBoardVerdict } from './validation/stored-board.ts'
