import { readFile } from 'node:fs/promises'
import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { DateTime } from 'luxon'
import { principalOf } from '#access/principal'
import { countryName, countryOptions } from '#core/countries'
import { filtersOf } from '#core/pagination'
import { NotFound } from '#core/errors'
import Merchant from '#merchants/models/merchant'
import DataCategory from '#data_map/models/data_category'
import User from '#access/models/user'
import Decision from '#government_requests/models/decision'
import Disclosure from '#government_requests/models/disclosure'
import RequestNotice from '#government_requests/models/request_notice'
import {
  ANSWERS,
  AUTHORITY_TYPES,
  CHECKLIST,
  DEADLINE_RULES,
  INSTRUMENT_TYPES,
  OUTCOMES,
  RULES_FOR_INSTRUMENT,
} from '#government_requests/policy'
import register from '#government_requests/services/register'
import requestDecisions from '#government_requests/services/decisions'
import requestDisclosures from '#government_requests/services/disclosures'
import preservation from '#government_requests/services/preservation'
import {
  assessmentValidator,
  challengeResultValidator,
  decisionValidator,
  disclosureValidator,
  instrumentValidator,
  intakeValidator,
  requestFilterValidator,
} from '#government_requests/validators/government_request'

/** Customer data categories the scope can name, by label. */
async function categoryOptions() {
  const categories = await DataCategory.query().whereLike('code', 'customer.%').orderBy('name')
  return categories.map((c) => ({ value: c.code, label: c.name, hint: c.code }))
}

async function merchantOptions() {
  const merchants = await Merchant.query().orderBy('legal_name')
  return merchants.map((m) => ({ value: m.id, label: m.legalName, hint: m.slug }))
}

/** Staff names for the case page (the console shows people by name to those who may read them). */
async function namesOf(ids: Array<number | null>) {
  const wanted = [...new Set(ids.filter((id): id is number => Boolean(id)))]
  const users = wanted.length ? await User.query().whereIn('id', wanted) : []
  return Object.fromEntries(users.map((u) => [u.id, u.fullName]))
}

/** The legal team's console: the register of authority requests and each case's work. */
export default class GovernmentRequestsController {
  async index({ request, view }: HttpContext) {
    const filter = await requestFilterValidator.validate(request.qs())
    const requests = await register.list(filter)
    requests.baseUrl(router.makeUrl('government_requests.index'))
    requests.queryString(filtersOf(filter))
    return view.render('pages/government_requests/index', {
      requests,
      filter,
      now: DateTime.utc(),
      countries: countryOptions(),
      countryName,
      instrumentTypes: INSTRUMENT_TYPES,
      outcomes: OUTCOMES,
    })
  }

