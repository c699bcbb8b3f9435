import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import type { AuditActor } from '#audit/services/audit_trail'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { Conflict, NotFound } from '#core/errors'
import { assertNotSameActor } from '#access/services/segregation_of_duties'
import apiTokens from '#access/services/api_tokens'
import userSessions from '#access/services/user_sessions'
import ApiToken from '#access/models/api_token'
import keyDestruction from '#keys/services/key_destruction'
import KmsKey from '#keys/models/kms_key'
import { scopeName } from '#keys/services/keyring'
import Merchant from '#merchants/models/merchant'
import reportService from '#reports/services/report_service'
import legalHolds from '#dsr/services/legal_holds'
import { locateMerchant } from '#dsr/execution/locator'
import { createExport, removeExportFiles } from '#dsr/execution/exports'
import { deletionOrder } from '#dsr/execution/erasure'
import { removeMerchantJobs } from '#dsr/execution/queued_jobs'
import type { ErasureCount } from '#dsr/models/dsr_erasure'
import MerchantTermination, {
  type TerminationChoice,
  type TerminationStatus,
} from '#dsr/models/merchant_termination'

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

export function graceDays() {
  return env.get('TERMINATION_GRACE_DAYS', 30)
}

const OPEN = ['requested', 'prepared', 'approved'] as const
/** Staff act on these: a new request is prepared, a prepared one approved. */
export const AWAITING_STAFF = ['requested', 'prepared'] as const
export type TerminationListStatus = 'awaiting_staff' | 'any' | TerminationStatus

/** The merchant's own status moves with its termination's, in the same transaction. */
function merchantStatus(merchantId: number, status: 'active' | 'terminating' | 'terminated') {
  return async (trx: TransactionClientContract) => {
    await trx.from('merchants').where('id', merchantId).update({ status })
  }
}

/**
 * Ending a merchant's service (Art. 28(3)(g), SCC Clause 8.5): the merchant asks (API or portal)
 * and chooses `return` (a full package first) or `delete`; one staff member prepares the
 * deletion and another approves it (`assertNotSameActor`); once the grace period has passed,
 * `execute` crypto-shreds the merchant's keys, purges its rows, stops channels and jobs,
 * disables users, revokes tokens and issues a certificate signed under the platform key.
 */
export class TerminationService {
  async current(merchantId: number) {
    return MerchantTermination.query()
      .where('merchant_id', merchantId)
      .orderBy('id', 'desc')
      .first()
  }

  async find(id: number) {
    const termination = await MerchantTermination.find(id)
    if (!termination) throw new NotFound('termination')
    return termination
  }

  /** The requests a staff filter selects (the list and the dashboard's count agree). */
  matching(filter: { status: TerminationListStatus; merchantId?: number }) {
    const query = MerchantTermination.query()
    if (filter.status === 'awaiting_staff') query.whereIn('status', [...AWAITING_STAFF])
    else if (filter.status !== 'any') query.where('status', filter.status)
    if (filter.merchantId) query.where('merchant_id', filter.merchantId)
    return query
  }

  /** The staff list, newest request first. */
  list(filter: { status: TerminationListStatus; merchantId?: number }) {
    return this.matching(filter).orderBy('requested_at', 'desc').orderBy('id', 'desc')
  }

  /**
   * What this staff member may do now, by the rules `prepare` and `approve` enforce, so a page
   * says why an action is unavailable instead of offering one that would be refused.
   * `approve` is `own_preparation` for the preparer (or an unknown one: it cannot be told apart).
   */
  actionsFor(termination: MerchantTermination, staffUserId: number | null) {
    const prepared = termination.status === 'prepared'
    const sameActor = !termination.preparedByUserId || termination.preparedByUserId === staffUserId
    return {
      prepare: termination.status === 'requested',
      approve: !prepared ? 'not_prepared' : sameActor ? 'own_preparation' : 'allowed',
    } as const
  }

