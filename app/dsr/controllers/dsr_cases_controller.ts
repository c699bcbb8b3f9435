import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { FieldInvalid } from '#core/errors'
import { filtersOf, pageOf } from '#core/pagination'
import { principalOf } from '#access/principal'
import { findScopedOrFail } from '#access/services/tenant_scope'
import User from '#access/models/user'
import { can } from '#access/services/authorization'
import Merchant from '#merchants/models/merchant'
import DsrCase, { DSR_STATUSES, DSR_TYPES, REFUSAL_CODES } from '#dsr/models/dsr_case'
import DsrCaseComment from '#dsr/models/dsr_case_comment'
import DsrCaseTask from '#dsr/models/dsr_case_task'
import LegalHold from '#dsr/models/legal_hold'
import intake from '#dsr/services/intake'
import workflow from '#dsr/services/workflow'
import { timelineOf } from '#dsr/services/timeline'
import { caseChart, listCases, DEADLINE_BUCKETS } from '#dsr/services/case_queries'
import { matchCustomers } from '#dsr/services/subject_matching'
import { dsrSections } from '#dsr/console_sections'
import {
  assignValidator,
  cancelValidator,
  caseFilterValidator,
  commentValidator,
  extensionValidator,
  intakeFormValidator,
  intakeFromForm,
  proceedValidator,
  refusalValidator,
  taskValidator,
} from '#dsr/validators/dsr'

async function staffNames(ids: (number | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))]
  const users = wanted.length ? await User.query().whereIn('id', wanted) : []
  return Object.fromEntries(users.map((u) => [u.id, u.fullName]))
}

function findCase(ctx: HttpContext) {
  return findScopedOrFail(principalOf(ctx), DsrCase, Number(ctx.params.id), { what: 'case' })
}

/** The staff console's DSR cases: list, intake, the case page and its actions. */
export default class DsrCasesController {
  async index(ctx: HttpContext) {
    const filter = await caseFilterValidator.validate(ctx.request.qs())
    const { page, perPage } = pageOf(filter)
    const principal = principalOf(ctx)
    const cases = await listCases(principal, filter).paginate(page, perPage)
    cases.baseUrl(router.makeUrl('dsr.cases.index'))
    cases.queryString(filtersOf({ ...filter, status: filter.status ?? 'open' }))
    const merchants = await Merchant.query().orderBy('legal_name')
    return ctx.view.render('pages/dsr/cases/index', {
      cases,
      filter: { ...filter, status: filter.status ?? 'open' },
      chart: await caseChart(principal),
      buckets: DEADLINE_BUCKETS,
      merchants,
      merchantNames: Object.fromEntries(merchants.map((m) => [m.id, m.legalName])),
      types: DSR_TYPES,
      statuses: DSR_STATUSES,
      mayManage: await can(principal, 'dsr:manage'),
      sections: await dsrSections(principal),
    })
  }

  async create(ctx: HttpContext) {
    return ctx.view.render('pages/dsr/cases/new', {
      merchants: await Merchant.query().where('status', 'active').orderBy('legal_name'),
      types: DSR_TYPES,
    })
  }

  /** Staff enter a request: the merchant's (forwarded by e-mail) or a customer's own (privacy mailbox). */
  async store(ctx: HttpContext) {
    const payload = await ctx.request.validateUsing(intakeFormValidator)
    const merchant = payload.merchant_id ? await Merchant.find(payload.merchant_id) : null
    if (!merchant) {
      throw new FieldInvalid(
        'merchant_id',
        ctx.i18n.t('dsr.form.merchant_required'),
        'dsr_merchant_required'
      )
    }
    const { dsrCase } = await intake.submit(intakeFromForm(payload), {
      merchant,
      source: payload.channel === 'privacy_email' ? 'privacy_email' : 'console',
      userId: principalOf(ctx).userId,
    })
    ctx.session.flash('success', ctx.i18n.t('dsr.flash.created', { reference: dsrCase.reference }))
    return ctx.response.redirect().toRoute('dsr.cases.show', { id: dsrCase.id })
  }

