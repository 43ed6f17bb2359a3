/**
 * core/csv.ts: RFC 4180 writing (BOM, CRLF, quoting, formula neutralisation) and reading (quotes,
 * embedded newlines with the line each record starts on, CRLF/LF/CR, BOM, trailing delimiters),
 * and the delimiter detection an import relies on.
 */
import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, detectDelimiter, formatCsv, neutraliseFormula, parseCsv } from '../../core/csv.ts'

const BOM = '\uFEFF'
const fieldsOf = (text: string, delimiter?: ',' | ';') => parseCsv(text, delimiter).map((r) => r.fields)
const linesOf = (text: string, delimiter?: ',' | ';') => parseCsv(text, delimiter).map((r) => r.line)

function syntaxError(text: string, delimiter?: ',' | ';'): CsvSyntaxError {
  try {
    parseCsv(text, delimiter)
  } catch (err) {
    expect(err).toBeInstanceOf(CsvSyntaxError)
    return err as CsvSyntaxError
  }
  throw new Error(`expected a CsvSyntaxError for ${JSON.stringify(text)}`)
}

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+46 8 530 610 00', `'+46 8 530 610 00`],
    ['-2+3', `'-2+3`],
    ['@SUM(1)', `'@SUM(1)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    // A leading line feed, whitespace before the sign, and the full-width signs: spreadsheets
    // strip or fold these and then run what follows.
    ['\n=1+1', `'\n=1+1`],
    ['\tx', `'\tx`],
    [' =HYPERLINK("http://evil")', `' =HYPERLINK("http://evil")`],
    ['\u00a0\u3000+1', `'\u00a0\u3000+1`],
    ['  -2', `'  -2`],
    ['\uff1d1+1', `'\uff1d1+1`],
    ['\uff0b1', `'\uff0b1`],
    ['\uff0d1', `'\uff0d1`],
    ['\uff20SUM(1)', `'\uff20SUM(1)`],
  ])('puts an apostrophe before %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected)
  })

  it.each(['Läxhjälp på biblioteket', '', '2026', '12,5', 'not = at the start', 'a=b', 'x\n=1', "'already quoted", 'E-post: a@b.se', '100%'])(
    'leaves ordinary text alone: %j',
    (input) => {
      expect(neutraliseFormula(input)).toBe(input)
    },
  )
})

describe('formatCsv', () => {
  it('starts with a BOM, ends every line with CRLF, and quotes only what needs it', () => {
    const text = formatCsv(
      [
        ['id', 'title', 'n'],
        ['a', 'plain', 1],
        ['b', 'with, comma', 2],
        ['c', 'with "quotes"', 3],
        ['d', 'two\nlines', 4],
        ['e', 'cr\rlf', 5],
      ],
      ',',
    )
    expect(text.startsWith(BOM)).toBe(true)
    expect(text.slice(1)).toBe(
      'id,title,n\r\n' + 'a,plain,1\r\n' + 'b,"with, comma",2\r\n' + 'c,"with ""quotes""",3\r\n' + 'd,"two\nlines",4\r\n' + 'e,"cr\rlf",5\r\n',
    )
  })

  it('with a semicolon: quotes fields holding a semicolon and leaves commas alone', () => {
    expect(formatCsv([['a;b', 'c,d', 12.5]], ';')).toBe(`${BOM}"a;b";c,d;12.5\r\n`)
  })

  it('neutralises every formula-like text cell (then quotes it if needed), never a number', () => {
    const text = formatCsv([['=HYPERLINK("http://evil","x")', '@SUM(1)', '-2+3', '+1', '\tx', '\r=1', -4, 0, 'ok']], ',')
    expect(text).toBe(`${BOM}"'=HYPERLINK(""http://evil"",""x"")",'@SUM(1),'-2+3,'+1,'\tx,"'\r=1",-4,0,ok\r\n`)
  })

  it('round-trips through parseCsv (apart from the neutralising apostrophe)', () => {
    const rows = [
      ['Rubrik', 'Önskat resultat', 'Antal'],
      ['Läxhjälp, på "biblioteket"', 'rad ett\r\nrad två\nrad tre', '3'],
      ['', 'trailing empty', ''],
      ['åäö ÅÄÖ – ”citat”', '😀', '0'],
    ]
    for (const delimiter of [',', ';'] as const) {
      expect(fieldsOf(formatCsv(rows, delimiter), delimiter)).toEqual(rows)
      expect(detectDelimiter(formatCsv(rows, delimiter))).toBe(delimiter)
    }
  })
})

