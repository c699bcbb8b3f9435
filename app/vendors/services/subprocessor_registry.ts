import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { saveAudited } from '#audit/services/audited_write'
import { dispatch } from '#core/queue'
import { Conflict, DomainError, FieldInvalid, NotFound } from '#core/errors'
import Subprocessor, { type AiTerms, type SubprocessorStatus } from '#vendors/models/subprocessor'
import type ChangeNotice from '#vendors/models/change_notice'
import type { SubprocessorFilter, SubprocessorInput } from '#vendors/validators/subprocessor'
import { assertTransition } from '#vendors/services/lifecycle'
import changeNotices, {
  NOTICED_FIELDS,
  diffSnapshots,
  type PublishOptions,
} from '#vendors/services/change_notices'
import { hasAdequacy, isEea } from '#core/countries'
import DataCategory from '#data_map/models/data_category'

function aiTermsOf(input: SubprocessorInput): AiTerms | null {
  if (!input.aiProvider) return null
  return {
    trainsOnCustomerData: input.aiTrainsOnCustomerData ?? false,
    abuseLogRetentionDays: input.aiAbuseLogRetentionDays ?? null,
    zeroDataRetention: input.aiZeroDataRetention ?? false,
    notes: input.aiNotes ?? null,
  }
}

/** Rules between the mechanism and the countries that can be checked without other registers. */
function assertMechanismFits(input: SubprocessorInput) {
  const countries = input.processingCountries
  if (input.transferMechanism === 'none_eea' && !countries.every(isEea)) {
    throw new FieldInvalid(
      'transferMechanism',
      '"No transfer" only fits processing inside the EEA; pick the mechanism that covers the other countries.',
      'vendors_no_transfer_outside_eea'
    )
  }
  if (input.transferMechanism === 'adequacy' && !countries.every(hasAdequacy)) {
    throw new FieldInvalid(
      'transferMechanism',
      `No EU adequacy decision covers ${countries.filter((c) => !hasAdequacy(c)).join(', ')}.`,
      'vendors_adequacy_not_covering'
    )
  }
  if (input.transferMechanism === 'dpf' && !countries.every((c) => c === 'US' || isEea(c))) {
    throw new FieldInvalid(
      'transferMechanism',
      'The EU-US Data Privacy Framework only covers the US.',
      'vendors_dpf_us_only'
    )
  }
}

/** The subprocessor register: records, lifecycle and the notices its changes require. */
export class SubprocessorRegistry {
  async find(id: number) {
    const subprocessor = await Subprocessor.find(id)
    if (!subprocessor) throw new NotFound('subprocessor')
    return subprocessor
  }

  /** Visible to merchants and the public: everything that has been announced. */
  publicQuery() {
    return Subprocessor.query().whereIn('status', ['notice_published', 'effective']).orderBy('name')
  }

  async findPublic(id: number) {
    const subprocessor = await this.publicQuery().where('id', id).first()
    if (!subprocessor) throw new NotFound('subprocessor')
    return subprocessor
  }

  list(filter: SubprocessorFilter) {
    const query = Subprocessor.query().orderBy('name')
    if (filter.status) query.where('status', filter.status)
    if (filter.mechanism) query.where('transfer_mechanism', filter.mechanism)
    if (filter.country) query.whereRaw('? = ANY(processing_countries)', [filter.country])
    if (filter.q) {
      const like = `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`
      query.where((q) => q.whereILike('name', like).orWhereILike('service', like))
    }
    return query.paginate(filter.page ?? 1, filter.perPage ?? 25)
  }

  async create(input: SubprocessorInput) {
    assertMechanismFits(input)
    await this.assertKnownCategories(input.dataCategories)
    await this.assertNameFree(input.name)
    const subprocessor = new Subprocessor()
    this.assign(subprocessor, input)
    subprocessor.status = 'proposed'
    return saveAudited(subprocessor, {
      action: 'vendors.subprocessor.create',
      targetType: 'subprocessor',
    })
  }

