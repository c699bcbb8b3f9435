import { DateTime } from 'luxon'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { Conflict, DomainError, FieldInvalid, Forbidden, NotFound } from '#core/errors'
import { auditedWrite } from '#audit/services/audited_write'
import { PLATFORM_DOMAIN, rolesOf } from '#access/services/authorization'
import { assertNotSameActor } from '#access/services/segregation_of_duties'
import Merchant from '#merchants/models/merchant'
import { legalHoldFilter, type HoldScope } from '#data_map/legal_holds'
import { collectFieldInventory } from '#data_map/inventory/collector'
import LegalHold, { type HoldScopeKind, type HoldSource } from '#dsr/models/legal_hold'

/** Only these staff roles place or lift holds (DESIGN.md §1: legal counsel; the DPO). */
export const HOLD_ROLES = ['legal_counsel', 'dpo'] as const

export interface PlaceHoldInput {
  scope: HoldScopeKind
  merchantId: number
  customerId?: number | null
  reason: string
  source: HoldSource
  sourceRef?: string | null
  expiresAt?: DateTime | null
}

/** Refused while a hold covers the subject (erasure, merchant deletion). */
export class LegalHoldActive extends DomainError {
  constructor(hold: LegalHold) {
    super(
      'legal_hold',
      hold.scope === 'merchant'
        ? `A legal hold (#${hold.id}) covers this merchant, so its data cannot be erased.`
        : `A legal hold (#${hold.id}) covers this customer, so their data cannot be erased.`,
      { status: 409, details: [{ legal_hold_id: hold.id, scope: hold.scope }] }
    )
  }
}

function activeQuery() {
  return LegalHold.query()
    .whereNull('lifted_at')
    .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', DateTime.utc().toSQL()!))
}

/**
 * Legal holds: placing and lifting (two people, audited), the questions "is this subject
 * held?", and the purge filter that keeps held rows out of retention deletes.
 */
export class LegalHolds {
  /** Active holds over the merchant, or over the merchant and one of its customers. */
  activeHoldsFor(merchantId: number, customerId?: number | null) {
    return activeQuery()
      .where('merchant_id', merchantId)
      .where((q) => {
        q.where('scope', 'merchant')
        if (customerId !== undefined && customerId !== null) {
          q.orWhere((s) => s.where('scope', 'subject').where('customer_id', customerId))
        }
      })
      .orderBy('id')
  }

  async isHeld(merchantId: number, customerId?: number | null) {
    return (await this.activeHoldsFor(merchantId, customerId).first()) !== null
  }

  /** Throws `legal_hold` (409) when an active hold covers the subject or the merchant. */
  async assertNotHeld(merchantId: number, customerId?: number | null) {
    const hold = await this.activeHoldsFor(merchantId, customerId).first()
    if (hold) throw new LegalHoldActive(hold)
  }

  async find(id: number) {
    const hold = await LegalHold.find(id)
    if (!hold) throw new NotFound('legal hold')
    return hold
  }

  async place(input: PlaceHoldInput, placedByUserId: number) {
    await this.assertMayManage(placedByUserId)
    const merchant = await Merchant.find(input.merchantId)
    if (!merchant)
      throw new FieldInvalid(
        'merchantId',
        'Choose an existing merchant.',
        'dsr_hold_merchant_unknown'
      )
    if (input.scope === 'subject' && !input.customerId) {
      throw new FieldInvalid(
        'customerId',
        'A hold on one subject names the customer.',
        'dsr_hold_customer_required'
      )
    }
    if (input.expiresAt && input.expiresAt <= DateTime.now()) {
      throw new FieldInvalid(
        'expiresAt',
        'The expiry must lie in the future.',
        'dsr_hold_expiry_past'
      )
    }
    const hold = new LegalHold()
    hold.merge({
      scope: input.scope,
      merchantId: merchant.id,
      customerId: input.scope === 'subject' ? input.customerId! : null,
      reason: input.reason,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      expiresAt: input.expiresAt ?? null,
      placedByUserId,
      placedAt: DateTime.utc(),
    })
    return auditedWrite(
      async (trx) => {
        hold.useTransaction(trx)
        await hold.save()
        return hold
      },
      () => ({
        action: 'dsr.legal_hold.place',
        actor: { type: 'user', id: placedByUserId },
        merchantId: merchant.id,
        target: { type: 'legal_hold', id: hold.id },
        meta: {
          scope: hold.scope,
          customer_id: hold.customerId,
          source: hold.source,
          source_ref: hold.sourceRef,
          expires_at: hold.expiresAt?.toISO() ?? null,
        },
      })
    )
  }

