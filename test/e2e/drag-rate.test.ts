/**
 * What a real tldraw client sends while someone drags a card, against the default per-connection
 * rate limits (RATE_LIMIT_MESSAGES, RATE_LIMIT_BYTES): a user doing ordinary things must never
 * be cut off. Measures the busiest second of a long drag and prints the figures.
 */
import type { WebSocket as PageSocket } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { readConfig } from '../../server/config.ts'
import { createBoard, joinBoard, newPage, useServerAndBrowser } from './browser.ts'

const e2e = useServerAndBrowser()


describe('per-connection rate limits and a real client', () => {
  test('dragging a card for five seconds stays far below the default limits', async () => {
    const board = await createBoard(e2e.server.url, 'blank', 'Dra')
    const page = await newPage(e2e.browser)
    const sent: Array<{ at: number; bytes: number; type: number }> = []
    const closes: number[] = []
    page.on('websocket', (ws: PageSocket) => {
      if (!/\/ws\/[a-z2-7]{16}(\?|$)/.test(ws.url())) return // the board socket, not the private drafts
      ws.on('framesent', (frame) => {
        const data = typeof frame.payload === 'string' ? Buffer.from(frame.payload) : frame.payload
        sent.push({ at: performance.now(), bytes: data.length, type: data[0] })
      })
      ws.on('close', () => closes.push(performance.now()))
    })
    await joinBoard(page, board.links.participant, 'Dragan')
    await page.getByTestId('add-card').click()
    const card = page.locator('.tl-shape[data-shape-type="snurra-card"]').first()
    await card.waitFor()
    await page.keyboard.press('Escape')
    await page.waitForTimeout(500)
    const box = (await card.boundingBox())!
    const start = { x: box.x + box.width / 2, y: box.y + 12 }

    const from = sent.length
    await page.mouse.move(start.x, start.y)
    await page.mouse.down()
    // A 125 Hz mouse going round in circles for five seconds (the browser coalesces pointer
    // events per frame; tldraw writes at most once a frame).
    const began = performance.now()
    for (let i = 0; performance.now() - began < 5000; i++) {
      await page.mouse.move(start.x + 150 * Math.sin(i / 40), start.y + 100 * (1 - Math.cos(i / 40)))
      await page.waitForTimeout(8)
    }
    await page.mouse.up()
    await page.waitForTimeout(500)

    const drag = sent.slice(from)
    let peakMessages = 0
    let peakBytes = 0
    for (const frame of drag) {
      const second = drag.filter((f) => f.at >= frame.at && f.at < frame.at + 1000)
      peakMessages = Math.max(peakMessages, second.length)
      peakBytes = Math.max(peakBytes, second.reduce((s, f) => s + f.bytes, 0))
    }
    const byType = drag.reduce<Record<string, number>>((acc, f) => ((acc[f.type === 0 ? 'sync' : f.type === 1 ? 'awareness' : String(f.type)] = (acc[f.type === 0 ? 'sync' : f.type === 1 ? 'awareness' : String(f.type)] ?? 0) + 1), acc), {})
    const defaults = readConfig({})
    console.log(
      `drag: ${drag.length} frames in ${((drag.at(-1)!.at - drag[0].at) / 1000).toFixed(1)} s (${JSON.stringify(byType)}); ` +
        `busiest second ${peakMessages} messages, ${peakBytes} bytes; limits ${defaults.rateLimitMessages}/s, ${defaults.rateLimitBytes} B/s`,
    )
    expect(drag.length).toBeGreaterThan(50) // the drag did write
    expect(closes).toEqual([]) // never disconnected
    expect(peakMessages).toBeLessThan(defaults.rateLimitMessages / 2)
    expect(peakBytes).toBeLessThan(defaults.rateLimitBytes / 10)
  })
})
