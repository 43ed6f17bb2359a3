/**
 * The planner's data on real board documents: the activity register and coverage matrix
 * (core/register.ts), the CSV written from them (server/export/register-files.ts) and read back
 * (core/register-import.ts), the comparison of two states (core/compare.ts), the JSON backup
 * (core/backup.ts) and where imported cards go (core/card-placement.ts).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { toBase64 } from 'lib0/buffer'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { defaultActivity, type Activity } from '../../core/activity.ts'
import { BACKUP_FORMAT, BackupError, decodeBackup, encodeBackup } from '../../core/backup.ts'
import { metaOf } from '../../core/board-meta.ts'
import { appendPaths, seedBoard } from '../../core/board-doc.ts'
import { readBoardView, type BoardView } from '../../core/board-view.ts'
import { placeNewCards } from '../../core/card-placement.ts'
import { compareBoards } from '../../core/compare.ts'
import { formatCsv } from '../../core/csv.ts'
import { deletePath, renamePath } from '../../core/paths.ts'
import { deleteRecord, readAllRecords, recordsOf, type JsonRecord } from '../../core/record-store.ts'
import { MAX_IMPORT_ROWS, readRegisterCsv, type ImportError } from '../../core/register-import.ts'
import { coverageMatrix, registerTable } from '../../core/register.ts'
import { CARD_SIZE, CARD_TYPE } from '../../core/shapes.ts'
import { PAGE_ID } from '../../core/template-record.ts'
import { validateTemplate, type Template } from '../../core/template.ts'
import { allLabels, labelsFor, translate } from '../../server/export/labels.ts'
import { registerCsv } from '../../server/export/register-files.ts'
import { cardRecord, write } from '../helpers/records.ts'

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates')
const template = (name: string): Template => validateTemplate(JSON.parse(readFileSync(join(TEMPLATES, `${name}.json`), 'utf8')), name)
const HALLUNDA = template('hallunda-norsborg')
const TASK = Object.fromEntries(HALLUNDA.tasks.map((t) => [t.id, t.label])) as Record<'uppvaxtvillkor' | 'jobbchanser' | 'samspel' | 'stadsmiljo', string>
const sv = labelsFor('sv')
const en = labelsFor('en')
const set = (...ids: string[]) => Object.fromEntries(ids.map((id) => [id, true as const]))

/** A seeded Hallunda board with three action paths (made-up test names, not the programme's). */
function makeBoard(paths = ['Väg ett', 'Väg två', 'Väg tre'], title = 'Workshop Hallunda') {
  const doc = new Y.Doc()
  seedBoard(doc, HALLUNDA, title, 1_700_000_000_000)
  const ids = appendPaths(doc, paths)
  return { doc, paths: ids, view: () => readBoardView(doc)! }
}

function card(doc: Y.Doc, n: string, props: Partial<Activity>) {
  write(doc, cardRecord(n, { props: { ...defaultActivity(), ...props } }))
}

/** Three cards that between them use every field. */
function sampleBoard() {
  const board = makeBoard()
  const [p1, p2, p3] = board.paths
  card(board.doc, 'laxhjalp', {
    title: 'Läxhjälp',
    description: 'Fler elever klarar skolan',
    sector: 'bildning',
    responsible: 'Utbildningsnämnden',
    partners: 'Biblioteket, Studieförbund',
    collaboration: 'with-others',
    timeframe: 'near',
    year: 2026,
    status: 'ongoing',
    childRights: true,
    tasks: set('uppvaxtvillkor'),
    paths: set(p1, p3),
  })
  card(board.doc, 'arbete', {
    title: 'Arbetsmarknadsdagar',
    sector: 'sociala',
    collaboration: 'own',
    timeframe: 'longer',
    status: 'planned',
    tasks: set('jobbchanser', 'samspel'),
    paths: set(p2, 'deleted-path'),
  })
  card(board.doc, 'forskola', { title: 'Öppen förskola', status: 'idea' })
  return board
}

const activityOf = (row: Activity & { id?: string }): Activity => {
  const { id: _id, ...rest } = row
  return rest
}

