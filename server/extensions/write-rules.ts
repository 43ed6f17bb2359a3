import { judgeDraftWrite, judgeWrite } from '../policy.ts'
import type { RoomExtension } from '../room-types.ts'

/** The role rules (server/policy.ts) on a board: `isLocked` reads the facilitation state. */
export function boardWriteRules(isLocked: () => boolean): RoomExtension {
  return { name: 'write-rules', judge: ({ conn, changes }) => judgeWrite(conn.role, isLocked(), changes) }
}

/** The role rules on a person's private drafts. */
export function draftWriteRules(): RoomExtension {
  return { name: 'write-rules', judge: ({ conn, changes }) => judgeDraftWrite(conn.role, changes) }
}