  async request(
    merchant: Merchant,
    choice: TerminationChoice,
    by: { actor: AuditActor; userId?: number | null; tokenId?: number | null }
  ) {
    if (merchant.status !== 'active') {
      throw new Conflict('merchant_not_active', 'This merchant’s service is already ending.')
    }
    const open = await MerchantTermination.query()
      .where('merchant_id', merchant.id)
      .whereIn('status', [...OPEN])
      .first()
    if (open) {
      throw new Conflict('termination_open', 'A termination request is already open.')
    }
    const now = DateTime.utc()
    const termination = await auditedWrite(
      (trx) =>
        MerchantTermination.create(
          {
            merchantId: merchant.id,
            choice,
            status: 'requested',
            requestedByUserId: by.userId ?? null,
            requestedByTokenId: by.tokenId ?? null,
            requestedAt: now,
            deleteAfter: now.plus({ days: graceDays() }),
          },
          { client: trx }
        ),
      (row) => ({
        action: 'termination.requested',
        actor: by.actor,
        merchantId: merchant.id,
        target: { type: 'merchant_termination', id: row.id },
        meta: { choice, deleteAfter: row.deleteAfter.toISO() },
      })
    )
    if (choice === 'return') {
      // The controller gets everything first: the whole package, unredacted
      const exported = await createExport(merchant, await locateMerchant(merchant.id), {
        format: 'json',
        merchantTerminationId: termination.id,
        caseReference: `TERM-${termination.id}`,
        redact: false,
        actor: by.actor,
      })
      termination.dsrExportId = exported.id
      await termination.save()
    }
    return termination
  }

  async cancel(termination: MerchantTermination, actor: AuditActor) {
    if (!OPEN.includes(termination.status as (typeof OPEN)[number])) {
      throw new Conflict('termination_closed', 'This termination can no longer be cancelled.')
    }
    termination.status = 'cancelled'
    return saveAudited(
      termination,
      {
        action: 'termination.cancelled',
        actor,
        merchantId: termination.merchantId,
        targetType: 'merchant_termination',
      },
      { extra: merchantStatus(termination.merchantId, 'active') }
    )
  }

  /** A staff member checks the request and prepares the deletion. */
  async prepare(termination: MerchantTermination, staffUserId: number) {
    if (termination.status !== 'requested') {
      throw new Conflict('termination_not_requested', 'Only a new request can be prepared.')
    }
    termination.status = 'prepared'
    termination.preparedByUserId = staffUserId
    termination.preparedAt = DateTime.utc()
    return saveAudited(termination, {
      action: 'termination.prepared',
      actor: { type: 'user', id: staffUserId },
      merchantId: termination.merchantId,
      targetType: 'merchant_termination',
    })
  }

  /** A second staff member approves; the merchant stops being served from now on. */
  async approve(termination: MerchantTermination, staffUserId: number) {
    if (termination.status !== 'prepared') {
      throw new Conflict('termination_not_prepared', 'Prepare the deletion before approving it.')
    }
    await assertNotSameActor(termination.preparedByUserId, staffUserId, {
      what: 'merchant-wide deletion',
      target: { type: 'merchant_termination', id: termination.id },
      merchantId: termination.merchantId,
    })
    termination.status = 'approved'
    termination.approvedByUserId = staffUserId
    termination.approvedAt = DateTime.utc()
    return saveAudited(
      termination,
      {
        action: 'termination.approved',
        actor: { type: 'user', id: staffUserId },
        merchantId: termination.merchantId,
        targetType: 'merchant_termination',
        meta: { deleteAfter: termination.deleteAfter.toISO() },
      },
      { extra: merchantStatus(termination.merchantId, 'terminating') }
    )
  }

  /** Approved terminations whose grace period has passed (the hourly job runs them). */
  async due(now = DateTime.utc()) {
    return MerchantTermination.query()
      .where('status', 'approved')
      .where('delete_after', '<=', now.toJSDate())
      .orderBy('id')
  }

