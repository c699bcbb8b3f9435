import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { countryName, countryOptions } from '#core/countries'
import {
  SUBPROCESSOR_STATUSES,
  TRANSFER_MECHANISMS,
  TRANSFER_MECHANISM_LABELS,
} from '#vendors/models/subprocessor'
import Objection from '#vendors/models/objection'
import DataCategory from '#data_map/models/data_category'
import type Subprocessor from '#vendors/models/subprocessor'
import subprocessorRegistry from '#vendors/services/subprocessor_registry'
import changeNotices, { DEFAULT_OBJECTION_WINDOW_DAYS } from '#vendors/services/change_notices'
import transferAssessments from '#vendors/services/transfer_assessments'
import { STATUS_LABELS, TRANSITIONS } from '#vendors/services/lifecycle'
import {
  publishNoticeValidator,
  subprocessorFilterValidator,
  subprocessorValidator,
  transitionValidator,
} from '#vendors/validators/subprocessor'
import { principalOf } from '#access/principal'

/** The form's initial values, in the form's own shape (lists as arrays of chosen codes). */
function formValues(subprocessor: Subprocessor | null) {
  if (!subprocessor) return { aiProvider: false }
  return {
    name: subprocessor.name,
    legalEntity: subprocessor.legalEntity ?? '',
    service: subprocessor.service,
    purpose: subprocessor.purpose,
    dataCategories: subprocessor.dataCategories,
    processingCountries: subprocessor.processingCountries,
    transferMechanism: subprocessor.transferMechanism,
    dpaSignedOn: subprocessor.dpaSignedOn?.toISODate() ?? '',
    website: subprocessor.website ?? '',
    aiProvider: subprocessor.aiTerms !== null,
    aiTrainsOnCustomerData: subprocessor.aiTerms?.trainsOnCustomerData ?? false,
    aiAbuseLogRetentionDays: subprocessor.aiTerms?.abuseLogRetentionDays ?? '',
    aiZeroDataRetention: subprocessor.aiTerms?.zeroDataRetention ?? false,
    aiNotes: subprocessor.aiTerms?.notes ?? '',
    address: subprocessor.address ?? '',
    privacyContact: subprocessor.privacyContact ?? '',
    dpfCertificationEntry: subprocessor.dpfCertificationEntry ?? '',
    dpfCertifiedOn: subprocessor.dpfCertifiedOn?.toISODate() ?? '',
    pdplLicenceReference: subprocessor.pdplLicenceReference ?? '',
    pdplLicenceIssuedOn: subprocessor.pdplLicenceIssuedOn?.toISODate() ?? '',
  }
}

const formOptions = {
  mechanisms: TRANSFER_MECHANISMS.map((value) => ({
    value,
    label: TRANSFER_MECHANISM_LABELS[value],
  })),
  countries: countryOptions().map((c) => ({ value: c.code, label: c.name, code: c.code })),
}

/** The data map's categories, picked by name (the code is secondary text). */
async function categoryChoices() {
  const categories = await DataCategory.query().orderBy('name').select('code', 'name')
  return categories.map((c) => ({ value: c.code, label: c.name, code: c.code }))
}

