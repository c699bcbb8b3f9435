import type { JobHandler } from '#core/queue'
import register from '#government_requests/services/register'
import requestDisclosures, { type PickedItem } from '#government_requests/services/disclosures'

export interface BuildDisclosurePayload {
  requestId: number
  /** Positions, merchant ids and category codes only: never an identifier's value. */
  items: PickedItem[]
  /** The legal team member the build is for. */
  userId: number
}

/** Builds a package off the request path, through the same checks as every other way in. */
export default class BuildDisclosureJob implements JobHandler<BuildDisclosurePayload> {
  async handle(payload: BuildDisclosurePayload) {
    const request = await register.find(payload.requestId)
    const { disclosure } = await requestDisclosures.build(
      request,
      { items: payload.items },
      { actorUserId: payload.userId, channel: 'job', actor: { type: 'user', id: payload.userId } }
    )
    return { disclosureId: disclosure.id, jweSha256: disclosure.jweSha256 }
  }
}
