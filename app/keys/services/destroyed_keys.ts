import { createHash } from 'node:crypto'
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { storagePath } from '#core/storage'

/**
 * The list of destroyed subject keys, kept outside the database (under STORAGE_PATH), so that a
 * database restored from a backup taken before an erasure cannot bring a destroyed key back: the
 * keyring refuses any wrapped subject key whose SHA-256 is listed here, and
 * `node ace dsr:reapply-erasures` shreds such keys again after a restore.
 *
 * Each line is JSON: `{ sha256, scope, subjectRef, destroyedAt }`. It holds no key material and
 * no personal data: the hash of a wrapped key and the opaque subject reference (`customer:42`).
 * Append-only; the file is the evidence, the in-memory set a cache re-read when the file changes.
 */
export interface DestroyedKeyEntry {
  sha256: string
  scope: string
  subjectRef: string
  destroyedAt: string
}

export function wrappedKeyHash(wrapped: Buffer) {
  return createHash('sha256').update(wrapped).digest('hex')
}

export class DestroyedKeys {
  #entries = new Map<string, DestroyedKeyEntry>()
  #loadedMtime = -1
  #loadedSize = -1

  get path() {
    return storagePath('keys', 'destroyed-subject-keys.jsonl')
  }

  /** Re-reads the file when it changed since the last look (another process appended to it). */
  private async refresh() {
    let info
    try {
      info = await stat(this.path)
    } catch {
      this.#entries.clear()
      this.#loadedMtime = -1
      this.#loadedSize = -1
      return
    }
    if (info.mtimeMs === this.#loadedMtime && info.size === this.#loadedSize) return
    const text = await readFile(this.path, 'utf8')
    const entries = new Map<string, DestroyedKeyEntry>()
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        const entry = JSON.parse(line) as DestroyedKeyEntry
        if (typeof entry.sha256 === 'string') entries.set(entry.sha256, entry)
      } catch {
        // A torn last line (crash mid-append) is skipped; the others still hold
      }
    }
    this.#entries = entries
    this.#loadedMtime = info.mtimeMs
    this.#loadedSize = info.size
  }

  /** Records a destroyed key before its row loses the wrapped bytes. */
  async record(entry: DestroyedKeyEntry) {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 })
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 })
    this.#entries.set(entry.sha256, entry)
  }

  async isDestroyed(wrapped: Buffer) {
    await this.refresh()
    return this.#entries.has(wrappedKeyHash(wrapped))
  }

  async all(): Promise<DestroyedKeyEntry[]> {
    await this.refresh()
    return [...this.#entries.values()]
  }
}

const destroyedKeys = new DestroyedKeys()
export default destroyedKeys
