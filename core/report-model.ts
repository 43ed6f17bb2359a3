import type { ActivityRow, BoardView } from './board-view.ts'
import { boardPicture, type PlacedCard } from './board-picture.ts'
import { computeCoverage } from './coverage.ts'
import type { VoteState } from './facilitation.ts'
import { legendModel, type LegendKey } from './legend-model.ts'
import { registerOrder, safeView, targetsOf, voteCount, type RegisterKey } from './register.ts'
import type { Scene } from './scene.ts'

/**
 * The report document's content as plain data: title page facts, the board picture with its
 * text alternative, the register, the coverage tables and the vote. The PDF and the HTML report
 * are both written from this, so they say the same things.
 */
export type ReportKey =
  | RegisterKey
  | LegendKey
  | 'card.untitled'
  | 'activity.sectorNone'
  | 'activity.hits'
  | `report.${
      | 'subtitle'
      | 'programme'
      | 'exported'
      | 'version'
      | 'versionNow'
      | 'source'
      | 'activities'
      | 'madeWith'
      | 'pictureHeading'
      | 'altCircle'
      | 'altMatrix'
      | 'altNone'
      | 'altTasks'
      | 'altPaths'
      | 'altItem'
      | 'altUncovered'
      | 'registerHeading'
      | 'registerIntro'
      | 'registerCaption'
      | 'columnTasks'
      | 'columnPaths'
      | 'coverageHeading'
      | 'coverageIntro'
      | 'countsCaption'
      | 'columnShort'
      | 'columnName'
      | 'columnCount'
      | 'matrixCaption'
      | 'votesHeading'
      | 'votesNone'
      | 'votesSummary'
      | 'votesSummaryOne'
      | 'votesOpen'
      | 'votesClosed'
      | 'votesHidden'
      | 'votesEmpty'
      | 'votesLastOnly'
      | 'votesCaption'
      | 'noActivities'
      | 'page'}`

export type ReportT = (key: ReportKey, vars?: Record<string, string | number>) => string

export interface ReportTable {
  caption: string
  header: string[]
  /** Every cell as text; the first cell of each row heads that row. */
  rows: string[][]
  /** Relative column widths for the PDF. */
  widths: number[]
  /** Columns whose cells align right (counts). */
  numeric: boolean[]
}

export interface ReportModel {
  lang: string
  title: string
  subtitle: string
  facts: { label: string; value: string }[]
  picture: { heading: string; alt: string; scene: Scene }
  register: { heading: string; intro: string; table: ReportTable | null }
  coverage: { heading: string; intro: string; counts: ReportTable; matrix: ReportTable | null }
  votes: { heading: string; paragraphs: string[]; table: ReportTable | null }
  /** "Page {n} of {total}" with the numbers left to fill in. */
  pageLabel: (n: number, total: number) => string
  noActivities: string
}

export interface ReportInput {
  view: BoardView
  cards: PlacedCard[]
  vote: VoteState
  lang: string
  t: ReportT
  /** The export date, already formatted (YYYY-MM-DD). */
  date: string
  versionName: string | null
  statusLabel: (activity: ActivityRow) => string
}

