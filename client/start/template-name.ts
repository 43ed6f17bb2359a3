import type { Translate } from '../i18n/I18nProvider.tsx'
import { isMessageKey } from '../i18n/messages.ts'

/** Known templates get a translated name; a municipality's own template shows its own title. */
export function templateName(t: Translate, template: { id: string; title: string }): string {
  const key = `template.${template.id}`
  return isMessageKey(key) ? t(key) : template.title
}
