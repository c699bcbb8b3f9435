import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { storagePath } from '#core/storage'
import reportSigner from '#reports/services/report_signer'
import AuditCheckpoint from '#audit/models/audit_checkpoint'

export const GENESIS_HASH = '0'.repeat(64)

/** What a checkpoint asserts: at `takenAt` the chain ended at `eventId`, whose hash was `eventHash`. */
export interface CheckpointClaim {
  eventId: number
  eventHash: string
  takenAt: string
}

interface StoredCheckpoint extends CheckpointClaim {
  signature: string
  keyId: string
}

/** A checkpoint as verification sees it: where it was found, and whether its signature holds. */
export interface FoundCheckpoint extends StoredCheckpoint {
  source: 'database' | 'storage'
  signatureValid: boolean
}

export interface CheckpointSummary {
  id: number
  eventId: number
  eventHash: string
  takenAt: DateTime
  keyId: string
  /** The copy outside the database exists. */
  storedCopy: boolean
}

export type CheckpointFinding =
  | { ok: true; checkpoint: FoundCheckpoint | null }
  | { ok: false; brokenAt: number; reason: string }

/* The type tag keeps a checkpoint signature from ever reading as a report manifest's */
function signedPayload(claim: CheckpointClaim) {
  return {
    type: 'audit-checkpoint/v1',
    eventId: claim.eventId,
    eventHash: claim.eventHash,
    takenAt: claim.takenAt,
  }
}

/* Zero-padded event id first, so the newest checkpoint is the last file name in sort order */
function fileName(claim: CheckpointClaim) {
  const at = DateTime.fromISO(claim.takenAt).toMillis()
  return `${String(claim.eventId).padStart(15, '0')}-${at}.json`
}

/**
 * Signed checkpoints of the audit chain head, kept in `audit_checkpoints` and, as files, under
 * STORAGE_PATH: whoever deletes the chain's tail from the database must also reach the storage
 * copy, and cannot forge the signature of the head they leave behind.
 */
export class AuditCheckpoints {
  /** Where the copies outside the database go; tests point it at a scratch directory. */
  directory = storagePath('audit', 'checkpoints')

  private async head() {
    const last = await db.from('audit_events').select('id', 'hash').orderBy('id', 'desc').first()
    return last ? { eventId: Number(last.id), eventHash: last.hash as string } : null
  }

  /**
   * Signs the current head and stores the checkpoint in both places. With `onlyIfMoved`, a head
   * already checkpointed is left alone (the worker's periodic run on a quiet chain).
   */
  async take(options: { onlyIfMoved?: boolean } = {}) {
    const head = (await this.head()) ?? { eventId: 0, eventHash: GENESIS_HASH }
    if (options.onlyIfMoved) {
      const last = await AuditCheckpoint.query().orderBy('id', 'desc').first()
      if (last && last.eventId === head.eventId && last.eventHash === head.eventHash) return null
    }
    const takenAt = DateTime.utc()
    const claim: CheckpointClaim = { ...head, takenAt: takenAt.toISO()! }
    const signature = await reportSigner.sign(signedPayload(claim))
    const { kid } = await reportSigner.publicJwk()
    const stored: StoredCheckpoint = { ...claim, signature, keyId: kid! }
    // Storage first: a row without its outside copy would be the weaker half
    await mkdir(this.directory, { recursive: true, mode: 0o700 })
    await writeFile(join(this.directory, fileName(claim)), JSON.stringify(stored, null, 1), {
      mode: 0o600,
      flag: 'wx',
    })
    return AuditCheckpoint.create({
      eventId: claim.eventId,
      eventHash: claim.eventHash,
      takenAt,
      signature,
      keyId: stored.keyId,
    })
  }

