import { DateTime } from 'luxon'
import { FieldInvalid, NotFound } from '#core/errors'
import { auditedWrite } from '#audit/services/audited_write'
import DataCategory from '#data_map/models/data_category'
import RetentionRule from '#data_map/models/retention_rule'
import MerchantRetentionOverride from '#data_map/models/merchant_retention_override'
import Merchant from '#merchants/models/merchant'
import type { RetentionStart } from '#data_map/taxonomy'

export interface RetentionRuleInput {
  durationDays: number
  startsFrom: RetentionStart
  basis?: string
}

/** Who records a retention instruction: the merchant itself, or staff from its written instruction. */
export type InstructionSource = 'merchant' | 'staff'

export interface OverrideInput {
  merchantId: number
  dataCategoryId: number
  durationDays: number
  reason?: string
}

function assertPositive(days: number, field = 'durationDays') {
  if (!Number.isInteger(days) || days <= 0) {
    throw new FieldInvalid(
      field,
      'Retention must be a whole number of days, at least 1.',
      'data_map_retention_min'
    )
  }
}

/**
 * Retention rules per data category, and merchant overrides that may only be stricter
 * (shorter): a merchant can instruct us to keep less, never more than the platform rule.
 */
export class RetentionPolicy {
  async setRule(categoryId: number, input: RetentionRuleInput) {
    assertPositive(input.durationDays)
    const category = await DataCategory.find(categoryId)
    if (!category) throw new NotFound('data category')
    const tighter = await MerchantRetentionOverride.query()
      .where('data_category_id', categoryId)
      .where('duration_days', '>=', input.durationDays)
      .count('* as total')
    if (Number(tighter[0].$extras.total) > 0) {
      throw new FieldInvalid(
        'durationDays',
        'Some merchants already keep this category for this long or less; a rule must stay longer than every override.',
        'data_map_rule_below_overrides'
      )
    }
    return auditedWrite(
      (trx) =>
        RetentionRule.updateOrCreate(
          { dataCategoryId: categoryId },
          {
            durationDays: input.durationDays,
            startsFrom: input.startsFrom,
            basis: input.basis ?? '',
          },
          { client: trx }
        ),
      {
        action: 'data_map.retention_rule_set',
        target: { type: 'data_category', id: categoryId },
        meta: { durationDays: input.durationDays, startsFrom: input.startsFrom },
      }
    )
  }

  /**
   * Records a merchant's instruction to keep a category for less time. It may only shorten: below
   * the category rule, and never above the merchant's own previous instruction (by the merchant
   * or by staff recording it). Lengthening means the merchant withdraws its instruction first.
   */
  async setOverride(input: OverrideInput, by: InstructionSource) {
    assertPositive(input.durationDays)
    const merchant = await Merchant.find(input.merchantId)
    if (!merchant)
      throw new FieldInvalid(
        'merchantId',
        'Choose an existing merchant.',
        'data_map_override_unknown_merchant'
      )
    const rule = await RetentionRule.findBy('data_category_id', input.dataCategoryId)
    if (!rule) {
      throw new FieldInvalid(
        'dataCategoryId',
        'This category has no retention rule yet, so there is nothing to make stricter.',
        'data_map_override_without_rule'
      )
    }
    if (input.durationDays >= rule.durationDays) {
      throw new FieldInvalid(
        'durationDays',
        `An override may only shorten retention: it must be less than the rule's ${rule.durationDays} days.`,
        'data_map_override_not_shorter'
      )
    }
    const previous = await MerchantRetentionOverride.query()
      .where('merchant_id', input.merchantId)
      .where('data_category_id', input.dataCategoryId)
      .first()
    if (previous && input.durationDays > previous.durationDays) {
      throw by === 'merchant'
        ? new FieldInvalid(
            'durationDays',
            `Your instruction keeps this for ${previous.durationDays} days; an instruction may only be shortened. Withdraw it first to return to the platform rule.`,
            'data_map_own_instruction_lengthened'
          )
        : new FieldInvalid(
            'durationDays',
            `The merchant instructed ${previous.durationDays} days; staff cannot lengthen a merchant's instruction.`,
            'data_map_merchant_instruction_lengthened'
          )
    }
    return auditedWrite(
      (trx) =>
        MerchantRetentionOverride.updateOrCreate(
          { merchantId: input.merchantId, dataCategoryId: input.dataCategoryId },
          { durationDays: input.durationDays, reason: input.reason ?? '', recordedBy: by },
          { client: trx }
        ),
      {
        action: 'data_map.retention_override_set',
        merchantId: input.merchantId,
        target: { type: 'data_category', id: input.dataCategoryId },
        meta: { durationDays: input.durationDays, recordedBy: by },
      }
    )
  }

  /**
   * The merchant withdraws its own instruction; the category rule applies again. Staff have no
   * such path, and the database refuses a delete outside this one.
   */
  async withdrawOverride(merchantId: number, dataCategoryId: number) {
    const override = await MerchantRetentionOverride.query()
      .where('merchant_id', merchantId)
      .where('data_category_id', dataCategoryId)
      .first()
    if (!override) throw new NotFound('retention override')
    await auditedWrite(
      async (trx) => {
        // The trigger lets only the merchant's own withdrawal delete an instruction
        await trx.rawQuery(`SELECT set_config('hub.retention_instruction_by', 'merchant', true)`)
        override.useTransaction(trx)
        await override.delete()
      },
      {
        action: 'data_map.retention_override_removed',
        merchantId: override.merchantId,
        target: { type: 'data_category', id: override.dataCategoryId },
      }
    )
  }

  /** Every category with its rule and, for `merchantId`, the override and the days that apply. */
  async effectiveFor(merchantId: number) {
    const categories = await DataCategory.query().preload('retentionRule').orderBy('code')
    const overrides = await MerchantRetentionOverride.query().where('merchant_id', merchantId)
    return categories.map((category) => {
      const override = overrides.find((o) => o.dataCategoryId === category.id) ?? null
      const rule = category.retentionRule ?? null
      return {
        category: category.code,
        name: category.name,
        ruleDays: rule?.durationDays ?? null,
        startsFrom: rule?.startsFrom ?? null,
        overrideDays: override?.durationDays ?? null,
        effectiveDays: override?.durationDays ?? rule?.durationDays ?? null,
      }
    })
  }

  /**
   * Cutoffs for one category: rows older than `defaultCutoff` are expired, except for merchants
   * with an override, whose (earlier-expiring, later) cutoff is listed per merchant.
   */
  async cutoffsFor(categoryCode: string, now = DateTime.utc()) {
    const category = await DataCategory.query()
      .where('code', categoryCode)
      .preload('retentionRule')
      .first()
    if (!category?.retentionRule) return null
    const overrides = await MerchantRetentionOverride.query().where('data_category_id', category.id)
    return {
      rule: category.retentionRule,
      defaultCutoff: now.minus({ days: category.retentionRule.durationDays }),
      merchantCutoffs: new Map(
        overrides.map((o) => [o.merchantId, now.minus({ days: o.durationDays })])
      ),
    }
  }
}

export default new RetentionPolicy()
