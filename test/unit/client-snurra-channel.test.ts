import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import { encodeSnurraMessage, MESSAGE_SNURRA, readSnurraPayload, type ServerSnurraMessage } from '../../core/messages.ts'
import { readRefusal, SnurraChannel } from '../../client/sync/snurra-channel.ts'
import { rankResults } from '../../client/facilitation/rank.ts'
import { formatRemaining } from '../../client/facilitation/time-format.ts'

/** Just enough of a WebsocketProvider: the message handler table, the socket, status events. */
function fakeProvider() {
  const sent: Array<Record<string, unknown>> = []
  const listeners = new Map<string, (e: { status: string }) => void>()
  const provider = {
    messageHandlers: [] as Array<(...args: unknown[]) => void>,
    wsconnected: true,
    ws: {
      readyState: 1,
      send(data: Uint8Array) {
        const decoder = decoding.createDecoder(data)
        expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SNURRA)
        sent.push(readSnurraPayload(decoder))
      },
    } as { readyState: number; send(data: Uint8Array): void } | null,
    on: (name: string, fn: (e: { status: string }) => void) => listeners.set(name, fn),
    off: (name: string) => listeners.delete(name),
  }
  /** Delivers a server message the way y-websocket does: type already read, the rest in a decoder. */
  const deliver = (message: ServerSnurraMessage) => {
    const decoder = decoding.createDecoder(encodeSnurraMessage(message))
    decoding.readVarUint(decoder)
    provider.messageHandlers[MESSAGE_SNURRA](encoding.createEncoder(), decoder, provider, true, MESSAGE_SNURRA)
  }
  const status = (s: string) => listeners.get('status')?.({ status: s })
  return { provider, sent, deliver, status }
}