  /**
   * Edits the record. A retired subprocessor is history and stays as it was. On an effective
   * one, material edits (the noticed fields) are only staged: they reach merchants through
   * `publishChange` and apply when that notice's objection window closes.
   */
  async update(subprocessor: Subprocessor, input: SubprocessorInput) {
    if (subprocessor.status === 'retired') {
      throw new Conflict('subprocessor_retired', 'A retired subprocessor cannot be edited.')
    }
    assertMechanismFits(input)
    await this.assertKnownCategories(input.dataCategories)
    await this.assertNameFree(input.name, subprocessor.id)
    const staged =
      subprocessor.status === 'effective' ? await this.stage(subprocessor, input) : null
    const before = subprocessor.serializePublic()
    this.assign(subprocessor, input)
    if (staged !== null) {
      // Material fields keep their values in force until the notice's window closes
      for (const field of NOTICED_FIELDS) {
        ;(subprocessor as unknown as Record<string, unknown>)[field] = before[field]
      }
      subprocessor.stagedChange = Object.keys(staged).length ? staged : null
    }
    return saveAudited(subprocessor, {
      action: 'vendors.subprocessor.update',
      targetType: 'subprocessor',
      meta: { fields: Object.keys(subprocessor.$dirty), staged: staged ? Object.keys(staged) : [] },
    })
  }

  /** The material fields this edit would change on an effective subprocessor, as `{ field: to }`. */
  private async stage(subprocessor: Subprocessor, input: SubprocessorInput) {
    const current = subprocessor.serializePublic()
    const proposed: Record<string, unknown> = {
      ...current,
      name: input.name,
      legalEntity: input.legalEntity ?? null,
      service: input.service,
      purpose: input.purpose,
      dataCategories: input.dataCategories,
      processingCountries: input.processingCountries,
      transferMechanism: input.transferMechanism,
      aiTerms: aiTermsOf(input),
    }
    const changes = diffSnapshots(current, proposed)
    if (changes.length) {
      const announced = await changeNotices.announcedChangeFor(subprocessor.id)
      if (announced) {
        throw new Conflict(
          'change_already_announced',
          `A change announced on ${announced.publishedAt.toUTC().toISODate()} takes effect after ${announced.objectionDeadline!.toUTC().toFormat("yyyy-LL-dd HH:mm 'UTC'")}; stage further material changes after that.`
        )
      }
    }
    return Object.fromEntries(changes.map((change) => [change.field, change.to]))
  }

  /** Material changes staged on an effective subprocessor, waiting for a change notice. */
  async pendingChanges(subprocessor: Subprocessor) {
    if (subprocessor.status !== 'effective' || !subprocessor.stagedChange) return []
    const current = subprocessor.serializePublic()
    return diffSnapshots(current, { ...current, ...subprocessor.stagedChange })
  }

  /** Moves a subprocessor along its lifecycle; publishing and retiring notify merchants. */
  async transition(
    subprocessor: Subprocessor,
    to: SubprocessorStatus,
    options: PublishOptions = {}
  ) {
    assertTransition(subprocessor.status, to)
    if (to === 'notice_published' && !subprocessor.dpaSignedOn) {
      throw new FieldInvalid(
        'dpaSignedOn',
        'Record the date the data processing agreement was signed before announcing this subprocessor (Art. 28(4)).',
        'vendors_dpa_date_required'
      )
    }
    if (to === 'effective') {
      const open = await changeNotices.openWindowFor(subprocessor.id)
      if (open) {
        throw new DomainError(
          'objection_window_open',
          `Merchants may object until ${open.objectionDeadline!.toUTC().toFormat("yyyy-LL-dd HH:mm 'UTC'")}; the subprocessor can become effective after that.`,
          {
            status: 422,
            details: [
              { field: 'status', rule: 'objection_window', message: 'Objection window still open' },
            ],
          }
        )
      }
    }

    if (to === 'notice_published') {
      // Refused before anything changes, so the record stays as it was
      options = { ...options, objectionWindowDays: await changeNotices.windowDays(options) }
    }
    const from = subprocessor.status
    let notice: ChangeNotice | null = null
    subprocessor.status = to
    if (to === 'effective') subprocessor.effectiveAt = DateTime.utc()
    if (to === 'retired') subprocessor.retiredAt = DateTime.utc()
    await saveAudited(
      subprocessor,
      { action: 'vendors.subprocessor.transition', targetType: 'subprocessor', meta: { from, to } },
      {
        extra: async (trx) => {
          if (to === 'notice_published') {
            notice = await changeNotices.publish(subprocessor, 'addition', options, trx)
          } else if (to === 'retired' && from !== 'proposed') {
            notice = await changeNotices.publish(subprocessor, 'retirement', options, trx)
          }
        },
      }
    )
    if (notice) await this.queueEmails(notice)
    return { subprocessor, notice: notice as ChangeNotice | null }
  }