  async show(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const [timeline, comments, tasks, merchant] = await Promise.all([
      timelineOf(dsrCase),
      DsrCaseComment.query().where('dsr_case_id', dsrCase.id).orderBy('id'),
      DsrCaseTask.query().where('dsr_case_id', dsrCase.id).orderBy('id'),
      Merchant.findOrFail(dsrCase.merchantId),
    ])
    const hold = dsrCase.legalHoldId ? await LegalHold.find(dsrCase.legalHoldId) : null
    const staff = await User.query().where('kind', 'staff').whereNull('disabled_at').orderBy('id')
    const names = await staffNames([
      dsrCase.assigneeUserId,
      ...comments.map((c) => c.authorUserId),
      ...tasks.map((t) => t.assigneeUserId),
      ...timeline.filter((e) => e.actorType === 'user').map((e) => Number(e.actorId)),
    ])
    const candidates =
      dsrCase.waitingOn === 'ambiguous_identity'
        ? await matchCustomers(dsrCase.merchantId, dsrCase.subject)
        : []
    return ctx.view.render('pages/dsr/cases/show', {
      dsrCase,
      merchant,
      timeline,
      comments,
      tasks,
      hold,
      staff,
      names,
      candidates,
      refusalCodes: REFUSAL_CODES,
      mayManage: await can(principalOf(ctx), 'dsr:manage'),
    })
  }

  async assign(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { assigneeUserId } = await ctx.request.validateUsing(assignValidator)
    await workflow.assign(dsrCase, assigneeUserId ?? null)
    return this.back(ctx, dsrCase, 'dsr.flash.assigned')
  }

  async comment(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { body } = await ctx.request.validateUsing(commentValidator)
    await workflow.comment(dsrCase, body, principalOf(ctx).userId)
    return this.back(ctx, dsrCase, 'dsr.flash.commented')
  }

  async addTask(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const input = await ctx.request.validateUsing(taskValidator)
    await workflow.addTask(dsrCase, input, principalOf(ctx).userId)
    return this.back(ctx, dsrCase, 'dsr.flash.task_added')
  }

  /** POST /dsr/tasks/:id/done */
  async completeTask(ctx: HttpContext) {
    const task = await DsrCaseTask.find(Number(ctx.params.id))
    const dsrCase = await findScopedOrFail(principalOf(ctx), DsrCase, task?.dsrCaseId ?? 0, {
      what: 'task',
    })
    await workflow.completeTask(dsrCase, task!.id, principalOf(ctx).userId)
    return this.back(ctx, dsrCase, 'dsr.flash.task_done')
  }

  async extend(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { months, reason } = await ctx.request.validateUsing(extensionValidator)
    await workflow.extend(dsrCase, months as 1 | 2, reason)
    return this.back(ctx, dsrCase, 'dsr.flash.extended')
  }

  async refuse(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { code, text } = await ctx.request.validateUsing(refusalValidator)
    await workflow.refuse(dsrCase, code, text)
    return this.back(ctx, dsrCase, 'dsr.flash.refused')
  }

  async cancel(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { reason } = await ctx.request.validateUsing(cancelValidator)
    await workflow.cancel(dsrCase, reason, principalOf(ctx).userId)
    return this.back(ctx, dsrCase, 'dsr.flash.cancelled')
  }

  async complete(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    await workflow.complete(dsrCase)
    return this.back(ctx, dsrCase, 'dsr.flash.completed')
  }

  async proceed(ctx: HttpContext) {
    const dsrCase = await findCase(ctx)
    const { customerId } = await ctx.request.validateUsing(proceedValidator)
    await workflow.proceed(dsrCase, principalOf(ctx).userId, { customerId })
    return this.back(ctx, dsrCase, 'dsr.flash.proceeded')
  }

  private back(ctx: HttpContext, dsrCase: DsrCase, message: string) {
    ctx.session.flash('success', ctx.i18n.t(message, { reference: dsrCase.reference }))
    return ctx.response.redirect().toRoute('dsr.cases.show', { id: dsrCase.id })
  }
}