beforeEach(() => {
  vi.stubGlobal('WebSocket', { OPEN: 1 })
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the Snurra channel on the board socket', () => {
  it('sends an intent and resolves with the result of the same id', async () => {
    const fake = fakeProvider()
    const channel = new SnurraChannel(fake.provider as unknown as WebsocketProvider)
    const first = channel.send({ type: 'timer.pause' })
    const second = channel.send({ type: 'lock.set', locked: true })
    expect(fake.sent).toEqual([
      { t: 'intent', id: 1, intent: { type: 'timer.pause' } },
      { t: 'intent', id: 2, intent: { type: 'lock.set', locked: true } },
    ])
    fake.deliver({ t: 'result', id: 2, ok: false, error: 'forbidden' })
    fake.deliver({ t: 'result', id: 1, ok: true })
    await expect(first).resolves.toEqual({ ok: true })
    await expect(second).resolves.toEqual({ ok: false, error: 'forbidden' })
  })

  it('answers offline without a socket, and on a lost connection, and times out', async () => {
    const fake = fakeProvider()
    const channel = new SnurraChannel(fake.provider as unknown as WebsocketProvider)
    const lost = channel.send({ type: 'timer.stop' })
    fake.status('disconnected')
    await expect(lost).resolves.toEqual({ ok: false, error: 'offline' })
    const slow = channel.send({ type: 'timer.stop' })
    vi.advanceTimersByTime(10_001)
    await expect(slow).resolves.toEqual({ ok: false, error: 'timeout' })
    fake.provider.ws = null
    await expect(channel.send({ type: 'timer.stop' })).resolves.toEqual({ ok: false, error: 'offline' })
  })

  it('takes the server clock, identity and ballot from hello, ballot updates, and refusals', () => {
    const fake = fakeProvider()
    const channel = new SnurraChannel(fake.provider as unknown as WebsocketProvider)
    vi.setSystemTime(1_000_000)
    fake.deliver({ t: 'hello', now: 1_600_000, personId: 'p1', ballot: { 'shape:a': 1 }, round: 2 })
    expect(channel.serverNow()).toBe(1_600_000)
    expect(channel.personId.get()).toBe('p1')
    expect(channel.ballot.get()).toEqual({ round: 2, ballot: { 'shape:a': 1 } })
    fake.deliver({ t: 'ballot', round: 2, ballot: { 'shape:a': 1, 'shape:b': 2 } })
    expect(channel.ballot.get().ballot).toEqual({ 'shape:a': 1, 'shape:b': 2 })
    expect(channel.rejected.get()).toBeNull()
    fake.deliver({ t: 'rejected', reason: 'locked', records: ['shape:a', 7 as unknown as string, 'shape:b'] })
    expect(channel.rejected.get()).toEqual({ reason: 'locked', records: ['shape:a', 'shape:b'] })
    // A second refusal before we stopped sending adds its records; the first reason stands.
    fake.deliver({ t: 'rejected', reason: 'invalid', records: ['shape:c', 'shape:a'] })
    expect(channel.rejected.get()).toEqual({ reason: 'locked', records: ['shape:a', 'shape:b', 'shape:c'] })
    // One about the whole update makes it all of it.
    fake.deliver({ t: 'rejected', reason: 'too-large' })
    expect(channel.rejected.get()).toEqual({ reason: 'locked' })
  })

  it('reads a refusal defensively: an unknown reason is still a refusal, of the whole update', () => {
    expect(readRefusal({ t: 'rejected', reason: 'locked' })).toEqual({ reason: 'locked' })
    expect(readRefusal({ t: 'rejected', reason: 'new-reason', records: [] })).toEqual({ reason: 'invalid' })
    expect(readRefusal({ t: 'rejected', reason: 'drafts-full', records: 'shape:a' })).toEqual({ reason: 'drafts-full' })
  })

  it('keeps every card id of a ballot as its own key, "__proto__" too', () => {
    const fake = fakeProvider()
    const channel = new SnurraChannel(fake.provider as unknown as WebsocketProvider)
    fake.deliver({ t: 'ballot', round: 1, ballot: JSON.parse('{"__proto__": 2, "shape:a": 1, "shape:b": "x"}') })
    const { ballot } = channel.ballot.get()
    expect(Object.getPrototypeOf(ballot)).toBe(Object.prototype)
    expect(Object.entries(ballot)).toEqual([['__proto__', 2], ['shape:a', 1]])
  })

  it('keeps the count of quarantined records, and reads a malformed count as none', () => {
    const fake = fakeProvider()
    const channel = new SnurraChannel(fake.provider as unknown as WebsocketProvider)
    expect(channel.quarantined.get()).toBe(0)
    fake.deliver({ t: 'quarantined', count: 7 })
    expect(channel.quarantined.get()).toBe(7)
    for (const count of [-1, 1.5, '3', null, Number.MAX_VALUE]) {
      fake.deliver({ t: 'quarantined', count } as unknown as ServerSnurraMessage)
      expect(channel.quarantined.get()).toBe(0)
    }
  })
})

describe('vote results and the timer display', () => {
  it('ranks cards by votes, then by title, and leaves out cards without votes', () => {
    const cards = [
      { id: 'a', title: 'Beta' },
      { id: 'b', title: 'Alfa' },
      { id: 'c', title: 'Gamma' },
    ]
    expect(rankResults({ a: 2, b: 2, c: 5, d: 0 }, cards).map((r) => `${r.title}:${r.votes}`)).toEqual(['Gamma:5', 'Alfa:2', 'Beta:2'])
  })

  it('shows minutes and seconds, rounding up so 0:00 means time is up', () => {
    expect(formatRemaining(180_000)).toBe('3:00')
    expect(formatRemaining(179_001)).toBe('3:00')
    expect(formatRemaining(61_000)).toBe('1:01')
    expect(formatRemaining(400)).toBe('0:01')
    expect(formatRemaining(0)).toBe('0:00')
    expect(formatRemaining(-5)).toBe('0:00')
  })
})
