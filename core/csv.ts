/**
 * CSV as RFC 4180 describes it, writing and reading side by side. Written files start with a
 * byte-order mark so Excel reads them as UTF-8; Swedish Excel expects `;` between fields, so
 * the delimiter is a choice when writing and detected when reading.
 */
export type Delimiter = ',' | ';'

const BOM = '\uFEFF'

/**
 * What a spreadsheet may run as a formula: `=`, `+`, `-` or `@` (or their full-width forms, which
 * some spreadsheets fold to ASCII) after any whitespace, or a leading tab, carriage return or line
 * feed (which some spreadsheets drop before reading the rest).
 */
const FORMULA_LIKE = /^(?:[\t\r\n]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])/u

export const isFormulaLike = (value: string): boolean => FORMULA_LIKE.test(value)

/** A formula-like cell gets a leading apostrophe: the text stays readable and is never executed. */
export function neutraliseFormula(value: string): string {
  return isFormulaLike(value) ? `'${value}` : value
}

function quoteField(value: string, delimiter: Delimiter): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** The rows as CSV text (CRLF line ends, BOM first), every text cell neutralised. */
export function formatCsv(rows: readonly (readonly (string | number)[])[], delimiter: Delimiter): string {
  const lines = rows.map((row) => row.map((cell) => quoteField(typeof cell === 'number' ? String(cell) : neutraliseFormula(cell), delimiter)).join(delimiter))
  return BOM + lines.join('\r\n') + '\r\n'
}

export interface CsvRecord {
  /** The line of the file the record starts on, counting from 1 (what a user sees in an editor). */
  line: number
  fields: string[]
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message)
  }
}

/** The delimiter of a file: whichever of `;` and `,` its first line has more of (outside quotes). */
export function detectDelimiter(text: string): Delimiter {
  let semicolons = 0
  let commas = 0
  let quoted = false
  for (const ch of stripBom(text)) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && ch === ';') semicolons++
    else if (!quoted && ch === ',') commas++
  }
  return semicolons > commas ? ';' : ','
}

/**
 * Parses CSV text into records, each with the line it starts on. Blank lines are skipped.
 * Throws CsvSyntaxError for an unterminated quote or text after a closing quote.
 */
export function parseCsv(text: string, delimiter: Delimiter = detectDelimiter(text)): CsvRecord[] {
  const src = stripBom(text)
  const records: CsvRecord[] = []
  let line = 1
  let i = 0
  while (i < src.length) {
    const startLine = line
    const fields: string[] = []
    let field = ''
    let endOfRecord = false
    while (!endOfRecord) {
      if (src[i] === '"') {
        // A quoted field: runs to the matching quote, "" is a literal quote, newlines are text.
        i++
        for (;;) {
          if (i >= src.length) throw new CsvSyntaxError(startLine, 'unterminated quoted field')
          const ch = src[i]
          if (ch === '"' && src[i + 1] === '"') {
            field += '"'
            i += 2
          } else if (ch === '"') {
            i++
            break
          } else {
            if (ch === '\n') line++
            field += ch
            i++
          }
        }
        if (i < src.length && src[i] !== delimiter && src[i] !== '\r' && src[i] !== '\n') {
          throw new CsvSyntaxError(line, 'text after a closing quote')
        }
      } else {
        while (i < src.length && src[i] !== delimiter && src[i] !== '\r' && src[i] !== '\n') field += src[i++]
      }
      fields.push(field)
      field = ''
      if (src[i] === delimiter) {
        i++
      } else {
        if (src[i] === '\r') i++
        if (src[i] === '\n') i++
        line++
        endOfRecord = true
      }
    }
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: startLine, fields })
  }
  return records
}

const stripBom = (text: string) => (text.startsWith(BOM) ? text.slice(1) : text)