  /**
   * Announces the staged material changes of an effective subprocessor and opens an objection
   * window; `vendors.apply_noticed_changes` applies them once it has closed.
   */
  async publishChange(subprocessor: Subprocessor, options: PublishOptions = {}) {
    if (subprocessor.status !== 'effective') {
      throw new DomainError(
        'invalid_transition',
        'Change notices are for effective subprocessors; a proposed one is announced by publishing it.',
        { status: 422 }
      )
    }
    const changes = await this.pendingChanges(subprocessor)
    options = { ...options, objectionWindowDays: await changeNotices.windowDays(options) }
    if (changes.length === 0) {
      throw new DomainError('no_changes', 'No material change is staged for a notice.', {
        status: 422,
      })
    }
    const notice = await db.transaction(async (trx) => {
      const published = await changeNotices.publish(
        subprocessor,
        'change',
        { ...options, proposed: subprocessor.stagedChange! },
        trx
      )
      subprocessor.useTransaction(trx)
      subprocessor.stagedChange = null
      await subprocessor.save()
      return published
    })
    await this.queueEmails(notice)
    return notice
  }

  /** The notice is committed either way; if Redis is down, the notice page re-queues the e-mails. */
  async queueEmails(notice: ChangeNotice) {
    try {
      await dispatch('vendors.send_change_notice_emails', { noticeId: notice.id })
    } catch (error) {
      logger.warn(
        { noticeId: notice.id, err: { message: (error as Error).message } },
        'notice e-mail job not queued'
      )
    }
  }

  /** Categories come from the data map's taxonomy, never typed ad hoc (issue 4: no hand-typed copies). */
  private async assertKnownCategories(codes: string[]) {
    const known = await DataCategory.query().whereIn('code', codes).select('code')
    const unknown = codes.filter((code) => !known.some((category) => category.code === code))
    if (unknown.length) {
      throw new FieldInvalid(
        'dataCategories',
        `Unknown data category ${unknown.map((c) => `"${c}"`).join(', ')}: add it to the data map first.`,
        'vendors_unknown_data_category'
      )
    }
  }

  private async assertNameFree(name: string, exceptId?: number) {
    const query = Subprocessor.query().whereRaw('lower(name) = lower(?)', [name])
    if (exceptId) query.whereNot('id', exceptId)
    if (await query.first()) {
      throw new FieldInvalid(
        'name',
        `A subprocessor named "${name}" is already registered.`,
        'vendors_subprocessor_name_taken'
      )
    }
  }

  private assign(subprocessor: Subprocessor, input: SubprocessorInput) {
    subprocessor.merge({
      name: input.name,
      legalEntity: input.legalEntity ?? null,
      service: input.service,
      purpose: input.purpose,
      dataCategories: input.dataCategories,
      processingCountries: input.processingCountries,
      transferMechanism: input.transferMechanism,
      dpaSignedOn: input.dpaSignedOn ? DateTime.fromJSDate(input.dpaSignedOn) : null,
      website: input.website ?? null,
      aiTerms: aiTermsOf(input),
      address: input.address ?? null,
      privacyContact: input.privacyContact ?? null,
      dpfCertificationEntry: input.dpfCertificationEntry ?? null,
      dpfCertifiedOn: input.dpfCertifiedOn ? DateTime.fromJSDate(input.dpfCertifiedOn) : null,
      pdplLicenceReference: input.pdplLicenceReference ?? null,
      pdplLicenceIssuedOn: input.pdplLicenceIssuedOn
        ? DateTime.fromJSDate(input.pdplLicenceIssuedOn)
        : null,
    })
  }
}

const subprocessorRegistry = new SubprocessorRegistry()
export default subprocessorRegistry