export function reportModel(input: ReportInput): ReportModel {
  const { t } = input
  const view = safeView(input.view)
  const { tasks, paths } = targetsOf(view)
  const coverage = computeCoverage(view.activities, tasks, paths)
  const sectors = new Map(view.meta.template.sectors.map((s) => [s.id, s.label]))
  const taskShort = new Map(tasks.map((task, i) => [task.id, t('coverage.taskShort', { n: i + 1 })]))
  const pathShort = new Map(paths.map((path, i) => [path.id, t('coverage.pathShort', { n: i + 1 })]))
  const ordered = registerOrder(view.activities)
  const byId = new Map(coverage.activities.map((a) => [a.id, a]))
  const titleOf = (a: ActivityRow) => a.title || t('card.untitled')
  const template = view.meta.template

  // Noon local time: the legend prints the local date, which must be the date given.
  const legend = legendModel({ title: view.meta.title, date: new Date(`${input.date}T12:00:00`), source: template.source, tasks: template.tasks, paths, activities: view.activities }, t)
  const scene = boardPicture({
    template,
    paths: view.paths,
    coverage,
    cards: input.cards,
    labels: { tasks: template.tasks, paths, sectors: template.sectors },
    legend,
    cardWords: (a) => ({ untitled: t('card.untitled'), sectorNone: t('activity.sectorNone'), status: input.statusLabel(a), hits: (count, total) => t('activity.hits', { count, total }) }),
  })

  const list = (items: { label: string; count: number }[], short: Map<string, string>, ids: string[]) =>
    items.map((item, i) => t('report.altItem', { short: short.get(ids[i]) ?? '', name: item.label, count: item.count })).join('; ')
  const altParts = [t(template.layout === 'circle' ? 'report.altCircle' : template.layout === 'matrix' ? 'report.altMatrix' : 'report.altNone', { count: view.activities.length, programme: template.title })]
  if (coverage.tasks.length) altParts.push(t('report.altTasks', { list: list(coverage.tasks, taskShort, coverage.tasks.map((c) => c.id)) }))
  if (coverage.paths.length) altParts.push(t('report.altPaths', { list: list(coverage.paths, pathShort, coverage.paths.map((c) => c.id)) }))
  if (coverage.uncoveredPaths.length) altParts.push(t('report.altUncovered', { list: coverage.uncoveredPaths.map((id) => pathShort.get(id)).join(', ') }))

  const registerTable: ReportTable | null = ordered.length
    ? {
        caption: t('report.registerCaption'),
        header: [
          t('register.column.title'),
          t('register.column.description'),
          t('register.column.sector'),
          t('register.column.responsible'),
          t('register.column.partners'),
          t('register.column.collaboration'),
          t('register.column.timeframe'),
          t('register.column.year'),
          t('register.column.status'),
          t('register.column.childRights'),
          t('report.columnTasks'),
          t('report.columnPaths'),
          t('register.column.votes'),
        ],
        rows: ordered.map((a) => {
          const hits = byId.get(a.id)!
          return [
            titleOf(a),
            a.description,
            sectors.get(a.sector) ?? a.sector,
            a.responsible,
            a.partners,
            a.collaboration ? t(`activity.collaboration.${a.collaboration}`) : '',
            a.timeframe ? t(`activity.timeframe.${a.timeframe}`) : '',
            a.year === null ? '' : String(a.year),
            input.statusLabel(a),
            a.childRights ? t('register.yes') : '',
            hits.taskIds.map((id) => taskShort.get(id)).join(', '),
            hits.pathIds.map((id) => pathShort.get(id)).join(', '),
            String(voteCount(resultsOf(input.vote), a.id)),
          ]
        }),
        widths: [14, 16, 9, 9, 9, 8, 7, 4.5, 6.5, 5.5, 6, 6, 4.5],
        numeric: [false, false, false, false, false, false, false, true, false, false, false, false, true],
      }
    : null

  const counts: ReportTable = {
    caption: t('report.countsCaption'),
    header: [t('report.columnShort'), t('report.columnName'), t('report.columnCount')],
    rows: [
      ...coverage.tasks.map((c) => [taskShort.get(c.id)!, c.label, String(c.count)]),
      ...coverage.paths.map((c) => [pathShort.get(c.id)!, c.label, String(c.count)]),
    ],
    widths: [6, 60, 14],
    numeric: [false, false, true],
  }
  const shorts = [...tasks.map((x) => taskShort.get(x.id)!), ...paths.map((x) => pathShort.get(x.id)!)]
  const matrix: ReportTable | null = ordered.length
    ? {
        caption: t('report.matrixCaption'),
        header: [t('register.matrix.activity'), ...shorts, t('register.column.pathsHit')],
        rows: [
          ...ordered.map((a) => {
            const hits = byId.get(a.id)!
            return [titleOf(a), ...tasks.map((x) => (hits.taskIds.includes(x.id) ? t('register.yes') : '')), ...paths.map((x) => (hits.pathIds.includes(x.id) ? t('register.yes') : '')), String(hits.pathIds.length)]
          }),
          [t('register.matrix.total'), ...coverage.tasks.map((c) => String(c.count)), ...coverage.paths.map((c) => String(c.count)), String(coverage.activities.reduce((n, a) => n + a.pathIds.length, 0))],
        ],
        widths: [Math.max(20, 60 - 2 * shorts.length), ...shorts.map(() => 4), 8],
        numeric: [false, ...shorts.map(() => true), true],
      }
    : null

  return {
    lang: input.lang,
    title: view.meta.title,
    subtitle: t('report.subtitle'),
    facts: [
      { label: t('report.programme'), value: template.title },
      { label: t('report.exported'), value: input.date },
      { label: t('report.version'), value: input.versionName ?? t('report.versionNow') },
      { label: t('report.activities'), value: String(view.activities.length) },
      { label: t('report.source'), value: template.source },
      { label: t('report.madeWith'), value: 'Snurra' },
    ],
    picture: { heading: t('report.pictureHeading'), alt: altParts.join(' '), scene },
    register: { heading: t('report.registerHeading'), intro: t('report.registerIntro', { count: ordered.length }), table: registerTable },
    coverage: { heading: t('report.coverageHeading'), intro: t('report.coverageIntro'), counts, matrix },
    votes: votesSection(input, ordered, titleOf),
    pageLabel: (n, total) => t('report.page', { n, total }),
    noActivities: t('report.noActivities'),
  }
}