/** Console pages of the subprocessor register. */
export default class SubprocessorsController {
  async index({ request, view }: HttpContext) {
    const filter = await subprocessorFilterValidator.validate(request.qs())
    const subprocessors = await subprocessorRegistry.list(filter)
    subprocessors.baseUrl(router.makeUrl('vendors.subprocessors.index'))
    subprocessors.queryString({
      status: filter.status,
      country: filter.country,
      mechanism: filter.mechanism,
      q: filter.q,
    })
    return view.render('pages/vendors/subprocessors/index', {
      subprocessors,
      filter,
      statuses: SUBPROCESSOR_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] })),
      statusLabels: STATUS_LABELS,
      mechanismLabels: TRANSFER_MECHANISM_LABELS,
      ...formOptions,
    })
  }

  async show({ params, view }: HttpContext) {
    const subprocessor = await subprocessorRegistry.find(Number(params.id))
    const [notices, objections, pendingChanges, compliance, categories] = await Promise.all([
      changeNotices.history({ subprocessorId: subprocessor.id }),
      Objection.query()
        .where('subprocessor_id', subprocessor.id)
        .preload('merchant')
        .orderBy('created_at', 'desc'),
      subprocessorRegistry.pendingChanges(subprocessor),
      transferAssessments.isTransferCompliant(subprocessor.id),
      categoryChoices(),
    ])
    return view.render('pages/vendors/subprocessors/show', {
      subprocessor,
      categoryNames: Object.fromEntries(categories.map((c) => [c.value, c.label])),
      notices,
      objections,
      pendingChanges,
      compliance,
      nextStatuses: TRANSITIONS[subprocessor.status].map((value) => ({
        value,
        label: STATUS_LABELS[value],
      })),
      statusLabels: STATUS_LABELS,
      mechanismLabels: TRANSFER_MECHANISM_LABELS,
      defaultWindowDays: DEFAULT_OBJECTION_WINDOW_DAYS,
      countryName,
    })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/vendors/subprocessors/form', {
      subprocessor: null,
      values: formValues(null),
      categories: await categoryChoices(),
      ...formOptions,
    })
  }

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(subprocessorValidator)
    const subprocessor = await subprocessorRegistry.create(payload)
    ctx.session.flash(
      'success',
      ctx.i18n.t('vendors.flash.registered', { name: subprocessor.name })
    )
    return ctx.response.redirect().toRoute('vendors.subprocessors.show', { id: subprocessor.id })
  }

  async edit({ params, view }: HttpContext) {
    const subprocessor = await subprocessorRegistry.find(Number(params.id))
    return view.render('pages/vendors/subprocessors/form', {
      subprocessor,
      values: formValues(subprocessor),
      categories: await categoryChoices(),
      ...formOptions,
    })
  }

  async update(ctx: HttpContext) {
    const subprocessor = await subprocessorRegistry.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(subprocessorValidator)
    await subprocessorRegistry.update(subprocessor, payload)
    const pending = await subprocessorRegistry.pendingChanges(subprocessor)
    ctx.session.flash(
      'success',
      pending.length && subprocessor.status === 'effective'
        ? ctx.i18n.t('vendors.flash.saved_staged', {
            fields: pending.map((c) => c.field).join(', '),
          })
        : ctx.i18n.t('vendors.flash.saved')
    )
    return ctx.response.redirect().toRoute('vendors.subprocessors.show', { id: subprocessor.id })
  }

  async transition(ctx: HttpContext) {
    const subprocessor = await subprocessorRegistry.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(transitionValidator)
    const { notice } = await subprocessorRegistry.transition(subprocessor, payload.to, {
      summary: payload.summary,
      objectionWindowDays: payload.objectionWindowDays,
      actorUserId: principalOf(ctx).userId,
    })
    ctx.session.flash(
      'success',
      ctx.i18n.t(notice ? 'vendors.flash.transitioned_notified' : 'vendors.flash.transitioned', {
        name: subprocessor.name,
        status: ctx.i18n
          .t(`common.label.${payload.to}`, {}, STATUS_LABELS[payload.to])
          .toLowerCase(),
      })
    )
    return ctx.response.redirect().toRoute('vendors.subprocessors.show', { id: subprocessor.id })
  }

  async publishChange(ctx: HttpContext) {
    const subprocessor = await subprocessorRegistry.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(publishNoticeValidator)
    await subprocessorRegistry.publishChange(subprocessor, {
      ...payload,
      actorUserId: principalOf(ctx).userId,
    })
    ctx.session.flash('success', ctx.i18n.t('vendors.flash.notice_published'))
    return ctx.response.redirect().toRoute('vendors.subprocessors.show', { id: subprocessor.id })
  }

  async notices({ request, view }: HttpContext) {
    const page = Math.max(1, Number(request.input('page', 1)) || 1)
    const notices = await changeNotices.history().preload('deliveries').paginate(page, 25)
    notices.baseUrl(router.makeUrl('vendors.notices.index'))
    return view.render('pages/vendors/notices/index', { notices })
  }

  async notice({ params, view }: HttpContext) {
    const notice = await changeNotices.find(Number(params.id))
    return view.render('pages/vendors/notices/show', { notice })
  }

  /** Re-queues the e-mail job for merchants still pending (e.g. Redis was down at publication). */
  async resendEmails(ctx: HttpContext) {
    const notice = await changeNotices.find(Number(ctx.params.id))
    await subprocessorRegistry.queueEmails(notice)
    ctx.session.flash('success', ctx.i18n.t('vendors.flash.emails_requeued'))
    return ctx.response.redirect().toRoute('vendors.notices.show', { id: notice.id })
  }
}
