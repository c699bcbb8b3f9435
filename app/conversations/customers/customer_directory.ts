import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { blindIndexOf } from '#keys/encrypted_columns'
import Customer from '#conversations/models/customer'
import type { CustomerIds } from '#conversations/events/parse'

/*
 * Customers are found by blind index only (never by decrypting), within one merchant: the
 * indexes are keyed per merchant, so the same WhatsApp number at merchant B matches nothing of
 * merchant A's. A value that does not normalise (not a wa_id, BSUID or Instagram id) is left out
 * rather than indexed as garbage.
 */

type Identifier = 'waId' | 'bsuid' | 'instagramId' | 'phone'

const INDEX_COLUMN: Record<Identifier, string> = {
  waId: 'wa_id_bidx',
  bsuid: 'bsuid_bidx',
  instagramId: 'instagram_id_bidx',
  phone: 'phone_bidx',
}

async function indexOf(merchantId: number, attribute: Identifier, value: string | null) {
  if (!value) return null
  try {
    return await blindIndexOf(Customer, attribute, value, merchantId)
  } catch {
    return null
  }
}

/** A WhatsApp id is the customer's number without the `+`: their phone, in E.164. */
function phoneOf(waId: string | null | undefined) {
  return waId && /^\d{7,15}$/.test(waId) ? `+${waId}` : null
}

export interface FoundCustomer {
  customer: Customer
  created: boolean
}

export class CustomerDirectory {
  /**
   * The merchant's customer with any of these identifiers, or null. Checks wa_id, BSUID,
   * Instagram id and the phone derived from a wa_id.
   */
  async find(merchantId: number, ids: CustomerIds, trx?: TransactionClientContract) {
    const lookups: Array<[Identifier, string | null]> = [
      ['waId', await indexOf(merchantId, 'waId', ids.waId ?? null)],
      ['bsuid', await indexOf(merchantId, 'bsuid', ids.bsuid ?? null)],
      ['instagramId', await indexOf(merchantId, 'instagramId', ids.instagramId ?? null)],
      ['phone', await indexOf(merchantId, 'phone', phoneOf(ids.waId))],
    ]
    const present = lookups.filter((l): l is [Identifier, string] => l[1] !== null)
    if (present.length === 0) return null
    const query = Customer.query({ client: trx })
      .where('merchant_id', merchantId)
      .where((q) => {
        for (const [attribute, bidx] of present) q.orWhere(INDEX_COLUMN[attribute], bidx)
      })
      .orderBy('id')
    if (trx) query.forUpdate()
    return query.first()
  }

  /**
   * Finds the customer or creates them, fills identifiers learnt since (a BSUID next to a known
   * wa_id, a profile name) and moves `last_seen_at` forward. Two workers creating the same new
   * customer at once meet the unique blind indexes: the loser's transaction fails and is retried.
   */
  async upsert(
    merchantId: number,
    ids: CustomerIds,
    seenAt: DateTime,
    trx: TransactionClientContract
  ): Promise<FoundCustomer | null> {
    const waId = (await indexOf(merchantId, 'waId', ids.waId ?? null)) ? ids.waId! : null
    const bsuid = (await indexOf(merchantId, 'bsuid', ids.bsuid ?? null)) ? ids.bsuid! : null
    const instagramId = (await indexOf(merchantId, 'instagramId', ids.instagramId ?? null))
      ? ids.instagramId!
      : null
    if (!waId && !bsuid && !instagramId) return null
    const known = { waId, bsuid, instagramId }

    const existing = await this.find(merchantId, known, trx)
    if (existing) {
      if (waId && !existing.waId) existing.waId = waId
      if (waId && !existing.phone) existing.phone = phoneOf(waId)
      if (bsuid && !existing.bsuid) existing.bsuid = bsuid
      if (instagramId && !existing.instagramId) existing.instagramId = instagramId
      if (ids.displayName && ids.displayName !== existing.displayName) {
        existing.displayName = ids.displayName
      }
      if (seenAt > existing.lastSeenAt) existing.lastSeenAt = seenAt
      if (existing.$isDirty) {
        existing.useTransaction(trx)
        await existing.save()
      }
      return { customer: existing, created: false }
    }

    const customer = new Customer()
    customer.useTransaction(trx)
    customer.fill({
      merchantId,
      waId,
      phone: phoneOf(waId),
      bsuid,
      instagramId,
      displayName: ids.displayName ?? null,
      firstSeenAt: seenAt,
      lastSeenAt: seenAt,
    })
    await customer.save()
    return { customer, created: true }
  }

  /** The customer moved to a new WhatsApp number (`user_changed_number`). */
  async changeWaId(customer: Customer, waId: string, trx: TransactionClientContract) {
    if (!(await indexOf(customer.merchantId, 'waId', waId))) return
    customer.waId = waId
    customer.phone = phoneOf(waId)
    customer.useTransaction(trx)
    await customer.save()
  }
}

export default new CustomerDirectory()
