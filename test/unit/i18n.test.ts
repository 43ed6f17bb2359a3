import { describe, expect, it } from 'vitest'
import { ENUMS } from '../../client/activity/labels.ts'
import { LANGUAGES, MESSAGE_KEYS, MESSAGES } from '../../client/i18n/messages.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('interface languages', () => {
  it('Swedish and English have exactly the same keys', () => {
    const sv = new Set(MESSAGE_KEYS.sv)
    const en = new Set(MESSAGE_KEYS.en)
    expect([...sv].filter((k) => !en.has(k)), 'missing in English').toEqual([])
    expect([...en].filter((k) => !sv.has(k)), 'missing in Swedish').toEqual([])
    expect(MESSAGE_KEYS.sv.length).toBeGreaterThan(0)
  })

  it('has no empty messages', () => {
    for (const lang of LANGUAGES) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) expect(text.trim(), `${lang} ${key}`).not.toBe('')
    }
  })

  it('uses the same {variables} in both languages', () => {
    for (const key of MESSAGE_KEYS.sv) {
      const sv = (MESSAGES.sv as Record<string, string>)[key]
      const en = (MESSAGES.en as Record<string, string>)[key]
      expect(placeholders(en), key).toEqual(placeholders(sv))
    }
  })

  it('names every status, timeframe and collaboration value in both languages', () => {
    for (const { values, labels } of ENUMS) {
      for (const value of values) {
        const key = (labels as Record<string, string>)[value]
        expect(key, `label key for "${value}"`).toBeTruthy()
        for (const lang of LANGUAGES) expect((MESSAGES[lang] as Record<string, string>)[key], `${lang} ${key}`).toBeTruthy()
      }
    }
  })
})
