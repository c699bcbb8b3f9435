import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Conflict, FieldInvalid } from '#core/errors'
import { blindIndexOf } from '#keys/encrypted_columns'
import { auditedWrite } from '#audit/services/audited_write'
import type { AuditActor } from '#audit/actor'
import Merchant from '#merchants/models/merchant'
import CustomerRightsRequest from '#conversations/models/customer_rights_request'
import Customer from '#conversations/models/customer'
import DsrCase, {
  OPEN_STATUSES,
  type DsrSource,
  type DsrType,
  type SubjectIdentifier,
} from '#dsr/models/dsr_case'
import type { IntakeRequest } from '#dsr/validators/dsr'
import { dsrDeadline, jurisdictionOf, today } from '#dsr/services/deadlines'
import { recordEvent } from '#dsr/services/timeline'
import { notifyMerchant } from '#dsr/services/merchant_notices'
import reminders from '#dsr/services/reminders'
import callbacks from '#dsr/services/callbacks'
import workflow from '#dsr/services/workflow'
import receipts from '#dsr/services/receipts'

export interface IntakeChannel {
  merchant: Merchant
  source: DsrSource
  userId?: number | null
  tokenId?: number | null
  idempotencyKey?: string | null
}

export interface IntakeResult {
  dsrCase: DsrCase
  /** `created`; `replayed` for a repeated Idempotency-Key; `linked` to an open duplicate. */
  outcome: 'created' | 'replayed' | 'linked'
  receipt: string
}

/* Requests customers send the hub directly: the merchant decides, so they wait for it. */
const CUSTOMER_SOURCES: DsrSource[] = ['chat', 'privacy_email']

/* The identifiers with blind indexes: request name, sealed attribute, index attribute and column. */
const BLIND_INDEXED = [
  ['phone', 'subjectPhone', 'subjectPhoneBidx', 'subject_phone_bidx'],
  ['wa_id', 'subjectWaId', 'subjectWaIdBidx', 'subject_wa_id_bidx'],
  ['bsuid', 'subjectBsuid', 'subjectBsuidBidx', 'subject_bsuid_bidx'],
  ['instagram_id', 'subjectInstagramId', 'subjectInstagramIdBidx', 'subject_instagram_id_bidx'],
  ['email', 'subjectEmail', 'subjectEmailBidx', 'subject_email_bidx'],
] as const satisfies readonly (readonly [SubjectIdentifier, keyof DsrCase, keyof DsrCase, string])[]

interface BlindIndexValue {
  column: string
  attribute: keyof DsrCase
  value: string
}

/** `DSR-2026-7KQ2M9XA`: the year and eight characters of Crockford base32. */
function newReference(now: DateTime) {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  const bytes = randomBytes(8)
  const code = [...bytes].map((b) => alphabet[b % 32]).join('')
  return `DSR-${now.year}-${code}`
}

