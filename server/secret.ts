import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The token signing secret: SNURRA_SECRET when set, else one generated on first start and kept
 * in DATA_DIR (mode 0600) so links stay valid across restarts.
 */
export function loadSecret(dataDir: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('SNURRA_SECRET must be at least 32 characters')
    return Buffer.from(fromEnv, 'utf8')
  }
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, 'secret.key')
  try {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const secret = randomBytes(32)
  // 'wx' fails if another process created it in the meantime; then use theirs.
  try {
    writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    return secret
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  }
}
