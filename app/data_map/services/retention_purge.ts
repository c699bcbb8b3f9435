import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import { saveAudited } from '#audit/services/audited_write'
import { collectFieldInventory, type InventoriedTable } from '#data_map/inventory/collector'
import { liveColumns } from '#data_map/inventory/schema_check'
import { legalHoldFilter } from '#data_map/legal_holds'
import retentionPolicy from '#data_map/services/retention_policy'
import RetentionRun, { type RetentionEvidence } from '#data_map/models/retention_run'

const BATCH = 1000

interface Segment {
  merchantId: number | null
  cutoff: DateTime
  /** Merchants handled by their own (override) segment. */
  excludeMerchants: number[]
}

export interface PurgeOptions {
  triggeredBy: string
  progress?: (percent: number, detail?: Record<string, unknown>) => Promise<void>
  now?: DateTime
}

/**
 * Deletes rows past their retention, for every table whose inventory entry has `retention`, and
 * the files of such tables whose rows are gone (`files.removeOrphans`).
 * Rows under a legal hold stay (see `legalHoldFilter`); every run leaves a `retention_runs` row
 * with counts per table and an audit event, as evidence for SOC 2 P4.3 / ISO 27701 B.8.4.2.
 */
export class RetentionPurge {
  async run(options: PurgeOptions) {
    const now = options.now ?? DateTime.utc()
    const progress = options.progress ?? (async () => {})
    const run = await RetentionRun.create({
      status: 'running',
      triggeredBy: options.triggeredBy,
      startedAt: now,
      evidence: [],
      tablesChecked: 0,
      rowsPurged: 0,
      rowsHeld: 0,
    })

    try {
      const columns = await liveColumns()
      const liveTables = new Set(columns.map((column) => column.table))
      const inventory = await collectFieldInventory()
      const tables = inventory.filter((spec) => spec.retention && liveTables.has(spec.table))
      const evidence: RetentionEvidence[] = []
      for (const [index, spec] of tables.entries()) {
        evidence.push(await this.purgeTable(spec, now))
        await progress(Math.round((100 * (index + 1)) / tables.length), { table: spec.table })
      }
      // After every table: a row may have gone by cascade from another table's purge
      for (const [index, spec] of tables.entries()) {
        if (spec.files?.removeOrphans)
          evidence[index].filesRemoved = await spec.files.removeOrphans()
      }
      if (tables.length === 0) await progress(100)

      run.merge({
        status: 'succeeded',
        finishedAt: DateTime.utc(),
        tablesChecked: tables.length,
        rowsPurged: evidence.reduce((sum, e) => sum + e.purged, 0),
        rowsHeld: evidence.reduce((sum, e) => sum + e.held, 0),
        evidence,
      })
      await saveAudited(run, {
        action: 'data_map.retention_purged',
        actor: { type: 'system' },
        targetType: 'retention_run',
        meta: {
          tablesChecked: run.tablesChecked,
          rowsPurged: run.rowsPurged,
          rowsHeld: run.rowsHeld,
          holders: legalHoldFilter.holders().length,
        },
      })
      return run
    } catch (error) {
      logger.error(
        { err: { message: (error as Error).message }, runId: run.id },
        'retention purge failed'
      )
      run.merge({ status: 'failed', finishedAt: DateTime.utc(), errorCode: 'purge_failed' })
      await saveAudited(run, {
        action: 'data_map.retention_purged',
        outcome: 'failure',
        actor: { type: 'system' },
        targetType: 'retention_run',
      })
      throw error
    }
  }

  private async purgeTable(spec: InventoriedTable, now: DateTime): Promise<RetentionEvidence> {
    const retention = spec.retention!
    const cutoffs = await retentionPolicy.cutoffsFor(retention.category, now)
    const evidence: RetentionEvidence = {
      table: spec.table,
      category: retention.category,
      purged: 0,
      held: 0,
      cutoffs: {},
    }
    // No rule for the category means "keep": nothing is deleted on a guess.
    if (!cutoffs) return evidence

    const overridden = retention.merchantColumn ? [...cutoffs.merchantCutoffs.keys()] : []
    const segments: Segment[] = [
      { merchantId: null, cutoff: cutoffs.defaultCutoff, excludeMerchants: overridden },
      ...overridden.map((merchantId) => ({
        merchantId,
        cutoff: cutoffs.merchantCutoffs.get(merchantId)!,
        excludeMerchants: [],
      })),
    ]

    for (const segment of segments) {
      evidence.cutoffs[segment.merchantId ?? '*'] = segment.cutoff.toISO()!
      const expired = () => {
        const query = db.from(spec.table).where(retention.from, '<', segment.cutoff.toJSDate())
        if (retention.merchantColumn) {
          if (segment.merchantId !== null) query.where(retention.merchantColumn, segment.merchantId)
          else if (segment.excludeMerchants.length) {
            // Rows of no merchant (staff accounts) follow the category rule too
            const column = retention.merchantColumn
            query.where((q) => q.whereNotIn(column, segment.excludeMerchants).orWhereNull(column))
          }
        }
        return query
      }
      const [{ total }] = await expired().count('* as total')
      let purged = 0
      for (;;) {
        const batch = expired().select('ctid').limit(BATCH)
        await legalHoldFilter.exclude({
          table: spec.table,
          merchantId: segment.merchantId,
          query: batch,
        })
        const deleted = await db.from(spec.table).whereIn('ctid', batch).delete()
        const count = Number(Array.isArray(deleted) ? deleted[0] : deleted)
        purged += count
        if (count < BATCH) break
      }
      evidence.purged += purged
      evidence.held += Math.max(0, Number(total) - purged)
    }
    return evidence
  }
}

export default new RetentionPurge()
