import { describe, expect, it } from 'vitest'
import { defaultActivity } from '../../core/activity.ts'
import type { ActivityRow } from '../../core/board-view.ts'
import { exportFileName, isoDate, slugify } from '../../client/export/file-name.ts'
import { legendModel } from '../../client/export/legend-model.ts'
import { translate } from '../../client/i18n/messages.ts'

const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate('sv', key, vars)
const row = (id: string, tasks: string[], paths: string[]): ActivityRow => ({
  id,
  ...defaultActivity(),
  title: id,
  tasks: Object.fromEntries(tasks.map((x) => [x, true as const])),
  paths: Object.fromEntries(paths.map((x) => [x, true as const])),
})

describe('export file names', () => {
  it('folds Swedish letters and punctuation into a slug, then adds the local date', () => {
    expect(slugify('Workshop Hallunda–Norsborg: Åtgärder för 2027!')).toBe('workshop-hallunda-norsborg-atgarder-for-2027')
    expect(exportFileName('Ödla & Älg', new Date(2026, 10, 3, 23, 59), 'pdf')).toBe('odla-alg-2026-11-03.pdf')
  })
  it('never gives an empty name', () => {
    expect(slugify('   ')).toBe('snurra')
    expect(slugify('—')).toBe('snurra')
  })
  it('cuts long titles at a word-free boundary without a trailing dash', () => {
    const slug = slugify('a'.repeat(59) + ' bcd')
    expect(slug.length).toBeLessThanOrEqual(60)
    expect(slug.endsWith('-')).toBe(false)
  })
  it('uses the calendar date where the planner is, not UTC', () => {
    expect(isoDate(new Date(2027, 0, 1, 0, 30))).toBe('2027-01-01')
  })
})

describe('the legend of a board picture', () => {
  const tasks = [
    { id: 't1', label: 'Mer jämlika, hälsofrämjande och trygga uppväxtvillkor', color: '#1d5f8a' },
    { id: 't2', label: 'Förnyad stadsmiljö', color: '#2f6b3a' },
  ]
  const paths = [
    { id: 'p1', label: 'Väg ett' },
    { id: 'p2', label: 'Väg två' },
  ]
  const activities = [row('a', ['t1'], ['p1']), row('b', ['t1', 't2'], ['p1']), row('c', [], ['gone'])]

  it('counts activities per task and path with core coverage, in board order', () => {
    const model = legendModel({ title: 'Tavla', date: new Date(2026, 10, 23), tasks, paths, activities }, t)
    expect(model.sections.map((s) => s.heading)).toEqual(['Huvuduppgifter – antal aktiviteter', 'Handlingsvägar – antal aktiviteter'])
    expect(model.sections[0].rows.map((r) => [r.short, r.label, r.count])).toEqual([
      ['H1', tasks[0].label, 2],
      ['H2', 'Förnyad stadsmiljö', 1],
    ])
    // A reference to a deleted path counts nowhere; a path nobody hits is flagged, not just coloured.
    expect(model.sections[1].rows.map((r) => [r.short, r.count, r.uncovered])).toEqual([
      ['V1', 2, false],
      ['V2', 0, true],
    ])
    expect(model.dateLine).toBe('Exporterad 2026-11-23')
    expect(model.notes).toEqual(['3 aktiviteter på tavlan.', 'Streckad ruta: ingen aktivitet träffar handlingsvägen.'])
  })

  it('says when the picture is a selection, and that the counts are the whole board’s', () => {
    const model = legendModel({ title: 'Tavla', date: new Date(), tasks, paths, activities, selectedActivities: 1 }, t)
    expect(model.notes).toContain('Bilden visar ett urval med 1 av tavlans 3 aktiviteter. Antalen gäller hela tavlan.')
  })

  it('has no path section on a board without paths, and names its source', () => {
    const model = legendModel({ title: 'Tavla', date: new Date(), source: 'Botkyrka kommun', tasks, paths: [], activities: [] }, t)
    expect(model.sections).toHaveLength(1)
    expect(model.source).toBe('Källa: Botkyrka kommun')
    expect(model.notes).toEqual(['0 aktiviteter på tavlan.'])
  })
})
