import { createHmac } from 'node:crypto'
import { DateTime } from 'luxon'
import type { AuditActor } from '#audit/services/audit_trail'
import { saveAudited } from '#audit/services/audited_write'
import { FieldInvalid, NotFound } from '#core/errors'
import keyring from '#keys/services/keyring'
import Customer from '#conversations/models/customer'

/** Fields a rectification may correct, by their API names, and the customer attribute each sets. */
export const RECTIFIABLE: Record<string, 'displayName' | 'email' | 'phone'> = {
  display_name: 'displayName',
  email: 'email',
  phone: 'phone',
}

export interface RectifiedField {
  field: string
  /** HMAC-SHA256 under the customer's own key: provable while they exist, meaningless once erased. */
  before: string | null
  after: string
}

async function customerOf(merchantId: number, customerId: number) {
  const customer = await Customer.query()
    .where('merchant_id', merchantId)
    .where('id', customerId)
    .first()
  if (!customer) throw new NotFound('customer')
  return customer
}

function valueHash(key: Buffer, field: string, value: string | null) {
  if (value === null) return null
  return createHmac('sha256', key).update(`rectification\n${field}\n${value}`).digest('hex')
}

/**
 * Art. 16: sets the corrected values (resealed, blind indexes recomputed by the model) and
 * records keyed hashes of each value before and after, in the audit trail and the case.
 */
export async function rectifyCustomer(
  merchantId: number,
  customerId: number,
  values: Record<string, string>,
  options: { actor: AuditActor; caseReference?: string | null }
): Promise<RectifiedField[]> {
  const fields = Object.keys(values)
  if (!fields.length) {
    throw new FieldInvalid('rectification', 'Give the corrected values.', 'dsr_rectification_empty')
  }
  for (const field of fields) {
    if (!RECTIFIABLE[field]) {
      throw new FieldInvalid(
        `rectification.${field}`,
        `${field} cannot be rectified here.`,
        'dsr_rectification_field_not_rectifiable'
      )
    }
  }
  const customer = await customerOf(merchantId, customerId)
  const key = await keyring.subjectKey(merchantId, `customer:${customerId}`, true)
  const changes: RectifiedField[] = []
  for (const field of fields) {
    const attribute = RECTIFIABLE[field]
    const before = customer[attribute]
    customer[attribute] = values[field]
    changes.push({
      field,
      before: valueHash(key, field, before),
      after: valueHash(key, field, values[field])!,
    })
  }
  await saveAudited(customer, {
    action: 'dsr.rectified',
    actor: options.actor,
    merchantId,
    targetType: 'customer',
    purpose: 'dsr_rectification',
    meta: { caseReference: options.caseReference ?? null, changes },
  })
  return changes
}

/**
 * Art. 18 and 21: flags the customer (`restricted_at` / `objected_at`); the conversation guard
 * then keeps the AI away from them. Setting a flag twice keeps the first date.
 */
export async function flagCustomer(
  merchantId: number,
  customerId: number,
  flag: 'restricted' | 'objected',
  options: { actor: AuditActor; caseReference?: string | null }
) {
  const customer = await customerOf(merchantId, customerId)
  const attribute = flag === 'restricted' ? 'restrictedAt' : 'objectedAt'
  if (customer[attribute]) return customer[attribute]!
  customer[attribute] = DateTime.utc()
  await saveAudited(customer, {
    action: flag === 'restricted' ? 'dsr.restricted' : 'dsr.objected',
    actor: options.actor,
    merchantId,
    targetType: 'customer',
    meta: { caseReference: options.caseReference ?? null },
  })
  return customer[attribute]!
}