/** Merchant intake (API, portal, console) and customer-initiated requests becoming cases. */
export class DsrIntake {
  async submit(request: IntakeRequest, channel: IntakeChannel): Promise<IntakeResult> {
    const { merchant } = channel
    const customerInitiated = CUSTOMER_SOURCES.includes(channel.source)
    if (channel.idempotencyKey) {
      const earlier = await DsrCase.query()
        .where({ merchantId: merchant.id, idempotencyKey: channel.idempotencyKey })
        .first()
      if (earlier) {
        if (earlier.type !== request.type) {
          throw new Conflict(
            'idempotency_key_reused',
            'This Idempotency-Key was already used for a different request.'
          )
        }
        return { dsrCase: earlier, outcome: 'replayed', receipt: await receipts.issue(earlier) }
      }
    }
    this.checkRequest(request, customerInitiated)
    const jurisdiction = jurisdictionOf(merchant.countryCode)
    // The validator parsed YYYY-MM-DD as local midnight: read the day back the same way
    const receivedDay = DateTime.fromJSDate(request.receivedAt).toISODate()!
    if (receivedDay > today(jurisdiction).toISODate()!) {
      throw new FieldInvalid(
        'received_at',
        'The date received cannot be in the future.',
        'dsr_received_in_future'
      )
    }
    const deadlines = dsrDeadline(receivedDay, jurisdiction)

    const draft = new DsrCase()
    draft.merge({
      reference: newReference(DateTime.utc()),
      merchantId: merchant.id,
      type: request.type,
      status: customerInitiated ? 'awaiting_merchant' : 'received',
      source: channel.source,
      subjectPhone: request.subject.phone ?? null,
      subjectWaId: request.subject.wa_id ?? null,
      subjectBsuid: request.subject.bsuid ?? null,
      subjectInstagramId: request.subject.instagram_id ?? null,
      subjectEmail: request.subject.email ?? null,
      subjectCustomerRef: request.subject.customer_ref ?? null,
      identityVerified: request.identityVerified,
      rectificationValues: request.rectification ? JSON.stringify(request.rectification) : null,
      notes: request.notes ?? null,
      receivedOn: DateTime.fromISO(receivedDay),
      jurisdiction,
      originalDueAt: deadlines.dueOn,
      dueAt: deadlines.dueOn,
      internalDueAt: deadlines.internalDueOn,
      createdByUserId: channel.userId ?? null,
      apiTokenId: channel.tokenId ?? null,
      idempotencyKey: channel.idempotencyKey ?? null,
    })

    // Before the transaction: a merchant's first blind index provisions its keys, which commit alone
    const indexes = await this.indexesOf(draft)
    const { dsrCase, linked } = await auditedWrite(
      async (trx) => {
        // One intake at a time per merchant, so two copies of a request cannot both be new
        await trx.rawQuery('SELECT pg_advisory_xact_lock(7500, ?)', [merchant.id])
        const open = await this.openDuplicate(draft, indexes, trx)
        if (open) {
          await recordEvent(
            open,
            { kind: 'duplicate_linked', detail: { source: channel.source } },
            trx
          )
          return { dsrCase: open, linked: true }
        }
        draft.useTransaction(trx)
        await draft.save()
        await recordEvent(
          draft,
          { kind: 'received', to: draft.status, detail: { source: channel.source } },
          trx
        )
        if (customerInitiated) await notifyMerchant(draft, 'awaiting_merchant', trx)
        return { dsrCase: draft, linked: false }
      },
      (result) => ({
        action: result.linked ? 'dsr.case.duplicate_linked' : 'dsr.case.received',
        merchantId: merchant.id,
        target: { type: 'dsr_case', id: result.dsrCase.id },
        meta: {
          reference: result.dsrCase.reference,
          type: result.dsrCase.type,
          source: channel.source,
          status: result.dsrCase.status,
        },
      })
    )
    if (!linked) await this.afterCreate(dsrCase)
    return {
      dsrCase,
      outcome: linked ? 'linked' : 'created',
      receipt: await receipts.issue(dsrCase),
    }
  }

  /** Rules that span fields (the validator checks each field on its own). */
  private checkRequest(request: IntakeRequest, customerInitiated: boolean) {
    if (Object.keys(request.subject).length === 0) {
      throw new FieldInvalid(
        'subject',
        'Give at least one identifier of the person.',
        'dsr_identifier_required'
      )
    }
    const values = request.rectification ? Object.keys(request.rectification) : []
    if (request.type === 'rectification' && values.length === 0) {
      throw new FieldInvalid(
        'rectification',
        'A rectification request needs the corrected values.',
        'dsr_rectification_values_required'
      )
    }
    if (request.type !== 'rectification' && values.length > 0) {
      throw new FieldInvalid(
        'rectification',
        'Corrected values belong to rectification requests only.',
        'dsr_rectification_values_not_allowed'
      )
    }
    if (!customerInitiated && !request.identityVerified) {
      throw new FieldInvalid(
        'identity_verified',
        "Confirm that you verified the person's identity: the hub acts on your instruction.",
        'dsr_identity_unconfirmed'
      )
    }
  }

  /** The draft's blind indexes, as its save will compute them. */
  private async indexesOf(draft: DsrCase) {
    const indexes: BlindIndexValue[] = []
    for (const [name, sealed, attribute, column] of BLIND_INDEXED) {
      const value = draft.subject[name]
      if (value) {
        indexes.push({
          column,
          attribute,
          value: await blindIndexOf(DsrCase, sealed, value, draft.merchantId),
        })
      }
    }
    return indexes
  }