  /** The newest checkpoints, for pages that show the chain's status. */
  async latest(limit = 5): Promise<CheckpointSummary[]> {
    const rows = await AuditCheckpoint.query().orderBy('id', 'desc').limit(limit)
    const files = new Set(await this.storedFiles())
    return rows.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      eventHash: row.eventHash,
      takenAt: row.takenAt,
      keyId: row.keyId,
      storedCopy: files.has(
        fileName({ eventId: row.eventId, eventHash: row.eventHash, takenAt: row.takenAt.toISO()! })
      ),
    }))
  }

  /** The chain head now and how many events were appended since the latest checkpoint. */
  async status() {
    const [head, latest] = await Promise.all([this.head(), this.latest(1)])
    const since = latest[0]
      ? await db
          .from('audit_events')
          .where('id', '>', latest[0].eventId)
          .count('* as total')
          .first()
      : null
    return {
      head,
      latestCheckpoint: latest[0] ?? null,
      eventsSinceCheckpoint: since ? Number(since.total) : null,
    }
  }

  private async storedFiles() {
    try {
      const names = await readdir(this.directory)
      return names.filter((name) => name.endsWith('.json')).sort()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  private async withSignatureChecked(
    stored: StoredCheckpoint,
    source: FoundCheckpoint['source']
  ): Promise<FoundCheckpoint> {
    const claim = { eventId: stored.eventId, eventHash: stored.eventHash, takenAt: stored.takenAt }
    const signatureValid =
      typeof stored.signature === 'string' &&
      (await reportSigner.verify(signedPayload(claim), stored.signature))
    return { ...stored, source, signatureValid }
  }

  /** The newest checkpoint of each place (database, storage), signatures checked. */
  async newest(): Promise<FoundCheckpoint[]> {
    const found: FoundCheckpoint[] = []
    const row = await AuditCheckpoint.query().orderBy('id', 'desc').first()
    if (row) {
      found.push(
        await this.withSignatureChecked(
          {
            eventId: row.eventId,
            eventHash: row.eventHash,
            takenAt: row.takenAt.toUTC().toISO()!,
            signature: row.signature,
            keyId: row.keyId,
          },
          'database'
        )
      )
    }
    const files = await this.storedFiles()
    const newestFile = files[files.length - 1]
    if (newestFile) {
      let stored: StoredCheckpoint
      try {
        stored = JSON.parse(await readFile(join(this.directory, newestFile), 'utf8'))
      } catch {
        stored = { eventId: 0, eventHash: '', takenAt: '', signature: '', keyId: '' }
      }
      found.push(await this.withSignatureChecked(stored, 'storage'))
    }
    return found
  }

  /**
   * Holds an intact chain against the newest checkpoints: each must carry a valid signature and
   * name an event that is still there with the hash it signed. `hashes` maps those event ids to
   * the hash the walk found for them (absent = the row is gone).
   */
  judge(found: FoundCheckpoint[], hashes: Map<number, string>): CheckpointFinding {
    for (const checkpoint of found) {
      const where = `the checkpoint of ${checkpoint.takenAt || 'an unknown time'} (${checkpoint.source})`
      if (!checkpoint.signatureValid) {
        return {
          ok: false,
          brokenAt: checkpoint.eventId,
          reason: `${where} does not carry a valid signature`,
        }
      }
      if (checkpoint.eventId === 0) continue
      const hash = hashes.get(checkpoint.eventId)
      if (hash === undefined) {
        return {
          ok: false,
          brokenAt: checkpoint.eventId,
          reason: `event ${checkpoint.eventId}, signed in ${where}, is missing: events were deleted after it`,
        }
      }
      if (hash !== checkpoint.eventHash) {
        return {
          ok: false,
          brokenAt: checkpoint.eventId,
          reason: `event ${checkpoint.eventId} no longer has the hash signed in ${where}: the chain was rewritten`,
        }
      }
    }
    const strongest = found.reduce<FoundCheckpoint | null>(
      (best, c) => (!best || c.eventId > best.eventId ? c : best),
      null
    )
    return { ok: true, checkpoint: strongest }
  }
}

const auditCheckpoints = new AuditCheckpoints()
export default auditCheckpoints
