import { en } from './en.ts'
import { sv, type MessageKey, type Messages } from './sv.ts'

export type { MessageKey, Messages }

export const LANGUAGES = ['sv', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'sv'

export const MESSAGES: Record<Language, Messages> = { sv, en }

/** Each language's keys, for the test that checks the languages stay in step. */
export const MESSAGE_KEYS: Record<Language, string[]> = { sv: Object.keys(sv), en: Object.keys(en) }

export type MessageVars = Record<string, string | number>

/** Looks up a message and fills in `{name}` variables; unknown variables are left visible. */
export function translate(lang: Language, key: MessageKey, vars?: MessageVars): string {
  const text = MESSAGES[lang][key] ?? MESSAGES[DEFAULT_LANGUAGE][key] ?? key
  if (!vars) return text
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match))
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES[DEFAULT_LANGUAGE], key)
}