  /** An open case of the same merchant and type naming the same person, if any. */
  private async openDuplicate(
    draft: DsrCase,
    indexes: BlindIndexValue[],
    trx: TransactionClientContract
  ) {
    const candidates = await DsrCase.query({ client: trx })
      .where('merchant_id', draft.merchantId)
      .where('type', draft.type)
      .whereIn('status', OPEN_STATUSES)
      .where((q) => {
        for (const index of indexes) q.orWhere(index.column, index.value)
        // The customer reference has no index: compare it once opened
        if (draft.subjectCustomerRef) q.orWhereNotNull('subject_customer_ref')
        if (draft.customerId) q.orWhere('customer_id', draft.customerId)
      })
      .orderBy('id')
    const sameRef = (c: DsrCase) =>
      draft.subjectCustomerRef !== null && c.subjectCustomerRef === draft.subjectCustomerRef
    const sameCustomer = (c: DsrCase) =>
      draft.customerId !== null && c.customerId === draft.customerId
    return (
      candidates.find(
        (c) => indexes.some((i) => c[i.attribute] === i.value) || sameRef(c) || sameCustomer(c)
      ) ?? null
    )
  }

  /** Reminders, the merchant's callback, and (for a merchant's own request) the automatic run. */
  private async afterCreate(dsrCase: DsrCase) {
    if (dsrCase.status === 'received') {
      await reminders.schedule(dsrCase)
      await workflow.schedule(dsrCase)
    }
    await callbacks.enqueue(dsrCase)
  }

  /**
   * A customer's own request (chat or the privacy mailbox) becomes a case awaiting the
   * merchant. The customer is known, so the case names them by reference only.
   */
  async fromCustomerRequest(request: CustomerRightsRequest, actor?: AuditActor) {
    const merchant = await Merchant.findOrFail(request.merchantId)
    const customer = request.customerId ? await Customer.find(request.customerId) : null
    const jurisdiction = jurisdictionOf(merchant.countryCode)
    const receivedOn = request.createdAt.setZone(
      jurisdiction === 'EG' ? 'Africa/Cairo' : 'Europe/Brussels'
    )
    const deadlines = dsrDeadline(receivedOn, jurisdiction)
    const type: DsrType = request.requestType === 'unspecified' ? 'access' : request.requestType
    const dsrCase = new DsrCase()
    dsrCase.merge({
      reference: newReference(DateTime.utc()),
      merchantId: merchant.id,
      type,
      status: 'awaiting_merchant',
      source: request.source,
      subjectCustomerRef: customer?.reference ?? null,
      customerId: customer?.id ?? null,
      identityVerified: false,
      receivedOn: DateTime.fromISO(receivedOn.toISODate()!),
      jurisdiction,
      originalDueAt: deadlines.dueOn,
      dueAt: deadlines.dueOn,
      internalDueAt: deadlines.internalDueOn,
      customerRightsRequestId: request.id,
    })
    await auditedWrite(
      async (trx) => {
        const claimed = await trx
          .from('customer_rights_requests')
          .where('id', request.id)
          .where('state', 'awaiting_merchant')
          .whereNull('dsr_case_id')
          .forUpdate()
          .first()
        if (!claimed) return
        dsrCase.useTransaction(trx)
        await dsrCase.save()
        await recordEvent(
          dsrCase,
          {
            kind: 'received',
            to: 'awaiting_merchant',
            detail: { source: request.source, requested_type: request.requestType },
            actor,
          },
          trx
        )
        await trx.from('customer_rights_requests').where('id', request.id).update({
          state: 'converted',
          dsr_case_id: dsrCase.id,
          updated_at: DateTime.utc().toSQL(),
        })
        await notifyMerchant(dsrCase, 'awaiting_merchant', trx)
      },
      () => ({
        action: 'dsr.case.received',
        actor,
        merchantId: merchant.id,
        target: { type: 'dsr_case', id: dsrCase.id ?? 0 },
        meta: { source: request.source, customer_rights_request_id: request.id },
      })
    )
    if (dsrCase.$isPersisted) await callbacks.enqueue(dsrCase)
    return dsrCase.$isPersisted ? dsrCase : null
  }

  /** Converts every customer request still waiting to become a case. */
  async convertPendingRequests(limit = 100) {
    const pending = await CustomerRightsRequest.query()
      .where('state', 'awaiting_merchant')
      .whereNull('dsr_case_id')
      .orderBy('id')
      .limit(limit)
    const converted = []
    for (const request of pending) {
      const dsrCase = await this.fromCustomerRequest(request, { type: 'system' })
      if (dsrCase) converted.push(dsrCase.id)
    }
    return converted
  }
}

const intake = new DsrIntake()
export default intake
