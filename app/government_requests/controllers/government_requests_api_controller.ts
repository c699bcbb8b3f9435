import type { HttpContext } from '@adonisjs/core/http'
import { principalOf } from '#access/principal'
import type Disclosure from '#government_requests/models/disclosure'
import type GovernmentRequest from '#government_requests/models/government_request'
import requestDecisions from '#government_requests/services/decisions'
import register from '#government_requests/services/register'
import requestDisclosures from '#government_requests/services/disclosures'
import { disclosureValidator } from '#government_requests/validators/government_request'

function serializeRequest(request: GovernmentRequest, outcome: string | null) {
  return {
    id: request.id,
    reference: request.reference,
    status: request.status,
    authority: {
      name: request.authorityName,
      country: request.authorityCountry,
      type: request.authorityType,
    },
    instrumentType: request.instrumentType,
    receivedAt: request.receivedAt.toUTC().toISO(),
    dueAt: request.dueAt.toUTC().toISO(),
    overdue: request.overdue,
    gagUntil: request.gagUntil?.toISODate() ?? null,
    ownConduct: request.ownConduct,
    assessed: request.assessedAt !== null,
    outcome,
  }
}

function serializeDisclosure(disclosure: Disclosure) {
  return {
    id: disclosure.id,
    requestId: disclosure.requestId,
    recipient: disclosure.recipient,
    categories: disclosure.categories,
    subjects: disclosure.subjectCount,
    packageSha256: disclosure.packageSha256,
    jweSha256: disclosure.jweSha256,
    deliveredAt: disclosure.deliveredAt.toUTC().toISO(),
  }
}

/** The legal team's API: a request's state, and building its package (the same checks as the console). */
export default class GovernmentRequestsApiController {
  async show({ params, response }: HttpContext) {
    const request = await register.find(Number(params.id))
    const decision = await requestDecisions.approvedFor(request)
    return response.json({ data: serializeRequest(request, decision?.outcome ?? null) })
  }

  async disclose(ctx: HttpContext) {
    const request = await register.find(Number(ctx.params.id))
    const payload = await ctx.request.validateUsing(disclosureValidator)
    const { disclosure, jwe, deliveryKey } = await requestDisclosures.build(request, payload, {
      actorUserId: principalOf(ctx).userId,
      channel: 'api',
    })
    return ctx.response.created({
      data: { ...serializeDisclosure(disclosure), jwe, deliveryKey },
    })
  }
}
