import { FieldInvalid, NotFound } from '#core/errors'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import Purpose from '#data_map/models/purpose'
import ProcessingActivity from '#data_map/models/processing_activity'
import { assertCodeFree, UNIQUE_CODE } from '#data_map/services/catalog_writes'
import { saveAudited } from '#audit/services/audited_write'
import { CATEGORY_CODE_PATTERN, isProhibitedPurpose, type Sensitivity } from '#data_map/taxonomy'
import type { PurposeStatus } from '#data_map/models/purpose'

export interface CategoryInput {
  code: string
  name: string
  description?: string
  sensitivity: Sensitivity
  specialCategory?: boolean
}

export interface SubjectInput {
  code: string
  name: string
  description?: string
}

export interface PurposeInput {
  code: string
  name: string
  description?: string
  status: PurposeStatus
}

/** Data categories, data-subject categories and purposes: the data map's vocabulary. */
export class TaxonomyService {
  async saveCategory(input: CategoryInput, id?: number) {
    if (!CATEGORY_CODE_PATTERN.test(input.code)) {
      throw new FieldInvalid(
        'code',
        'Use a dot-path code such as customer.contact.phone.',
        'data_map_category_code_format'
      )
    }
    const category = id ? await DataCategory.find(id) : new DataCategory()
    if (!category) throw new NotFound('data category')
    await assertCodeFree(DataCategory, input.code, id)
    category.merge({
      code: input.code,
      name: input.name,
      description: input.description ?? '',
      sensitivity: input.sensitivity,
      specialCategory: input.specialCategory ?? false,
    })
    return saveAudited(
      category,
      {
        action: id ? 'data_map.category_updated' : 'data_map.category_created',
        targetType: 'data_category',
      },
      { unique: UNIQUE_CODE }
    )
  }

  async saveSubject(input: SubjectInput, id?: number) {
    const subject = id ? await DataSubjectCategory.find(id) : new DataSubjectCategory()
    if (!subject) throw new NotFound('data-subject category')
    await assertCodeFree(DataSubjectCategory, input.code, id)
    subject.merge({ code: input.code, name: input.name, description: input.description ?? '' })
    return saveAudited(
      subject,
      {
        action: id ? 'data_map.subject_updated' : 'data_map.subject_created',
        targetType: 'data_subject_category',
      },
      { unique: UNIQUE_CODE }
    )
  }

  /** DESIGN.md §5: a prohibited code can never be registered (or re-registered) as allowed. */
  async savePurpose(input: PurposeInput, id?: number) {
    const purpose = id ? await Purpose.find(id) : new Purpose()
    if (!purpose) throw new NotFound('purpose')
    if (isProhibitedPurpose(input.code) && input.status !== 'prohibited') {
      throw new FieldInvalid(
        'status',
        `"${input.code}" is a prohibited purpose and can never be allowed.`,
        'data_map_purpose_always_prohibited'
      )
    }
    if (id && purpose.code !== input.code && isProhibitedPurpose(purpose.code)) {
      throw new FieldInvalid(
        'code',
        'A prohibited purpose cannot be renamed.',
        'data_map_prohibited_purpose_renamed'
      )
    }
    if (id && input.status === 'prohibited' && purpose.status !== 'prohibited') {
      const inUse = await ProcessingActivity.query().where('purpose_id', id).first()
      if (inUse) {
        throw new FieldInvalid(
          'status',
          'Processing activities use this purpose; move them first.',
          'data_map_purpose_in_use'
        )
      }
    }
    await assertCodeFree(Purpose, input.code, id)
    purpose.merge({
      code: input.code,
      name: input.name,
      description: input.description ?? '',
      status: input.status,
    })
    return saveAudited(
      purpose,
      {
        action: id ? 'data_map.purpose_updated' : 'data_map.purpose_created',
        targetType: 'purpose',
        meta: { status: input.status },
      },
      { unique: UNIQUE_CODE }
    )
  }
}

export default new TaxonomyService()
