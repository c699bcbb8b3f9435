import Purpose from '#data_map/models/purpose'
import ProcessingActivity from '#data_map/models/processing_activity'

export interface PurposeQuestion {
  merchantId: number
  purpose: string
  categories: string[]
}

export type PurposeVerdict =
  | { allowed: true; activities: string[] }
  | {
      allowed: false
      reason: 'purpose_unknown' | 'purpose_prohibited' | 'categories_not_covered'
      uncovered: string[]
    }

/** A dot-path code is covered by itself or by any ancestor (`customer.contact` covers `.phone`). */
function covers(granted: string, asked: string) {
  return asked === granted || asked.startsWith(`${granted}.`)
}

/**
 * DESIGN.md §5, first guard condition: is this purpose allowed for these data categories in the
 * merchant's processing activities? Guards ask this; the answer comes from the live data map.
 */
export class PurposeRegistry {
  async check(question: PurposeQuestion): Promise<PurposeVerdict> {
    const purpose = await Purpose.findBy('code', question.purpose)
    if (!purpose)
      return { allowed: false, reason: 'purpose_unknown', uncovered: question.categories }
    if (purpose.status === 'prohibited') {
      return { allowed: false, reason: 'purpose_prohibited', uncovered: question.categories }
    }
    const activities = await ProcessingActivity.query()
      .where('purpose_id', purpose.id)
      .where('status', 'active')
      .where((scope) => scope.whereNull('merchant_id').orWhere('merchant_id', question.merchantId))
      .preload('categories')
    const granted = activities.flatMap((activity) => activity.categories.map((c) => c.code))
    const uncovered = question.categories.filter((asked) => !granted.some((g) => covers(g, asked)))
    if (activities.length === 0 || uncovered.length > 0) {
      return { allowed: false, reason: 'categories_not_covered', uncovered }
    }
    return { allowed: true, activities: activities.map((activity) => activity.code) }
  }
}

export default new PurposeRegistry()