describe('registerTable', () => {
  it('has one row per activity in Swedish order, with every field, 1 under each hit task and path, paths hit and votes', () => {
    const board = sampleBoard()
    const table = registerTable(board.view(), { 'shape:card-laxhjalp': 3 }, sv)
    expect(table.header).toEqual([
      'Id',
      'Aktivitet',
      'Önskat resultat',
      'Sektor',
      'Ansvarig nämnd',
      'Samverkansparter',
      'Egen eller med andra',
      'Tidsperspektiv',
      'År',
      'Status',
      'Berör barn och unga',
      `Huvuduppgift: ${TASK.uppvaxtvillkor}`,
      `Huvuduppgift: ${TASK.jobbchanser}`,
      `Huvuduppgift: ${TASK.samspel}`,
      `Huvuduppgift: ${TASK.stadsmiljo}`,
      'Handlingsväg: Väg ett',
      'Handlingsväg: Väg två',
      'Handlingsväg: Väg tre',
      'Antal handlingsvägar',
      'Röster',
    ])
    expect(table.rows).toEqual([
      // "Arbetsmarknadsdagar" < "Läxhjälp" < "Öppen förskola" (Ö sorts last in Swedish).
      ['shape:card-arbete', 'Arbetsmarknadsdagar', '', 'Sociala sektorn', '', '', 'Kommunens egen aktivitet', 'På längre sikt', '', 'Planerad', '', '', 1, 1, '', '', 1, '', 1, 0],
      [
        'shape:card-laxhjalp',
        'Läxhjälp',
        'Fler elever klarar skolan',
        'Bildningssektorn',
        'Utbildningsnämnden',
        'Biblioteket, Studieförbund',
        'Tillsammans med andra aktörer',
        'I närtid',
        2026,
        'Pågår',
        'Ja',
        1,
        '',
        '',
        '',
        1,
        '',
        1,
        2,
        3,
      ],
      ['shape:card-forskola', 'Öppen förskola', '', '', '', '', '', '', '', 'Idé', '', '', '', '', '', '', '', '', 0, 0],
    ])
  })

  it('follows the language: English headers and values, template words (sectors, tasks) unchanged', () => {
    const table = registerTable(sampleBoard().view(), {}, en)
    expect(table.header.slice(0, 11)).toEqual([
      'Id',
      'Activity',
      'Intended result',
      'Sector',
      'Responsible committee',
      'Partners',
      'Own or with others',
      'Timeframe',
      'Year',
      'Status',
      'Concerns children and young people',
    ])
    expect(table.header.slice(11)).toEqual([
      `Main task: ${TASK.uppvaxtvillkor}`,
      `Main task: ${TASK.jobbchanser}`,
      `Main task: ${TASK.samspel}`,
      `Main task: ${TASK.stadsmiljo}`,
      'Action path: Väg ett',
      'Action path: Väg två',
      'Action path: Väg tre',
      'Action paths hit',
      'Votes',
    ])
    const laxhjalp = table.rows.find((r) => r[0] === 'shape:card-laxhjalp')!
    expect(laxhjalp.slice(3, 11)).toEqual(['Bildningssektorn', 'Utbildningsnämnden', 'Biblioteket, Studieförbund', 'Together with other actors', 'Near term', 2026, 'Ongoing', 'Yes'])
  })

  it('keeps an unknown sector id as it is and follows renamed and deleted paths', () => {
    const board = sampleBoard()
    card(board.doc, 'gammal', { title: 'Gammal sektor', sector: 'nedlagd-sektor' })
    renamePath(board.doc, board.paths[0], 'Väg ETT')
    deletePath(board.doc, board.paths[2])
    const table = registerTable(board.view(), {}, sv)
    expect(table.header.filter((h) => h.startsWith('Handlingsväg'))).toEqual(['Handlingsväg: Väg ETT', 'Handlingsväg: Väg två'])
    expect(table.rows.find((r) => r[0] === 'shape:card-gammal')![3]).toBe('nedlagd-sektor')
    const laxhjalp = table.rows.find((r) => r[0] === 'shape:card-laxhjalp')!
    expect(laxhjalp.slice(15)).toEqual([1, '', 1, 0])
  })

  it('an empty board has the header and no rows', () => {
    const table = registerTable(makeBoard([]).view(), {}, sv)
    expect(table.rows).toEqual([])
    expect(table.header).toHaveLength(11 + 4 + 2)
  })
})

describe('coverageMatrix', () => {
  it('activities × tasks and paths, paths hit per activity, and a totals row per task and path', () => {
    const board = sampleBoard()
    card(board.doc, 'alla', { title: 'Alla vägar', tasks: set('uppvaxtvillkor', 'stadsmiljo'), paths: set(...board.paths) })
    const matrix = coverageMatrix(board.view(), sv)
    expect(matrix.header).toEqual([
      'Aktivitet',
      ...HALLUNDA.tasks.map((t) => `Huvuduppgift: ${t.label}`),
      'Handlingsväg: Väg ett',
      'Handlingsväg: Väg två',
      'Handlingsväg: Väg tre',
      'Antal handlingsvägar',
    ])
    expect(matrix.rows).toEqual([
      ['Alla vägar', 1, '', '', 1, 1, 1, 1, 3],
      ['Arbetsmarknadsdagar', '', 1, 1, '', '', 1, '', 1],
      ['Läxhjälp', 1, '', '', '', 1, '', 1, 2],
      ['Öppen förskola', '', '', '', '', '', '', '', 0],
      ['Summa', 2, 1, 1, 1, 2, 2, 2, 6],
    ])
    expect(coverageMatrix(board.view(), en).rows.at(-1)![0]).toBe('Total')
  })
})