  async create({ view }: HttpContext) {
    return view.render('pages/government_requests/form', {
      countries: countryOptions(),
      authorityTypes: AUTHORITY_TYPES,
      instrumentTypes: INSTRUMENT_TYPES,
      deadlineRules: DEADLINE_RULES,
      rulesForInstrument: RULES_FOR_INSTRUMENT,
      categories: await categoryOptions(),
      merchants: await merchantOptions(),
    })
  }

  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(intakeValidator)
    const created = await register.intake(payload, principalOf(ctx).userId)
    ctx.session.flash(
      'success',
      ctx.i18n.t('government.flash.received', { reference: created.reference })
    )
    return ctx.response.redirect().toRoute('government_requests.show', { id: created.id })
  }

  async show({ params, view }: HttpContext) {
    const request = await register.find(Number(params.id))
    const decisions = await Decision.query().where('request_id', request.id).orderBy('id', 'desc')
    const disclosures = await Disclosure.query().where('request_id', request.id).orderBy('id')
    const notices = await RequestNotice.query().where('request_id', request.id).orderBy('id')
    const approved = decisions.find((d) => d.status === 'approved') ?? null
    const proposed = decisions.find((d) => d.status === 'proposed') ?? null
    const timeline = await register.timeline(request)
    const merchants = await Merchant.query().whereIn('id', [
      ...request.scopeMerchantIds,
      ...notices.map((n) => n.merchantId),
    ])
    const categories = await DataCategory.query().whereIn('code', request.scopeCategories)
    const names = await namesOf([
      request.createdByUserId,
      request.assessedByUserId,
      ...decisions.flatMap((d) => [d.proposedByUserId, d.approvedByUserId]),
      ...disclosures.flatMap((d) => [d.preparedByUserId, d.approvedByUserId]),
      ...timeline.map((e) => (e.actorType === 'user' ? Number(e.actorId) : null)),
    ])
    return view.render('pages/government_requests/show', {
      request,
      identifiers: request.identifiers,
      decisions,
      approved,
      proposed,
      disclosures,
      notices,
      holds: request.preservation ? await preservation.holdsOf(request) : [],
      timeline,
      merchantNames: Object.fromEntries(merchants.map((m) => [m.id, m.legalName])),
      categoryNames: Object.fromEntries(categories.map((c) => [c.code, c.name])),
      names,
      checklist: CHECKLIST,
      answers: ANSWERS,
      outcomes: OUTCOMES,
      countryName,
      now: DateTime.utc(),
    })
  }

  async instrument(ctx: HttpContext) {
    const request = await register.find(Number(ctx.params.id))
    const { document } = await ctx.request.validateUsing(instrumentValidator)
    await register.attachInstrument(request, await readFile(document.tmpPath!), document.clientName)
    ctx.session.flash('success', ctx.i18n.t('government.flash.instrument_stored'))
    return ctx.response.redirect().toRoute('government_requests.show', { id: request.id })
  }

  /** The instrument itself: a POST, since reading it is recorded. */
  async document(ctx: HttpContext) {
    const request = await register.find(Number(ctx.params.id))
    const bytes = await register.readInstrument(request)
    return ctx.response
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', `attachment; filename="${request.reference}-instrument"`)
      .send(bytes)
  }

  async assess(ctx: HttpContext) {
    const request = await register.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(assessmentValidator)
    await register.saveAssessment(request, payload, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('government.flash.assessment_saved'))
    return ctx.response.redirect().toRoute('government_requests.show', { id: request.id })
  }

  async propose(ctx: HttpContext) {
    const request = await register.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(decisionValidator)
    await requestDecisions.propose(request, payload, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('government.flash.decision_proposed'))
    return ctx.response.redirect().toRoute('government_requests.show', { id: request.id })
  }

  async approve(ctx: HttpContext) {
    const decision = await requestDecisions.find(Number(ctx.params.id))
    await requestDecisions.approve(decision, principalOf(ctx).userId)
    ctx.session.flash('success', ctx.i18n.t('government.flash.decision_approved'))
    return ctx.response.redirect().toRoute('government_requests.show', { id: decision.requestId })
  }

  async challengeResult(ctx: HttpContext) {
    const decision = await requestDecisions.find(Number(ctx.params.id))
    const { result } = await ctx.request.validateUsing(challengeResultValidator)
    await requestDecisions.resolveChallenge(decision, result)
    ctx.session.flash('success', ctx.i18n.t('government.flash.challenge_recorded'))
    return ctx.response.redirect().toRoute('government_requests.show', { id: decision.requestId })
  }

  async disclose(ctx: HttpContext) {
    const request = await register.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(disclosureValidator)
    const { disclosure, deliveryKey } = await requestDisclosures.build(request, payload, {
      actorUserId: principalOf(ctx).userId,
      channel: 'console',
    })
    ctx.session.flash(
      'success',
      ctx.i18n.t('government.flash.disclosed', { id: disclosure.id, key: deliveryKey })
    )
    return ctx.response.redirect().toRoute('government_requests.show', { id: request.id })
  }

  /** The encrypted package (useless without its key, which is revealed separately). */
  async package(ctx: HttpContext) {
    const disclosure = await Disclosure.find(Number(ctx.params.id))
    if (!disclosure) throw new NotFound('disclosure')
    const request = await register.find(disclosure.requestId)
    return ctx.response
      .header('content-type', 'application/jose')
      .header(
        'content-disposition',
        `attachment; filename="${request.reference}-package-${disclosure.id}.jwe"`
      )
      .send(await requestDisclosures.package(disclosure))
  }

  async revealKey(ctx: HttpContext) {
    const disclosure = await Disclosure.find(Number(ctx.params.id))
    if (!disclosure) throw new NotFound('disclosure')
    const key = await requestDisclosures.revealKey(disclosure)
    ctx.session.flash('success', ctx.i18n.t('government.flash.key', { id: disclosure.id, key }))
    return ctx.response.redirect().toRoute('government_requests.show', {
      id: disclosure.requestId,
    })
  }
}
