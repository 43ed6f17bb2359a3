import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateTemplate, TemplateError, type Template } from '../core/template.ts'

/**
 * Loads every templates/*.json at start. A malformed template stops the server with a message
 * naming the file and the field: better than a board that half works in the middle of a workshop.
 */
export function loadTemplates(dir: string): Map<string, Template> {
  const templates = new Map<string, Template>()
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = join(dir, name)
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'))
    } catch (err) {
      throw new TemplateError(file, '(file)', `is not valid JSON: ${(err as Error).message}`)
    }
    const template = validateTemplate(raw, file)
    if (templates.has(template.id)) throw new TemplateError(file, 'id', `"${template.id}" is already used by another template`)
    templates.set(template.id, template)
  }
  return templates
}