describe('registerCsv', () => {
  it('is the register table as CSV with BOM and CRLF, semicolons on request, formula-like text neutralised', () => {
    const board = makeBoard(['Väg ett'])
    card(board.doc, 'f1', { title: '=HYPERLINK("http://evil","x")', description: '@SUM(1)', partners: '-2+3', responsible: '+46', year: 2026 })
    const csv = registerCsv(board.view(), {}, 'sv', ';')
    expect(csv.startsWith('\uFEFFId;Aktivitet;Önskat resultat;')).toBe(true)
    const lines = csv.slice(1).split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(lines[1]).toBe(`shape:card-f1;"'=HYPERLINK(""http://evil"",""x"")";'@SUM(1);;'+46;'-2+3;;;2026;Idé;;;;;;;0;0`)
    expect(registerCsv(board.view(), {}, 'en', ',').slice(1).split('\r\n')[0]).toMatch(/^Id,Activity,Intended result,/)
  })
})

// ---------------------------------------------------------------------------------------------

const read = (text: string, view: BoardView) => readRegisterCsv(text, view, allLabels)
const errorsOf = (text: string, view: BoardView) => {
  const result = read(text, view)
  expect(result.activities, 'nothing is returned when any row is bad').toEqual([])
  return result.errors
}
const keys = (errors: ImportError[]) => errors.map((e) => [e.line, e.key])

describe('readRegisterCsv: round trip', () => {
  it.each([
    ['sv', ','],
    ['sv', ';'],
    ['en', ','],
    ['en', ';'],
  ] as const)('export (%s, %j) → import gives the same activities: fields, tasks and paths', (lang, delimiter) => {
    const board = sampleBoard()
    card(board.doc, 'formel', { title: '=HYPERLINK("http://evil","x")', description: '-2+3', partners: '@SUM(1)', status: 'done' })
    card(board.doc, 'rader', { title: 'Flera, "rader"', description: 'rad ett\r\nrad två', year: 2030 })
    const view = board.view()
    const text = registerCsv(view, { 'shape:card-laxhjalp': 4 }, lang, delimiter)
    const { activities, errors } = read(text, view)
    expect(errors).toEqual([])
    // The register's order; the deleted path's id is not in the file and does not come back.
    const expected = registerTable(view, {}, sv).rows.map((r) => view.activities.find((a) => a.id === r[0])!)
    const withoutGone = expected.map((a) => ({ ...activityOf(a), paths: Object.fromEntries(Object.entries(a.paths).filter(([id]) => board.paths.includes(id))) }))
    expect(activities).toEqual(withoutGone)
  })

  it('matches tasks and paths by name, so a file from one board imports into another with the same paths', () => {
    const source = sampleBoard()
    const text = registerCsv(source.view(), {}, 'sv', ',')
    const target = makeBoard(['Väg tre', 'Väg ett', 'Väg två']) // other ids, other order
    const [t3, t1, t2] = target.paths
    const { activities, errors } = read(text, target.view())
    expect(errors).toEqual([])
    const byTitle = Object.fromEntries(activities.map((a) => [a.title, a]))
    expect(byTitle['Läxhjälp'].paths).toEqual(set(t1, t3))
    expect(byTitle['Läxhjälp'].tasks).toEqual(set('uppvaxtvillkor'))
    expect(byTitle['Arbetsmarknadsdagar'].paths).toEqual(set(t2))
    expect(byTitle['Arbetsmarknadsdagar'].tasks).toEqual(set('jobbchanser', 'samspel'))
  })
})

describe('readRegisterCsv: paths that share a name', () => {
  it('get numbered columns, so each comes back to its own path', () => {
    const board = makeBoard(['Läxhjälp', 'Läxhjälp', 'Språkcafé'])
    const [first, second, third] = board.paths
    card(board.doc, 'a', { title: 'Andra vägen', paths: set(second) })
    card(board.doc, 'b', { title: 'Första och tredje', paths: set(first, third) })
    const view = board.view()
    const text = registerCsv(view, {}, 'sv', ';')
    expect(text).toContain('Handlingsväg: Läxhjälp;Handlingsväg: Läxhjälp (2);Handlingsväg: Språkcafé')
    const { activities, errors } = read(text, view)
    expect(errors).toEqual([])
    const byTitle = Object.fromEntries(activities.map((a) => [a.title, a.paths]))
    expect(byTitle).toEqual({ 'Andra vägen': set(second), 'Första och tredje': set(first, third) })
  })
})

