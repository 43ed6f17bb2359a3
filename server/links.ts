import { ROLES, type Role } from '../core/roles.ts'
import type { Storage } from './storage/storage.ts'
import { signToken, type TokenClaims } from './tokens.ts'

/** Per role, the token generation that is valid now (0 until a link is first replaced). */
export type Generations = Partial<Record<Role, number>>

const LINKS_KEY = 'links'

export async function currentGenerations(storage: Storage, boardId: string): Promise<Generations> {
  return ((await storage.getState(boardId, LINKS_KEY)) as Generations | null) ?? {}
}

export function isCurrent(claims: TokenClaims, generations: Generations): boolean {
  return (claims.generation ?? 0) === (generations[claims.role] ?? 0)
}

/** Replaces the links of `roles`: their old tokens stop working from now on. */
export async function rotateLinks(storage: Storage, boardId: string, roles: Role[]): Promise<Generations> {
  const generations = await currentGenerations(storage, boardId)
  for (const role of roles) generations[role] = (generations[role] ?? 0) + 1
  await storage.setState(boardId, LINKS_KEY, generations)
  return generations
}

export function boardLinks(secret: Buffer, baseUrl: string, boardId: string, expiresAt: number, generations: Generations): Record<Role, string> {
  const links = {} as Record<Role, string>
  for (const role of ROLES) {
    const token = signToken(secret, { boardId, role, expiresAt, generation: generations[role] ?? 0 })
    links[role] = `${baseUrl}/b/${boardId}?token=${encodeURIComponent(token)}`
  }
  return links
}