  async execute(termination: MerchantTermination, actor: AuditActor = { type: 'system' }) {
    if (termination.status !== 'approved') {
      throw new Conflict('termination_not_approved', 'The deletion has not been approved.')
    }
    if (termination.deleteAfter > DateTime.utc()) {
      throw new Conflict(
        'grace_period',
        `The grace period runs until ${termination.deleteAfter.toISO()}.`
      )
    }
    const merchant = await Merchant.findOrFail(termination.merchantId)
    await legalHolds.assertNotHeld(merchant.id, null)
    const counts: ErasureCount[] = []

    // 1. Access stops: users disabled (their sessions end), tokens revoked, channels and jobs stopped
    const disabled = await db.rawQuery(
      `UPDATE users SET disabled_at = now() WHERE merchant_id = ? AND disabled_at IS NULL RETURNING id`,
      [merchant.id]
    )
    for (const { id } of disabled.rows as { id: number }[]) {
      await userSessions.endAll(id, 'merchant_terminated', { actor, merchantId: merchant.id })
    }
    counts.push({
      system: 'postgres',
      place: 'users',
      rows: disabled.rows.length,
      action: 'disabled',
    })
    const tokens = await ApiToken.query().where('merchant_id', merchant.id).whereNull('revoked_at')
    for (const token of tokens) await apiTokens.revoke(merchant.id, token.id, actor)
    counts.push({ system: 'postgres', place: 'API tokens', rows: tokens.length, action: 'revoked' })
    const channels = await db
      .from('channel_connections')
      .where('merchant_id', merchant.id)
      .update({ status: 'disconnected', access_token: null })
    counts.push({
      system: 'postgres',
      place: 'channel connections',
      rows: Number(channels),
      action: 'disconnected',
    })
    counts.push({
      system: 'bullmq',
      place: 'queued and failed jobs',
      rows: await removeMerchantJobs(merchant.id),
      action: 'deleted',
    })

    // 2. Crypto-shredding: from here on nothing of the merchant can be read, backups included
    if (await KmsKey.findBy('scope', scopeName(merchant.id))) {
      const shredded = await keyDestruction.destroyMerchantKeys(merchant.id, { actor })
      counts.push(
        { system: 'kms', place: 'merchant KMS key', rows: 1, action: 'scheduled for deletion' },
        {
          system: 'kms',
          place: 'data keys',
          rows: shredded.dataKeyVersions.length,
          action: 'destroyed',
        },
        {
          system: 'kms',
          place: 'subject keys',
          rows: shredded.subjectKeysDestroyed,
          action: 'destroyed',
        }
      )
    }

    // 3. Rows: every table the inventory maps as holding customer data (evidence aside)
    const located = await locateMerchant(merchant.id)
    const tables = located.selections.filter((s) => !s.spec.evidence).map((s) => s.spec.table)
    const packages = await db
      .from('dsr_exports')
      .where('merchant_id', merchant.id)
      .select('file_path')
    await db.transaction(async (trx) => {
      for (const table of await deletionOrder(tables)) {
        const result = await trx.rawQuery(`DELETE FROM ${q(table)} WHERE "merchant_id" = ?`, [
          merchant.id,
        ])
        counts.push({
          system: 'postgres',
          place: table,
          rows: Number(result.rowCount ?? 0),
          action: 'deleted',
        })
      }
      // The merchant's own contacts (sealed under its key, unreadable already) go too
      await trx.from('merchants').where('id', merchant.id).update({
        contact_email: null,
        dpo_name: null,
        dpo_email: null,
        representative_name: null,
        representative_contact: null,
      })
    })
    await removeExportFiles(packages)
    counts.push({
      system: 'file_storage',
      place: 'packages',
      rows: packages.length,
      action: 'deleted',
    })

    termination.status = 'completed'
    termination.executedAt = DateTime.utc()
    termination.counts = counts
    await saveAudited(
      termination,
      {
        action: 'termination.executed',
        actor,
        merchantId: merchant.id,
        targetType: 'merchant_termination',
        meta: { counts },
      },
      { extra: merchantStatus(merchant.id, 'terminated') }
    )

    // 5. The certificate, sealed and signed under the platform key (the merchant's are gone)
    merchant.status = 'terminated'
    const certificate = await reportService.generate({
      kind: 'termination-certificate',
      merchant,
      record: String(termination.id),
      generatedBy: 'system (merchant termination)',
      actor,
    })
    termination.certificateDocumentId = certificate.documentId
    await termination.save()
    return termination
  }
}

const terminations = new TerminationService()
export default terminations
