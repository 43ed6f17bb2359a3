import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { newBoardId } from '../../core/ids.ts'
import { authorize, closeRefusal, httpRefusal } from '../../server/authorize.ts'
import { rotateLinks } from '../../server/links.ts'
import { openSqliteStorage } from '../../server/storage/sqlite.ts'
import type { Storage } from '../../server/storage/storage.ts'
import { signToken } from '../../server/tokens.ts'

const secret = Buffer.from('unit-test-secret-unit-test-secret-0123', 'utf8')
const future = Date.now() + 3600_000
let dir: string
let storage: Storage
let boardId: string

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'snurra-auth-'))
  storage = openSqliteStorage(dir)
  boardId = newBoardId()
  await storage.createBoard({ id: boardId, title: 'T', templateId: 'blank', createdAt: Date.now() }, new Uint8Array([0, 0]))
})
afterEach(async () => {
  await storage.close()
  rmSync(dir, { recursive: true, force: true })
})

const token = (role: 'facilitator' | 'participant' | 'viewer', generation = 0, id = boardId) => signToken(secret, { boardId: id, role, expiresAt: future, generation })

/** The same storage with one method throwing, as a database that hiccups does. */
function failing(method: keyof Storage): Storage {
  return { ...storage, [method]: () => Promise.reject(new Error('database is locked (test)')) }
}

describe('authorize', () => {
  it('lets a valid, current link for an existing board in, with its claims and the board', async () => {
    const verdict = await authorize(storage, secret, boardId, token('participant'))
    expect(verdict).toMatchObject({ ok: true, claims: { boardId, role: 'participant' }, board: { id: boardId, title: 'T' } })
  })

  it('refuses each kind of bad link with its own verdict, status and close code', async () => {
    const other = newBoardId()
    expect(await authorize(storage, secret, 'not a board id', token('viewer'))).toEqual({ ok: false, refusal: 'not-found' })
    expect(await authorize(storage, secret, boardId, 'forged.token')).toEqual({ ok: false, refusal: 'unauthorized' })
    expect(await authorize(storage, secret, boardId, token('viewer', 0, other))).toEqual({ ok: false, refusal: 'unauthorized' })
    expect(await authorize(storage, secret, other, token('viewer', 0, other))).toEqual({ ok: false, refusal: 'not-found' })
    await rotateLinks(storage, boardId, ['viewer'])
    expect(await authorize(storage, secret, boardId, token('viewer'))).toEqual({ ok: false, refusal: 'replaced' })
    expect((await authorize(storage, secret, boardId, token('viewer', 1))).ok).toBe(true)
    await storage.deleteBoard(boardId)
    expect(await authorize(storage, secret, boardId, token('viewer', 1))).toEqual({ ok: false, refusal: 'gone' })

    expect([httpRefusal('not-found').status, httpRefusal('unauthorized').status, httpRefusal('replaced').status, httpRefusal('gone').status, httpRefusal('unavailable').status]).toEqual([404, 401, 401, 410, 503])
    expect([closeRefusal('not-found').code, closeRefusal('unauthorized').code, closeRefusal('replaced').code, closeRefusal('gone').code]).toEqual([4404, 4401, 4401, 4410])
    // Unavailable is not final: the client should come back when storage answers again.
    expect(closeRefusal('unavailable').code).toBe(1011)
  })

  it('fails closed: when storage cannot answer any of its questions, the link is refused', async () => {
    for (const method of ['getBoard', 'getState', 'wasDeleted'] as const) {
      if (method === 'wasDeleted') await storage.deleteBoard(boardId) // only asked about a board that is not there
      const verdict = await authorize(failing(method), secret, boardId, token('facilitator'))
      expect(verdict.ok, method).toBe(false)
      expect(verdict, method).toMatchObject({ refusal: 'unavailable', error: expect.any(Error) })
    }
  })
})