  /** The first person asks to lift the hold; another must confirm (`lift`). */
  async requestLift(hold: LegalHold, reason: string, userId: number) {
    await this.assertMayManage(userId)
    if (!hold.isActive)
      throw new Conflict('legal_hold_not_active', 'This hold is no longer active.')
    if (hold.liftRequestedAt) {
      throw new Conflict('lift_already_requested', 'Lifting this hold has already been requested.')
    }
    return auditedWrite(
      async (trx) => {
        hold.useTransaction(trx)
        hold.merge({
          liftRequestedByUserId: userId,
          liftRequestedAt: DateTime.utc(),
          liftReason: reason,
        })
        return hold.save()
      },
      {
        action: 'dsr.legal_hold.lift_requested',
        actor: { type: 'user', id: userId },
        merchantId: hold.merchantId,
        target: { type: 'legal_hold', id: hold.id },
        meta: { scope: hold.scope },
      }
    )
  }

  /** A second person lifts it: never the one who asked (`assertNotSameActor`). */
  async lift(hold: LegalHold, userId: number) {
    await this.assertMayManage(userId)
    if (!hold.isActive)
      throw new Conflict('legal_hold_not_active', 'This hold is no longer active.')
    if (!hold.liftRequestedAt) {
      throw new Conflict(
        'lift_not_requested',
        'Someone must first ask for the hold to be lifted, with a reason.'
      )
    }
    await assertNotSameActor(hold.liftRequestedByUserId, userId, {
      what: 'legal hold release',
      target: { type: 'legal_hold', id: hold.id },
      merchantId: hold.merchantId,
    })
    return auditedWrite(
      async (trx) => {
        hold.useTransaction(trx)
        hold.merge({ liftedByUserId: userId, liftedAt: DateTime.utc() })
        return hold.save()
      },
      {
        action: 'dsr.legal_hold.lift',
        actor: { type: 'user', id: userId },
        merchantId: hold.merchantId,
        target: { type: 'legal_hold', id: hold.id },
        meta: { scope: hold.scope, requested_by: hold.liftRequestedByUserId },
      }
    )
  }

  private async assertMayManage(userId: number) {
    const roles = await rolesOf(userId, PLATFORM_DOMAIN)
    if (!roles.some((role) => (HOLD_ROLES as readonly string[]).includes(role))) {
      throw new Forbidden('Only legal counsel and the DPO may place or lift legal holds.')
    }
  }

  /**
   * The purge filter: rows of a held merchant, and rows of a held customer, are left out of a
   * retention delete. Which column names the merchant and the customer comes from the field
   * inventory, so a table mapped later is covered without code here.
   */
  async excludeHeld({ table, merchantId, query }: HoldScope) {
    const holds = await activeQuery().select('scope', 'merchant_id', 'customer_id')
    if (holds.length === 0) return
    const columns = await tableColumns(table)
    const heldMerchants = holds.filter((h) => h.scope === 'merchant').map((h) => h.merchantId)
    const merchantColumn = columns.merchant
    if (merchantColumn && heldMerchants.length) {
      if (merchantId !== null && heldMerchants.includes(merchantId)) {
        query.whereRaw('false')
        return
      }
      query.where((q) => q.whereNull(merchantColumn).orWhereNotIn(merchantColumn, heldMerchants))
    }
    const heldCustomers = holds
      .filter((h) => h.scope === 'subject')
      .filter((h) => merchantId === null || h.merchantId === merchantId)
      .map((h) => h.customerId!)
    const customerColumn = columns.customer
    if (customerColumn && heldCustomers.length) {
      excludeValues(query, customerColumn, heldCustomers)
    }
  }
}

function excludeValues(query: DatabaseQueryBuilderContract, column: string, values: number[]) {
  query.where((q) => q.whereNull(column).orWhereNotIn(column, values))
}

/** The merchant and customer columns of a table, read from its inventory entry. */
async function tableColumns(table: string) {
  const inventory = await collectFieldInventory()
  const spec = inventory.find((entry) => entry.table === table)
  const names = new Set([...(spec?.nonPersonal ?? []), ...Object.keys(spec?.personal ?? {})])
  const merchant =
    spec?.retention?.merchantColumn ?? (names.has('merchant_id') ? 'merchant_id' : null)
  // The customers table is the subject itself; elsewhere the subject is referenced
  const customer = table === 'customers' ? 'id' : names.has('customer_id') ? 'customer_id' : null
  return { merchant, customer }
}

const legalHolds = new LegalHolds()
export default legalHolds

legalHoldFilter.register('dsr.legal_holds', (scope) => legalHolds.excludeHeld(scope))
