import { describe, expect, it } from 'vitest'
import { closeReason, countFrame, createMetrics, instrumentStorage } from '../../server/metrics.ts'
import type { Storage } from '../../server/storage/storage.ts'

const value = async (metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string> = {}) => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)
  const matching = (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, l]) => String((v.labels as Record<string, unknown>)[k]) === l))
  return matching.reduce((sum, v) => sum + v.value, 0)
}

describe('metrics', () => {
  it('each server has its own registry', async () => {
    const one = createMetrics()
    const two = createMetrics()
    one.redisErrors.inc()
    expect(await value(one, 'snurra_redis_errors_total')).toBe(1)
    expect(await value(two, 'snurra_redis_errors_total')).toBe(0)
  })

  it('counts frames by message type and Yjs updates among them', async () => {
    const metrics = createMetrics()
    countFrame(metrics, new Uint8Array([0, 0, 0])) // sync step 1
    countFrame(metrics, new Uint8Array([0, 1, 0])) // sync step 2
    countFrame(metrics, new Uint8Array([0, 2, 0])) // update
    countFrame(metrics, new Uint8Array([1, 0]))
    countFrame(metrics, new Uint8Array([100]))
    countFrame(metrics, new Uint8Array([77]))
    countFrame(metrics, new Uint8Array([]))
    expect(await value(metrics, 'snurra_updates_received_total')).toBe(2)
    expect(await value(metrics, 'snurra_messages_received_total', { type: 'sync' })).toBe(3)
    expect(await value(metrics, 'snurra_messages_received_total', { type: 'snurra' })).toBe(1)
    expect(await value(metrics, 'snurra_messages_received_total', { type: 'unknown' })).toBe(1)
    expect(await value(metrics, 'snurra_received_bytes_total')).toBe(13)
  })

  it('times every storage call and counts the failed ones, passing results and errors through', async () => {
    const metrics = createMetrics()
    const fake = {
      appendUpdates: async () => [7],
      ping: async () => {
        throw new Error('disk gone')
      },
    } as unknown as Storage
    const storage = instrumentStorage(fake, metrics)
    expect(await storage.appendUpdates('b', [new Uint8Array()])).toEqual([7])
    await expect(storage.ping()).rejects.toThrow('disk gone')
    expect(await value(metrics, 'snurra_storage_seconds', { op: 'appendUpdates' })).toBeGreaterThan(0) // sum, count and buckets
    const values = (await metrics.registry.getSingleMetric('snurra_storage_seconds')!.get()).values as Array<{ metricName?: string; labels: Record<string, unknown>; value: number }>
    const count = values.find((v) => v.metricName === 'snurra_storage_seconds_count' && v.labels.op === 'appendUpdates')
    expect(count?.value).toBe(1)
    expect(await value(metrics, 'snurra_storage_errors_total', { op: 'ping' })).toBe(1)
    expect(await value(metrics, 'snurra_storage_errors_total', { op: 'appendUpdates' })).toBe(0)
  })

  it('names close codes', () => {
    expect(closeReason(4400)).toBe('malformed')
    expect(closeReason(4529)).toBe('rateLimited')
    expect(closeReason(1006)).toBe('abnormal')
    expect(closeReason(3999)).toBe('other')
  })
})