function votesSection(input: ReportInput, ordered: ActivityRow[], titleOf: (a: ActivityRow) => string): ReportModel['votes'] {
  const { t } = input
  // Written by the server, but an old board may hold anything: read each field for what it is.
  const raw = (typeof input.vote === 'object' && input.vote !== null ? input.vote : {}) as Partial<Record<keyof VoteState, unknown>>
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)
  const vote = {
    status: raw.status === 'open' || raw.status === 'closed' ? raw.status : 'idle',
    round: count(raw.round),
    results: (typeof raw.results === 'object' && raw.results !== null ? raw.results : {}) as Record<string, unknown>,
    hideResultsUntilEnd: raw.hideResultsUntilEnd !== false,
  }
  const heading = t('report.votesHeading')
  if (vote.round === 0 || vote.status === 'idle') return { heading, paragraphs: [t('report.votesNone')], table: null }
  const paragraphs = [
    t(count(raw.voters) === 1 ? 'report.votesSummaryOne' : 'report.votesSummary', { round: vote.round, status: t(vote.status === 'open' ? 'report.votesOpen' : 'report.votesClosed'), voters: count(raw.voters), perPerson: count(raw.votesPerPerson) }),
    t('report.votesLastOnly'),
  ]
  const hidden = vote.status === 'open' && vote.hideResultsUntilEnd
  const voted = ordered.map((a) => ({ a, n: voteCount(vote.results, a.id) })).filter((x) => x.n > 0)
  voted.sort((x, y) => y.n - x.n)
  if (hidden) paragraphs.push(t('report.votesHidden'))
  else if (voted.length === 0) paragraphs.push(t('report.votesEmpty'))
  const table: ReportTable | null =
    hidden || voted.length === 0
      ? null
      : { caption: t('report.votesCaption'), header: [t('register.column.title'), t('register.column.votes')], rows: voted.map(({ a, n }) => [titleOf(a), String(n)]), widths: [70, 12], numeric: [false, true] }
  return { heading, paragraphs, table }
}

const resultsOf = (vote: VoteState): Record<string, unknown> => (typeof vote?.results === 'object' && vote.results !== null ? vote.results : {})