describe('readRegisterCsv: headers', () => {
  it('accepts Swedish, English and code headers, in any order and case, with extra spaces', () => {
    const { view, paths } = makeBoard()
    const text = [
      `  AKTIVITET ,Sector,status,År,childRights,Huvuduppgift: ${TASK.samspel},Main task: ${TASK.stadsmiljo},handlingsväg: väg ett,Action path: Väg två,Id,Röster,pathsHit`,
      'Läxhjälp,bildning,planned,2027,ja,1,x,1,,shape:whatever,12,3',
    ].join('\r\n')
    const { activities, errors } = read(text, view())
    expect(errors).toEqual([])
    expect(activities).toEqual([
      { ...defaultActivity(), title: 'Läxhjälp', sector: 'bildning', status: 'planned', year: 2027, childRights: true, tasks: set('samspel', 'stadsmiljo'), paths: set(paths[0]) },
    ])
  })

  it('accepts a bare task or path name as a header', () => {
    const { view, paths } = makeBoard()
    const { activities, errors } = read(`Aktivitet;${TASK.jobbchanser};Väg tre\r\nA;1;1\r\nB;;x\r\n`, view())
    expect(errors).toEqual([])
    expect(activities.map((a) => [a.title, a.tasks, a.paths])).toEqual([
      ['A', set('jobbchanser'), set(paths[2])],
      ['B', {}, set(paths[2])],
    ])
  })

  it('a bare name that is both a task and a path is ambiguous; the prefixed headers are not', () => {
    const { view, paths } = makeBoard([TASK.stadsmiljo])
    const bare = errorsOf(`Aktivitet,${TASK.stadsmiljo}\r\nA,1\r\n`, view())
    expect(bare).toEqual([{ line: 1, key: 'import.error.ambiguousColumn', vars: { name: TASK.stadsmiljo } }])
    const { activities, errors } = read(`Aktivitet,Huvuduppgift: ${TASK.stadsmiljo},Action path: ${TASK.stadsmiljo}\r\nA,1,\r\nB,,1\r\n`, view())
    expect(errors).toEqual([])
    expect(activities.map((a) => [a.tasks, a.paths])).toEqual([
      [set('stadsmiljo'), {}],
      [{}, set(paths[0])],
    ])
  })

  it('reports unknown and duplicate columns and a missing title column, all on line 1', () => {
    const { view } = makeBoard()
    const errors = errorsOf('Aktivitet,Färg,Activity,Huvuduppgift: Finns inte\r\nA,röd,A,1\r\n', view())
    expect(errors).toEqual([
      { line: 1, key: 'import.error.unknownColumn', vars: { name: 'Färg' } },
      { line: 1, key: 'import.error.duplicateColumn', vars: { name: 'Activity' } },
      { line: 1, key: 'import.error.unknownColumn', vars: { name: 'Huvuduppgift: Finns inte' } },
    ])
    expect(errorsOf('Sektor,Status\r\nbildning,idea\r\n', view())).toEqual([{ line: 1, key: 'import.error.noTitleColumn' }])
    // The header row comes after blank lines: its own line is reported.
    expect(errorsOf('\r\n\r\nSektor\r\nbildning\r\n', view())).toEqual([{ line: 3, key: 'import.error.noTitleColumn' }])
  })

  it('an empty file, or a header with no activities, is one error', () => {
    const { view } = makeBoard()
    expect(errorsOf('', view())).toEqual([{ line: 1, key: 'import.error.empty' }])
    expect(errorsOf('\uFEFF\r\n', view())).toEqual([{ line: 1, key: 'import.error.empty' }])
    expect(errorsOf('\r\nAktivitet\r\n\r\n', view())).toEqual([{ line: 2, key: 'import.error.empty' }])
  })

  it('a CSV syntax error names its line', () => {
    const { view } = makeBoard()
    expect(errorsOf('Aktivitet,År\r\nA,2026\r\n"B\r\nC,2027\r\n', view())).toEqual([
      { line: 3, key: 'import.error.syntax', vars: { reason: 'unterminated quoted field' } },
    ])
  })

  it(`refuses more than ${MAX_IMPORT_ROWS} rows`, () => {
    const { view } = makeBoard()
    const text = ['Aktivitet', ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `A${i}`)].join('\n')
    expect(errorsOf(text, view())).toEqual([{ line: MAX_IMPORT_ROWS + 2, key: 'import.error.tooMany', vars: { max: String(MAX_IMPORT_ROWS) } }])
    expect(read(text.slice(0, text.lastIndexOf('\n')), view()).activities).toHaveLength(MAX_IMPORT_ROWS)
  })
})

