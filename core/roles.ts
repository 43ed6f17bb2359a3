export const ROLES = ['facilitator', 'participant', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** Whether a role may change the board's document at all. */
export function canEdit(role: Role): boolean {
  return role !== 'viewer'
}
