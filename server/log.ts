import { pino } from 'pino'

/**
 * JSON lines on stdout through pino. Callers pass board ids and reasons, never tokens or card
 * text; the redaction below is a second line of defence for a field that slips through.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

const LEVELS = new Set(['debug', 'info', 'warn', 'error'])

// Field names that would hold a secret (role tokens travel in query strings and headers) or
// what people wrote on the board. Checked at the top level and one object deep.
const SENSITIVE = ['token', 'tokens', 'authorization', 'cookie', 'secret', 'password', 'query', 'search', 'title', 'text', 'description']
const REDACT_PATHS = SENSITIVE.flatMap((key) => [key, `*.${key}`])

export function createLogger(level: string = 'info', write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const logger = pino(
    {
      level: LEVELS.has(level) ? level : 'info',
      // Level names rather than pino's numbers, and ISO times: read by people as often as by tools.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) },
  )
  const emit = (lvl: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) logger[lvl](fields, msg)
    else logger[lvl](msg)
  }
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') }
}
