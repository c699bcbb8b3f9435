import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { auditedWrite, saveAudited } from '#audit/services/audited_write'
import { Conflict, DomainError, NotFound } from '#core/errors'
import Objection, {
  BLOCKING_OBJECTION_STATUSES,
  type ObjectionOutcome,
  type ObjectionStatus,
} from '#vendors/models/objection'
import Subprocessor from '#vendors/models/subprocessor'
import MerchantNotification from '#vendors/models/merchant_notification'
import changeNotices, { PORTAL_NOTICES_PATH } from '#vendors/services/change_notices'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import type { Principal } from '#access/principal'
import { scopedQuery } from '#access/services/tenant_scope'

export interface RaiseObjection {
  subprocessorId: number
  merchantId: number
  reason: string
  via: 'portal' | 'api'
  userId?: number | null
  tokenId?: number | null
  /** From the `Idempotency-Key` header: a retry with the same key returns the first result. */
  idempotencyKey?: string | null
}

export class ObjectionWindowClosed extends DomainError {
  constructor(name: string) {
    super(
      'objection_window_closed',
      `The objection window for ${name} is closed: objections are accepted only while a change notice is open.`,
      {
        status: 422,
        details: [
          { field: 'reason', rule: 'objection_window', message: 'The objection window is closed.' },
        ],
      }
    )
  }
}

/** Merchant objections to subprocessor changes, and the flow guard that honours them. */
export class Objections {
  /** Returns `{ objection, replayed }`; `replayed` when the Idempotency-Key was seen before. */
  async raise(input: RaiseObjection) {
    if (input.idempotencyKey) {
      const earlier = await Objection.query()
        .where({ merchantId: input.merchantId, idempotencyKey: input.idempotencyKey })
        .first()
      if (earlier) {
        if (earlier.subprocessorId !== input.subprocessorId) {
          throw new Conflict(
            'idempotency_key_reused',
            'This Idempotency-Key was already used for a different request.'
          )
        }
        return { objection: earlier, replayed: true }
      }
    }
    const subprocessor = await subprocessorRegistry.findPublic(input.subprocessorId)
    const notice = await changeNotices.openWindowFor(subprocessor.id)
    if (!notice) throw new ObjectionWindowClosed(subprocessor.name)

    const existing = await Objection.query()
      .where({ noticeId: notice.id, merchantId: input.merchantId })
      .first()
    if (existing) {
      throw new Conflict(
        'objection_exists',
        `Your objection to this notice is already recorded (status: ${existing.status}).`
      )
    }

    const objection = await auditedWrite(
      (trx) =>
        Objection.create(
          {
            subprocessorId: subprocessor.id,
            noticeId: notice.id,
            merchantId: input.merchantId,
            reason: input.reason,
            status: 'open',
            raisedVia: input.via,
            raisedByUserId: input.userId ?? null,
            raisedByTokenId: input.tokenId ?? null,
            idempotencyKey: input.idempotencyKey ?? null,
          },
          { client: trx }
        ),
      (created) => ({
        action: 'vendors.objection.raise',
        merchantId: input.merchantId,
        target: { type: 'subprocessor_objection', id: created.id },
        meta: { subprocessorId: subprocessor.id, noticeId: notice.id, via: input.via },
      })
    )
    return { objection, replayed: false }
  }

  async resolve(
    objection: Objection,
    outcome: ObjectionOutcome,
    note: string,
    userId?: number | null
  ) {
    if (objection.status !== 'open') {
      throw new Conflict(
        'objection_already_resolved',
        `This objection was already resolved as ${objection.status}.`
      )
    }
    objection.merge({
      status: outcome,
      resolutionNote: note,
      resolvedByUserId: userId ?? null,
      resolvedAt: DateTime.utc(),
    })
    await objection.load('subprocessor')
    return saveAudited(
      objection,
      {
        action: 'vendors.objection.resolve',
        merchantId: objection.merchantId,
        targetType: 'subprocessor_objection',
        meta: { outcome, subprocessorId: objection.subprocessorId },
      },
      {
        // The merchant learns the outcome where it raised the objection
        extra: async (trx) => {
          await MerchantNotification.create(
            {
              merchantId: objection.merchantId,
              kind: 'vendors.objection.resolved',
              title: `Your objection to ${objection.subprocessor.name}: ${outcome}`,
              body: note,
              link: PORTAL_NOTICES_PATH,
              sourceType: 'subprocessor_objection',
              sourceId: String(objection.id),
            },
            { client: trx }
          )
        },
      }
    )
  }

  async find(id: number) {
    const objection = await Objection.query()
      .where('id', id)
      .preload('subprocessor')
      .preload('merchant')
      .first()
    if (!objection) throw new NotFound('objection')
    return objection
  }

  /** Staff view across merchants. */
  list(filter: { status?: ObjectionStatus; page?: number; perPage?: number }) {
    const query = Objection.query()
      .preload('subprocessor')
      .preload('merchant')
      .preload('notice')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    if (filter.status) query.where('status', filter.status)
    return query.paginate(filter.page ?? 1, filter.perPage ?? 25)
  }

  /** The objections a principal may see: a merchant's own only (through the tenant scope). */
  visibleTo(
    principal: Principal,
    filter: { status?: ObjectionStatus; subprocessorId?: number } = {}
  ) {
    const query = scopedQuery(principal, Objection)
      .preload('subprocessor')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
    if (filter.status) query.where('status', filter.status)
    if (filter.subprocessorId) query.where('subprocessor_id', filter.subprocessorId)
    return query
  }

  /** Objection counts per subprocessor and status, for the comparison chart. */
  async countsBySubprocessor() {
    const rows = await db
      .from('subprocessor_objections')
      .join('subprocessors', 'subprocessors.id', 'subprocessor_objections.subprocessor_id')
      .select('subprocessors.name', 'subprocessor_objections.status')
      .count('* as total')
      .groupBy('subprocessors.name', 'subprocessor_objections.status')
      .orderBy('subprocessors.name')
    const bySubprocessor = new Map<string, Record<ObjectionStatus, number>>()
    for (const row of rows) {
      const counts = bySubprocessor.get(row.name) ?? {
        open: 0,
        upheld: 0,
        rejected: 0,
        withdrawn: 0,
      }
      counts[row.status as ObjectionStatus] = Number(row.total)
      bySubprocessor.set(row.name, counts)
    }
    return [...bySubprocessor].map(([subprocessor, counts]) => ({ subprocessor, ...counts }))
  }

  /**
   * The guard's question: may this merchant's data go to this subprocessor now? No while the
   * subprocessor is not effective, or while the merchant has an open or upheld objection to it.
   */
  async isFlowAllowed(merchantId: number, subprocessorId: number): Promise<boolean> {
    const subprocessor = await Subprocessor.find(subprocessorId)
    if (!subprocessor || subprocessor.status !== 'effective') return false
    const blocking = await Objection.query()
      .where({ merchantId, subprocessorId })
      .whereIn('status', BLOCKING_OBJECTION_STATUSES)
      .first()
    return !blocking
  }
}

const objections = new Objections()
export default objections
