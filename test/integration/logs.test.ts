/** Role tokens are secrets that travel in URLs: the server must never write them to its logs. */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { signToken } from '../../server/tokens.ts'
import { closeCode, connectSynced, destroyAllClients, rawConnect, waitFor } from '../helpers/clients.ts'
import { cardRecord, read, write } from '../helpers/records.ts'
import { startTestServer, stopAllServers } from '../helpers/server.ts'

afterEach(destroyAllClients)
afterAll(stopAllServers)

describe('logs', () => {
  it('never contain a token, whatever happens (debug level, good and bad requests, shutdown)', async () => {
    const server = await startTestServer({ env: { LOG_LEVEL: 'debug', MAX_PAYLOAD_BYTES: '2048' } })
    const board = await server.createBoard('Hemligt')
    const other = await server.createBoard('Annat')
    const secret = Buffer.from(server.secret, 'utf8')
    const expired = signToken(secret, { boardId: board.id, role: 'facilitator', expiresAt: Date.now() - 1 })
    const tokens = [...Object.values(board.tokens), ...Object.values(other.tokens), expired]
    const forged = board.tokens.facilitator.slice(0, -6) + 'AAAAAA'
    tokens.push(forged)

    // HTTP: sessions with good, bad and crossed tokens; an unknown path and a bad request carrying a token.
    for (const token of tokens) {
      for (const id of [board.id, other.id, 'aaaaaaaaaaaaaaaa']) {
        const res = await fetch(`${server.url}/api/boards/${id}/session?token=${encodeURIComponent(token)}`)
        await res.arrayBuffer()
      }
    }
    for (const path of ['/api/nothing', '/nope', '/b/whatever', '/healthz']) {
      const res = await fetch(`${server.url}${path}?token=${encodeURIComponent(board.tokens.facilitator)}`)
      await res.arrayBuffer()
    }
    const badPost = await fetch(`${server.url}/api/boards?token=${encodeURIComponent(board.tokens.facilitator)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${board.tokens.facilitator}` },
      body: JSON.stringify({ template: board.tokens.participant, title: 'x' }),
    })
    expect(badPost.status).toBe(400)
    await badPost.arrayBuffer()

    // WebSocket: valid clients with edits, refused ones, a malformed and an oversized frame.
    const a = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
    const b = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    write(a.doc, cardRecord('secret', { props: { title: board.tokens.participant.slice(0, 8) } }))
    await waitFor(() => read(b.doc, 'shape:card-secret') !== undefined, 'B to see the card')
    for (const token of [expired, forged, other.tokens.participant]) {
      expect(await closeCode(rawConnect(server.wsUrl, board.id, token))).toBe(4401)
    }
    const bad = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await bad.opened
    await bad.waitForFrame((f) => f.kind === 'sync', 'joined')
    bad.send(new Uint8Array([42, 42]))
    expect(await closeCode(bad)).toBe(4400)
    const big = rawConnect(server.wsUrl, board.id, board.tokens.participant)
    await big.opened
    big.send(new Uint8Array(4096))
    expect(await closeCode(big)).toBe(1009)
    const wrongPath = rawConnect(server.wsUrl, `${board.id}/extra`, board.tokens.facilitator)
    await wrongPath.closed

    await server.stop()
    const output = server.output()
    // The logs did record these events (so the check below is not vacuous)…
    expect(output).toContain('board created')
    expect(output).toContain('connection refused')
    expect(output).toContain('closing connection on bad input')
    expect(output).toContain(board.id)
    // …but no token, nor either half of one.
    for (const token of tokens) {
      const [payload, mac] = token.split('.')
      expect(output.includes(token), 'whole token in logs').toBe(false)
      expect(output.includes(encodeURIComponent(token)), 'URL-encoded token in logs').toBe(false)
      expect(output.includes(payload), 'token payload in logs').toBe(false)
      expect(output.includes(mac), 'token signature in logs').toBe(false)
    }
    expect(output.includes(server.secret)).toBe(false)
  })

  it('a whole session leaves neither tokens nor what people wrote in the output, and stdout is JSON lines', async () => {
    const server = await startTestServer({ env: { LOG_LEVEL: 'debug' } })
    const boardTitle = 'Styrgruppens workshop Qx7'
    const board = await server.createBoard(boardTitle)
    const words = {
      title: 'Läxhjälp i Hallunda Zk4',
      description: 'Beskrivning med namn Wv3',
      partner: 'Föreningen Jp8',
      person: 'Anna Persson Hm2',
    }
    const session = await fetch(`${server.url}/api/boards/${board.id}/session?token=${encodeURIComponent(board.tokens.participant)}`)
    expect(session.status).toBe(200)
    await session.arrayBuffer()
    const fac = await connectSynced(server.wsUrl, board.id, board.tokens.facilitator)
    const par = await connectSynced(server.wsUrl, board.id, board.tokens.participant)
    const viewer = await connectSynced(server.wsUrl, board.id, board.tokens.viewer)
    par.provider.awareness.setLocalStateField('user', { name: words.person, color: '#123456' })
    write(par.doc, cardRecord('session', { props: { title: words.title, description: words.description, partners: words.partner } }))
    await waitFor(() => read(viewer.doc, 'shape:card-session') !== undefined, 'the viewer to see the card')
    write(fac.doc, cardRecord('session', { x: 999, props: { title: words.title + ' (ändrad)', description: words.description, partners: words.partner } }))
    await waitFor(() => read(par.doc, 'shape:card-session')?.x === 999, 'the participant to see the edit')
    // A viewer's edit is dropped (and logged as such, without its content).
    write(viewer.doc, cardRecord('viewer', { props: { title: words.title } }))
    await waitFor(() => fac.provider.awareness.getStates().has(par.doc.clientID), 'presence to arrive')
    fac.destroy()
    par.destroy()
    viewer.destroy()
    await server.stop()

    const output = server.output()
    expect(output).toContain(board.id)
    for (const token of Object.values(board.tokens)) {
      for (const part of [token, ...token.split('.')]) expect(output.includes(part), 'a token in the logs').toBe(false)
    }
    for (const text of [boardTitle, ...Object.values(words)]) expect(output.includes(text), `"${text}" in the logs`).toBe(false)

    // stdout is one JSON object per line, each with a level name, a time and a message.
    const lines = server.stdout().split('\n').filter(Boolean)
    expect(lines.length).toBeGreaterThan(5)
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>
      expect(['debug', 'info', 'warn', 'error']).toContain(entry.level)
      expect(typeof entry.msg).toBe('string')
      expect(Number.isNaN(Date.parse(entry.time as string))).toBe(false)
    }
    // Board events carry the board id as a field.
    const created = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.msg === 'board created')
    expect(created?.board).toBe(board.id)
  })

  it('LOG_LEVEL=warn leaves out info and debug lines', async () => {
    const server = await startTestServer({ env: { LOG_LEVEL: 'warn' } })
    await server.createBoard()
    await server.stop()
    const lines = server.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: string })
    expect(lines.filter((l) => l.level === 'info' || l.level === 'debug')).toEqual([])
  })
})