describe('readRegisterCsv: values', () => {
  it('reads enum values as codes or labels in either language, case-insensitively', () => {
    const { view } = makeBoard()
    const rows: [string, Partial<Activity>][] = [
      ['A,ongoing,near,own', { status: 'ongoing', timeframe: 'near', collaboration: 'own' }],
      ['B,Pågår,I närtid,Kommunens egen aktivitet', { status: 'ongoing', timeframe: 'near', collaboration: 'own' }],
      ['C,Done,Longer term,Together with other actors', { status: 'done', timeframe: 'longer', collaboration: 'with-others' }],
      ['D,GENOMFÖRD,på längre sikt,tillsammans med andra aktörer', { status: 'done', timeframe: 'longer', collaboration: 'with-others' }],
      ['E,idé,,', { status: 'idea', timeframe: '', collaboration: '' }],
      ['F,Planned,longer,with-others', { status: 'planned', timeframe: 'longer', collaboration: 'with-others' }],
    ]
    const { activities, errors } = read(['Aktivitet,Status,Tidsperspektiv,Own or with others', ...rows.map((r) => r[0])].join('\n'), view())
    expect(errors).toEqual([])
    expect(activities).toEqual(rows.map(([line, fields]) => ({ ...defaultActivity(), title: line.split(',')[0], ...fields })))
  })

  it('without a status column, or with the status left blank, an activity is an idea', () => {
    const { view } = makeBoard()
    expect(read('Aktivitet\nA\n', view()).activities).toEqual([{ ...defaultActivity(), title: 'A' }])
    expect(read('Aktivitet,Status\nA,\nB,  \nC,done\n', view()).activities.map((a) => a.status)).toEqual(['idea', 'idea', 'done'])
  })

  it('reads a sector by id or label, in any case', () => {
    const { view } = makeBoard()
    const { activities, errors } = read('Aktivitet;Sektor\nA;bildning\nB;Sociala sektorn\nC;SAMHÄLLSBYGGNADSSEKTORN\nD; verksamhetsstod \nE;\n', view())
    expect(errors).toEqual([])
    expect(activities.map((a) => a.sector)).toEqual(['bildning', 'sociala', 'samhallsbyggnad', 'verksamhetsstod', ''])
  })

  it('reads yes/no flags in both languages', () => {
    const { view } = makeBoard()
    const { activities, errors } = read('Aktivitet,Berör barn och unga,Handlingsväg: Väg ett\nA,Ja,1\nB,yes,x\nC,TRUE,sant\nD,nej,0\nE,No,\nF,,false\n', view())
    expect(errors).toEqual([])
    expect(activities.map((a) => [a.title, a.childRights, Object.keys(a.paths).length])).toEqual([
      ['A', true, 1],
      ['B', true, 1],
      ['C', true, 1],
      ['D', false, 0],
      ['E', false, 0],
      ['F', false, 0],
    ])
  })

  it('takes off the apostrophe its own export put before a formula-like cell, and nothing else', () => {
    const { view } = makeBoard()
    const { activities } = read(`Aktivitet,Önskat resultat\n"'=HYPERLINK(""http://evil"",""x"")",'-2+3\n'@SUM(1),'vanlig text\n`, view())
    expect(activities.map((a) => [a.title, a.description])).toEqual([
      ['=HYPERLINK("http://evil","x")', '-2+3'],
      ['@SUM(1)', "'vanlig text"],
    ])
  })

  it('trims free text and ignores the id and computed columns', () => {
    const { view } = makeBoard()
    const { activities } = read('Id,Aktivitet,Ansvarig nämnd,Röster,Antal handlingsvägar\nshape:x,  Läxhjälp  , Utbildningsnämnden ,99,7\n', view())
    expect(activities).toEqual([{ ...defaultActivity(), title: 'Läxhjälp', responsible: 'Utbildningsnämnden' }])
  })
})

