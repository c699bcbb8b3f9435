import { FieldInvalid, NotFound } from '#core/errors'
import Merchant from '#merchants/models/merchant'
import ProcessingActivity from '#data_map/models/processing_activity'
import Purpose from '#data_map/models/purpose'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import System from '#data_map/models/system'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import { assertCodeFree, UNIQUE_CODE } from '#data_map/services/catalog_writes'
import { saveAudited } from '#audit/services/audited_write'

export interface ActivityInput {
  code: string
  name: string
  description?: string
  merchantId?: number | null
  purposeId: number
  retentionDays: number
  retentionNote?: string
  securityMeasures?: string[]
  status?: 'active' | 'retired'
  categoryIds: number[]
  subjectIds: number[]
  systemIds: number[]
}

async function allExist(model: LucidModel, ids: number[], field: string, what: string) {
  const unique = [...new Set(ids)]
  if (unique.length === 0)
    throw new FieldInvalid(field, `Choose at least one ${what}.`, 'data_map_choose_one')
  const found = await model.query().whereIn('id', unique)
  if (found.length !== unique.length) {
    throw new FieldInvalid(
      field,
      `One of the chosen ${what}s does not exist.`,
      'data_map_chosen_missing'
    )
  }
  return unique
}

/**
 * An activity's stated retention may not undercut the rules of the categories it covers: the
 * purge follows the category rules, so a shorter figure in the RoPA would be untrue.
 */
async function assertRetentionCoversRules(categoryIds: number[], retentionDays: number) {
  const longer = await DataCategory.query()
    .whereIn('id', categoryIds)
    .whereHas('retentionRule', (rule) => rule.where('duration_days', '>', retentionDays))
    .preload('retentionRule')
  if (!longer.length) return
  const longest = Math.max(...longer.map((c) => c.retentionRule.durationDays))
  throw new FieldInvalid(
    'retentionDays',
    `Shorter than the retention rule of ${longer
      .map((c) => `${c.code} (${c.retentionRule.durationDays} days)`)
      .join(
        ', '
      )}, which this activity covers. State at least ${longest} days, or shorten those rules.`,
    'data_map_activity_retention_below_rules'
  )
}

/** Art. 30(2) processing activities: who the controller is, why, what, whose, where, how long. */
export class ActivitiesService {
  async save(input: ActivityInput, id?: number) {
    const activity = id ? await ProcessingActivity.find(id) : new ProcessingActivity()
    if (!activity) throw new NotFound('processing activity')

    const purpose = await Purpose.find(input.purposeId)
    if (!purpose)
      throw new FieldInvalid(
        'purposeId',
        'Choose a registered purpose.',
        'data_map_unknown_purpose'
      )
    if (purpose.status === 'prohibited') {
      throw new FieldInvalid(
        'purposeId',
        `"${purpose.code}" is a prohibited purpose; no processing activity may use it.`,
        'data_map_purpose_prohibited'
      )
    }
    if (!Number.isInteger(input.retentionDays) || input.retentionDays <= 0) {
      throw new FieldInvalid(
        'retentionDays',
        'Retention must be at least 1 day.',
        'data_map_retention_min'
      )
    }
    if (input.merchantId && !(await Merchant.find(input.merchantId))) {
      throw new FieldInvalid(
        'merchantId',
        'Choose an existing merchant, or all merchants.',
        'data_map_activity_unknown_merchant'
      )
    }
    const categoryIds = await allExist(
      DataCategory,
      input.categoryIds,
      'categoryIds',
      'data category'
    )
    await assertRetentionCoversRules(categoryIds, input.retentionDays)
    const subjectIds = await allExist(
      DataSubjectCategory,
      input.subjectIds,
      'subjectIds',
      'data-subject category'
    )
    const systemIds = await allExist(System, input.systemIds, 'systemIds', 'system')
    await assertCodeFree(ProcessingActivity, input.code, id)

    activity.merge({
      code: input.code,
      name: input.name,
      description: input.description ?? '',
      merchantId: input.merchantId ?? null,
      purposeId: purpose.id,
      retentionDays: input.retentionDays,
      retentionNote: input.retentionNote ?? '',
      securityMeasures: input.securityMeasures ?? [],
      status: input.status ?? 'active',
    })
    return saveAudited(
      activity,
      {
        action: id ? 'data_map.activity_updated' : 'data_map.activity_created',
        targetType: 'processing_activity',
        merchantId: activity.merchantId,
        meta: { purpose: purpose.code },
      },
      {
        unique: UNIQUE_CODE,
        extra: async (trx) => {
          await activity.related('categories').sync(categoryIds, true, trx)
          await activity.related('subjects').sync(subjectIds, true, trx)
          await activity.related('systems').sync(systemIds, true, trx)
        },
      }
    )
  }
}

export default new ActivitiesService()
