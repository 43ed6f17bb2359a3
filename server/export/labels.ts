import { isLanguage, LANGUAGES, translate, type Language } from '../../client/i18n/messages.ts'
import type { Labels } from '../../core/register.ts'

/**
 * The exports' words come from the same i18n files as the interface (they are plain data), so a
 * column is called the same in the file as on screen.
 */
export const labelsFor = (lang: Language): Labels => (key, vars) => translate(lang, key, vars)

/** Every language's labels: an import accepts headers and values in any of them. */
export const allLabels: readonly Labels[] = LANGUAGES.map(labelsFor)

export function languageParam(value: string | null): Language {
  return isLanguage(value) ? value : 'sv'
}

export { isLanguage, translate, type Language }