describe('readRegisterCsv: per-line errors', () => {
  it('reports every bad row with its real line number and reason, several at once, and returns no activity', () => {
    const { view } = makeBoard()
    const text = [
      'Aktivitet;Önskat resultat;Sektor;Status;År;Berör barn och unga;Tidsperspektiv;Handlingsväg: Väg ett', // 1
      'Bra rad;;bildning;Pågår;2026;Ja;I närtid;1', // 2
      ';utan namn;;;;;;', // 3
      'Fel år;;;;20x6;;;', // 4
      'Två fel;;Okänd sektor;Kanske;;;;', // 5
      'Lång beskrivning;"första raden', // 6
      'andra raden";;;;;;', // 7
      'Fel tid;;;;;;Snart;', // 8
      'För många;;;;;;;;extra', // 9
      '', // 10 (blank)
      'Tidigt år;;;;1999;;;', // 11
      'Barn;;;;;kanske;;', // 12
      'Väg;;;;;;;ja tack', // 13
      `${'x'.repeat(201)};;;;;;;`, // 14
      'Sent år;;;;2101;;;', // 15
      'Halvt år;;;;2026.5;;;', // 16
      'Också bra;;;;;;;', // 17
    ].join('\r\n')
    const errors = errorsOf(text, view())
    expect(keys(errors)).toEqual([
      [3, 'import.error.noTitle'],
      [4, 'import.error.badYear'],
      [5, 'import.error.unknownSector'],
      [5, 'import.error.badValue'],
      [8, 'import.error.badValue'],
      [9, 'import.error.extraFields'],
      [11, 'import.error.badYear'],
      [12, 'import.error.badValue'],
      [13, 'import.error.badValue'],
      [14, 'import.error.tooLong'],
      [15, 'import.error.badYear'],
      [16, 'import.error.badYear'],
    ])
    expect(errors.find((e) => e.line === 4)!.vars).toEqual({ value: '20x6' })
    expect(errors.filter((e) => e.line === 5).map((e) => e.vars)).toEqual([{ value: 'Okänd sektor' }, { column: 'Status', value: 'Kanske' }])
    expect(errors.find((e) => e.line === 8)!.vars).toEqual({ column: 'Tidsperspektiv', value: 'Snart' })
    expect(errors.find((e) => e.line === 9)!.vars).toEqual({ found: '9', expected: '8' })
    expect(errors.find((e) => e.line === 13)!.vars).toEqual({ column: 'Handlingsväg: Väg ett', value: 'ja tack' })
    expect(errors.find((e) => e.line === 14)!.vars).toEqual({ column: 'Aktivitet', max: '200' })
    // Every message reads well in both languages (no key or placeholder left over).
    for (const e of errors) {
      for (const lang of ['sv', 'en'] as const) expect(translate(lang, e.key, e.vars)).not.toMatch(/\{|import\.error/)
    }
  })

  it('one bad row among good ones is enough to return nothing', () => {
    const { view } = makeBoard()
    const good = Array.from({ length: 50 }, (_, i) => `Aktivitet ${i},2026`)
    const text = ['Aktivitet,År', ...good.slice(0, 30), 'Trasig,tjugo', ...good.slice(30)].join('\n')
    expect(errorsOf(text, view())).toEqual([{ line: 32, key: 'import.error.badYear', vars: { value: 'tjugo' } }])
    expect(read(['Aktivitet,År', ...good].join('\n'), view()).activities).toHaveLength(50)
  })

  it('a trailing delimiter (empty fields after the last column, header too) is not an error', () => {
    const { view } = makeBoard()
    const { activities, errors } = read('Aktivitet,År,,\r\nA,2026,\r\nB,,,\r\n', view())
    expect(errors).toEqual([])
    expect(activities.map((a) => [a.title, a.year])).toEqual([
      ['A', 2026],
      ['B', null],
    ])
    // A value past the last named column is an error of its line, though.
    expect(errorsOf('Aktivitet,År,\r\nA,2026,\r\nB,,oj\r\n', view())).toEqual([{ line: 3, key: 'import.error.extraFields', vars: { found: '3', expected: '2' } }])
    // An empty header cell between named columns is no column.
    expect(keys(errorsOf('Aktivitet,,År\r\nA,,2026\r\n', view()))).toEqual([[1, 'import.error.unknownColumn']])
  })
})

// ---------------------------------------------------------------------------------------------

describe('compareBoards', () => {
  it('lists activities added, removed, and changed (status, paths and tasks as names)', () => {
    const board = sampleBoard()
    const [p1, p2, p3] = board.paths
    const before = board.view()
    card(board.doc, 'laxhjalp', {
      ...before.activities.find((a) => a.id === 'shape:card-laxhjalp')!,
      status: 'done',
      paths: set(p1, p2, p3),
    })
    card(board.doc, 'forskola', { title: 'Öppen förskola', status: 'idea', tasks: set('stadsmiljo') })
    board.doc.transact(() => deleteRecord(recordsOf(board.doc), 'shape:card-arbete'))
    card(board.doc, 'ny', { title: 'Ny mötesplats' })
    const result = compareBoards(before, board.view())
    expect(result.added).toEqual([{ id: 'shape:card-ny', title: 'Ny mötesplats' }])
    expect(result.removed).toEqual([{ id: 'shape:card-arbete', title: 'Arbetsmarknadsdagar' }])
    expect(result.changed).toEqual([
      {
        id: 'shape:card-laxhjalp',
        title: 'Läxhjälp',
        changes: [
          { field: 'status', before: 'ongoing', after: 'done' },
          { field: 'paths', before: ['Väg ett', 'Väg tre'], after: ['Väg ett', 'Väg två', 'Väg tre'] },
        ],
      },
      { id: 'shape:card-forskola', title: 'Öppen förskola', changes: [{ field: 'tasks', before: [], after: [TASK.stadsmiljo] }] },
    ])
  })

  it('the same board compares as unchanged; a renamed path shows under each state’s own name', () => {
    const board = sampleBoard()
    const before = board.view()
    expect(compareBoards(before, board.view())).toEqual({ added: [], removed: [], changed: [] })
    renamePath(board.doc, board.paths[0], 'Väg 1')
    const result = compareBoards(before, board.view())
    expect(result.changed).toEqual([{ id: 'shape:card-laxhjalp', title: 'Läxhjälp', changes: [{ field: 'paths', before: ['Väg ett', 'Väg tre'], after: ['Väg 1', 'Väg tre'] }] }])
  })

  it('reports every field that changed, with before and after', () => {
    const board = sampleBoard()
    const before = board.view()
    card(board.doc, 'forskola', {
      title: 'Öppen förskola i Hallunda',
      description: 'd',
      sector: 'sociala',
      responsible: 'r',
      partners: 'p',
      collaboration: 'own',
      timeframe: 'near',
      year: 2027,
      status: 'planned',
      childRights: true,
    })
    const [changed] = compareBoards(before, board.view()).changed
    expect(changed.title).toBe('Öppen förskola i Hallunda')
    expect(changed.changes).toEqual([
      { field: 'title', before: 'Öppen förskola', after: 'Öppen förskola i Hallunda' },
      { field: 'description', before: '', after: 'd' },
      { field: 'sector', before: '', after: 'sociala' },
      { field: 'responsible', before: '', after: 'r' },
      { field: 'partners', before: '', after: 'p' },
      { field: 'collaboration', before: '', after: 'own' },
      { field: 'timeframe', before: '', after: 'near' },
      { field: 'year', before: null, after: 2027 },
      { field: 'status', before: 'idea', after: 'planned' },
      { field: 'childRights', before: false, after: true },
    ])
  })
})

// ---------------------------------------------------------------------------------------------

describe('JSON backup', () => {
  const INFO = { id: 'b1', title: 'Workshop Hallunda', templateId: 'hallunda-norsborg', createdAt: 1_700_000_000_000 }
  const stateOf = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc)

  it('encodes the whole document and its versions, and decodes them back exactly', () => {
    const board = sampleBoard()
    const v1 = stateOf(board.doc)
    card(board.doc, 'senare', { title: 'Senare' })
    const now = stateOf(board.doc)
    const backup = encodeBackup(INFO, now, [{ id: 'v1', name: 'Workshop 2026-11-23', createdAt: 5, state: v1 }], new Date('2026-11-23T10:00:00Z'))
    expect(backup).toMatchObject({ format: BACKUP_FORMAT, version: 1, exportedAt: '2026-11-23T10:00:00.000Z', board: INFO })
    const decoded = decodeBackup(JSON.parse(JSON.stringify(backup)))
    expect(decoded.board).toEqual(INFO)
    expect(Buffer.from(decoded.state).equals(Buffer.from(now))).toBe(true)
    expect(decoded.versions.map((v) => [v.id, v.name, v.createdAt])).toEqual([['v1', 'Workshop 2026-11-23', 5]])
    const restored = new Y.Doc()
    Y.applyUpdate(restored, decoded.state)
    expect(readBoardView(restored)).toEqual(board.view())
    const version = new Y.Doc()
    Y.applyUpdate(version, decoded.versions[0].state)
    expect(readBoardView(version)!.activities.map((a) => a.title).sort()).toEqual(['Arbetsmarknadsdagar', 'Läxhjälp', 'Öppen förskola'])
  })

  function rejects(value: unknown, field: string | RegExp) {
    let error: unknown
    try {
      decodeBackup(value)
    } catch (err) {
      error = err
    }
    expect(error, `expected ${JSON.stringify(value)?.slice(0, 80)} to be refused`).toBeInstanceOf(BackupError)
    if (typeof field === 'string') expect((error as BackupError).field).toBe(field)
    else expect((error as BackupError).field).toMatch(field)
  }
  const good = () => encodeBackup(INFO, stateOf(sampleBoard().doc), [])

  it('refuses what is not a backup: wrong shape, format, version, fields', () => {
    rejects(null, 'backup')
    rejects([], 'backup')
    rejects('snurra', 'backup')
    rejects({ ...good(), format: 'other' }, 'format')
    rejects({ ...good(), version: 2 }, 'version')
    rejects({ ...good(), board: null }, 'board')
    rejects({ ...good(), board: { ...INFO, title: '  ' } }, 'board.title')
    rejects({ ...good(), board: { ...INFO, title: 'x'.repeat(201) } }, 'board.title')
    rejects({ ...good(), board: { ...INFO, id: 7 } }, 'board.id')
    rejects({ ...good(), board: { ...INFO, createdAt: 'igår' } }, 'board.createdAt')
    rejects({ ...good(), versions: {} }, 'versions')
    rejects({ ...good(), document: 'inte base64!' }, 'document')
    rejects({ ...good(), document: 42 }, 'document')
  })

  it('refuses a document cut short anywhere, or with a byte changed', () => {
    const state = stateOf(sampleBoard().doc)
    for (const keep of [0.1, 0.25, 0.5, 0.75, 0.9, 0.99].map((f) => Math.floor(state.length * f)).concat(state.length - 1)) {
      rejects({ ...good(), document: toBase64(state.slice(0, keep)) }, 'document')
    }
    // Truncating the base64 text itself (a download cut off mid-way).
    const text = good().document
    rejects({ ...good(), document: text.slice(0, Math.floor(text.length / 2)) }, 'document')
    rejects({ ...good(), document: '' }, 'document')
  })

  it('refuses a document with a gap: edits whose earlier updates are missing (every part of it loads, the whole does not)', () => {
    const a = sampleBoard().doc
    const seeded = Y.encodeStateAsUpdate(a)
    write(a, cardRecord('senare', { props: { title: 'Senare' } }))
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const known = Y.encodeStateVector(b)
    write(b, cardRecord('senare', { x: 500, props: { title: 'Senare, ändrad' } }))
    const edit = Y.encodeStateAsUpdate(b, known)
    // The seed and the later edit, without the card's creation in between.
    rejects({ ...good(), document: toBase64(Y.mergeUpdates([seeded, edit])) }, 'document')
    // With the gap filled it is a whole board.
    expect(() => decodeBackup({ ...good(), document: toBase64(Y.encodeStateAsUpdate(b)) })).not.toThrow()
  })

  it('refuses a Yjs document that is not a Snurra board, or whose template is invalid', () => {
    const other = new Y.Doc()
    other.getMap('records').set('x', 1)
    other.getText('t').insert(0, 'hej')
    rejects({ ...good(), document: toBase64(stateOf(other)) }, 'document')
    const broken = sampleBoard().doc
    metaOf(broken).set('template', { id: 'x' })
    rejects({ ...good(), document: toBase64(stateOf(broken)) }, 'document')
  })

  it('refuses a backup with one bad version, naming it', () => {
    const state = stateOf(sampleBoard().doc)
    const backup = encodeBackup(INFO, state, [
      { id: 'v1', name: 'ok', createdAt: 1, state },
      { id: 'v2', name: 'trasig', createdAt: 2, state: state.slice(0, state.length >> 1) },
    ])
    rejects(JSON.parse(JSON.stringify(backup)), 'versions[1].document')
    rejects({ ...backup, versions: [{ id: 'v1', name: 'ok', createdAt: 1 }] }, 'versions[0].document')
  })

  it('refuses two versions with one id (a board keeps one version per id), and an empty id', () => {
    const state = stateOf(sampleBoard().doc)
    const twice = encodeBackup(INFO, state, [
      { id: 'v1', name: 'första', createdAt: 1, state },
      { id: 'v1', name: 'andra', createdAt: 2, state },
    ])
    rejects(JSON.parse(JSON.stringify(twice)), 'versions[1].id')
    rejects(JSON.parse(JSON.stringify(encodeBackup(INFO, state, [{ id: '', name: 'tom', createdAt: 1, state }]))), 'versions[0].id')
  })
})