describe('parseCsv', () => {
  it('reads quoted fields: delimiters, doubled quotes and newlines are text', () => {
    expect(fieldsOf('a,"b,c","say ""hi""","",x\r\n')).toEqual([['a', 'b,c', 'say "hi"', '', 'x']])
  })

  it('gives each record the line it starts on, counting newlines inside quotes', () => {
    const text = 'h1,h2\r\n' + '"one\r\ntwo\r\nthree",x\r\n' + 'next,y\r\n' + '"a\nb",z\n' + 'last,w'
    const records = parseCsv(text)
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 6, 8])
    expect(records[1].fields).toEqual(['one\r\ntwo\r\nthree', 'x'])
    expect(records[3].fields).toEqual(['a\nb', 'z'])
    expect(records[4].fields).toEqual(['last', 'w'])
  })

  it('accepts CRLF, LF and lone CR line ends, and a last line without one', () => {
    expect(fieldsOf('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']])
    expect(fieldsOf('a,b\nc,d\n')).toEqual([['a', 'b'], ['c', 'd']])
    expect(fieldsOf('a,b\rc,d')).toEqual([['a', 'b'], ['c', 'd']])
    expect(linesOf('a,b\rc,d\r\ne,f')).toEqual([1, 2, 3])
  })

  it('skips blank lines but keeps counting them', () => {
    const text = 'h\r\n\r\nx\r\n\n\r\ny\r\n\r\n'
    expect(fieldsOf(text)).toEqual([['h'], ['x'], ['y']])
    expect(linesOf(text)).toEqual([1, 3, 6])
  })

  it('strips a leading BOM (and only a leading one)', () => {
    expect(fieldsOf(`${BOM}Aktivitet,År\r\nx,2026\r\n`)).toEqual([['Aktivitet', 'År'], ['x', '2026']])
    expect(fieldsOf(`${BOM}"Aktivitet",År\r\n`)).toEqual([['Aktivitet', 'År']])
    expect(fieldsOf(`a,${BOM}b`)).toEqual([['a', `${BOM}b`]])
  })

  it('keeps a trailing delimiter as one more empty field', () => {
    expect(fieldsOf('a,b,\r\nc,,\r\n')).toEqual([['a', 'b', ''], ['c', '', '']])
    expect(fieldsOf('a;b;', ';')).toEqual([['a', 'b', '']])
    expect(fieldsOf(',')).toEqual([['', '']])
  })

  it('splits on the delimiter it is given, not the other one', () => {
    expect(fieldsOf('a;b,c;"d;e"', ';')).toEqual([['a', 'b,c', 'd;e']])
    expect(fieldsOf('a;b,c', ',')).toEqual([['a;b', 'c']])
  })

  it('keeps spaces around fields as they are', () => {
    expect(fieldsOf(' a , b ')).toEqual([[' a ', ' b ']])
  })

  it('reports an unterminated quote on the line its record starts', () => {
    const err = syntaxError('h1,h2\r\nok,1\r\n"never\r\nclosed,2\r\n')
    expect(err.line).toBe(3)
    expect(err.message).toMatch(/unterminated/)
  })

  it('reports text after a closing quote on its line', () => {
    const err = syntaxError('h1,h2\r\n"a\r\nb"c,1\r\n')
    expect(err.line).toBe(3)
    expect(err.message).toMatch(/after a closing quote/)
    expect(syntaxError('"a"b').line).toBe(1)
  })

  it('returns nothing for an empty file or only a BOM and blank lines', () => {
    expect(parseCsv('')).toEqual([])
    expect(parseCsv(`${BOM}\r\n\r\n`)).toEqual([])
  })
})

describe('detectDelimiter', () => {
  it('picks whichever of ; and , the first line has more of, outside quotes', () => {
    expect(detectDelimiter('Aktivitet;Sektor;År\r\nx,y,z;1\r\n')).toBe(';')
    expect(detectDelimiter('Aktivitet,Sektor,År\r\nx;y;z;1\r\n')).toBe(',')
    expect(detectDelimiter(`${BOM}"a,b,c";d;e\r\n`)).toBe(';')
    expect(detectDelimiter('"a;b;c",d,e\r\n')).toBe(',')
  })

  it('looks at the whole first record, even across a quoted newline', () => {
    expect(detectDelimiter('"x\r\n,,,,";a;b\r\n')).toBe(';')
  })

  it('defaults to a comma on a tie or a single column', () => {
    expect(detectDelimiter('Aktivitet\r\nx\r\n')).toBe(',')
    expect(detectDelimiter('a;b,c')).toBe(',')
    expect(detectDelimiter('')).toBe(',')
  })
})
