import type { AuditActor } from '#audit/services/audit_trail'
import { saveAudited } from '#audit/services/audited_write'
import Merchant from '#merchants/models/merchant'
import keyring from '#keys/services/keyring'
import type { ControllerDetailsInput } from '#merchants/validators/controller_details'

export interface ControllerDetails {
  address: string | null
  email: string | null
  dpo: { name: string; email: string } | null
  representative: { name: string; contact: string } | null
}

/** What the RoPA (Art. 30(2)(a)) and Annex I.A print about a controller. */
export function controllerDetailsOf(merchant: Merchant): ControllerDetails {
  return {
    address: merchant.contactAddress ?? null,
    email: merchant.contactEmail ?? null,
    dpo:
      merchant.dpoName && merchant.dpoEmail
        ? { name: merchant.dpoName, email: merchant.dpoEmail }
        : null,
    representative:
      merchant.representativeName && merchant.representativeContact
        ? { name: merchant.representativeName, contact: merchant.representativeContact }
        : null,
  }
}

/** The merchant keeps its own controller details; each change lands in the audit trail. */
export async function saveControllerDetails(
  merchant: Merchant,
  input: ControllerDetailsInput,
  /** Taken from the request's principal when omitted. */
  actor?: AuditActor
) {
  // Provisioned outside the transaction: its own transaction must see the merchant row unlocked
  await keyring.scope(merchant.id, true)
  merchant.merge({
    contactAddress: input.contactAddress,
    contactEmail: input.contactEmail,
    dpoName: input.dpoName || null,
    dpoEmail: input.dpoName ? (input.dpoEmail ?? null) : null,
    representativeName: input.representativeName || null,
    representativeContact: input.representativeName ? (input.representativeContact ?? null) : null,
  })
  return saveAudited(merchant, {
    action: 'merchants.controller_details_updated',
    actor,
    merchantId: merchant.id,
    targetType: 'merchant',
    meta: { fields: Object.keys(merchant.$dirty) },
  })
}