// ---------------------------------------------------------------------------------------------

describe('placeNewCards', () => {
  type Box = { x: number; y: number; w: number; h: number }
  const box = (r: JsonRecord): Box => {
    const props = r.props as { w?: number; h?: number }
    return { x: r.x as number, y: r.y as number, w: props.w ?? 0, h: props.h ?? 0 }
  }
  const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

  it('lays new cards out in a grid right of everything, overlapping nothing, drawn above every shape', () => {
    const board = sampleBoard()
    write(board.doc, cardRecord('far', { x: 900, y: -300 }))
    const existing = readAllRecords(board.doc)
    const shapes = existing.filter((r) => r.typeName === 'shape')
    expect(shapes.some((s) => (s.meta as { template?: boolean }).template)).toBe(true)
    const activities = Array.from({ length: 14 }, (_, i) => ({ ...defaultActivity(), title: `Import ${i}`, tasks: set('samspel') }))
    let n = 0
    const cards = placeNewCards(existing, activities, () => `new${n++}`)
    expect(cards).toHaveLength(14)
    expect(new Set(cards.map((c) => c.id)).size).toBe(14)
    const highest = shapes.map((s) => s.index as string).sort().at(-1)!
    for (const [i, c] of cards.entries()) {
      expect(c).toMatchObject({ id: `shape:new${i}`, typeName: 'shape', type: CARD_TYPE, parentId: PAGE_ID, rotation: 0, isLocked: false, opacity: 1 })
      expect(c.props).toEqual({ ...CARD_SIZE, ...activities[i] })
      expect((c.index as string) > highest).toBe(true)
      for (const s of shapes) expect(overlaps(box(c), box(s)), `${c.id} over ${s.id}`).toBe(false)
      for (const other of cards) if (other !== c) expect(overlaps(box(c), box(other))).toBe(false)
    }
    // Indices increase in the order given; six to a row, starting level with the topmost shape.
    expect(cards.map((c) => c.index as string)).toEqual(cards.map((c) => c.index as string).sort())
    expect(new Set(cards.map((c) => c.y)).size).toBe(3)
    expect(Math.min(...cards.map((c) => c.y as number))).toBe(Math.min(...shapes.map((s) => s.y as number)))
  })

  it('on a page with no shapes starts near the origin', () => {
    const [c] = placeNewCards([], [{ ...defaultActivity(), title: 'Först' }], () => 'x')
    expect(c).toMatchObject({ id: 'shape:x', y: 0 })
    expect(c.x as number).toBeGreaterThanOrEqual(0)
  })
})

// Keep the formatter honest about what the register writes: numbers stay numbers.
describe('register cells in CSV', () => {
  it('numbers (year, 1 under a hit, counts) are written bare, never neutralised or quoted', () => {
    const board = makeBoard(['Väg ett'])
    card(board.doc, 'n', { title: 'N', year: 2026, paths: set(board.paths[0]) })
    const table = registerTable(board.view(), { 'shape:card-n': 2 }, sv)
    expect(formatCsv(table.rows, ',')).toBe('\uFEFFshape:card-n,N,,,,,,,2026,Idé,,,,,,1,1,2\r\n')
  })
})
