import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import { DomainError } from '#core/errors'
import auditAggregates from '#audit/services/audit_aggregates'
import { verifySignature } from '#conversations/webhooks/signature'
import { webhookSecretsFor, webhookVerifyToken } from '#conversations/webhooks/meta_config'
import { isWebhookObject, splitDelivery } from '#conversations/webhooks/envelope'
import { storeEvents } from '#conversations/webhooks/event_store'
import { enqueueAfterAck } from '#conversations/events/event_queue'

class SignatureMissing extends DomainError {
  constructor() {
    super('signature_missing', 'The X-Hub-Signature-256 header is required.', { status: 401 })
  }
}

class SignatureInvalid extends DomainError {
  constructor() {
    super('signature_invalid', 'The signature does not match the body.', { status: 403 })
  }
}

/**
 * `GET|POST /webhooks/meta`: Meta's one callback for WhatsApp and Instagram. Stateless (no
 * session, no CSRF: `STATELESS_ROUTES`), public, and kept lean: a POST is the signature check
 * over the raw bytes, one INSERT of every item, and the answer; processing happens in the worker.
 */
export default class MetaWebhookController {
  /** Subscription check: the challenge back when the verify token matches, else 403. */
  async verify({ request, response }: HttpContext) {
    const query = request.qs()
    const token = webhookVerifyToken()
    if (
      query['hub.mode'] !== 'subscribe' ||
      !token ||
      typeof query['hub.verify_token'] !== 'string' ||
      query['hub.verify_token'] !== token ||
      typeof query['hub.challenge'] !== 'string'
    ) {
      throw new DomainError('verification_failed', 'The verify token does not match.', {
        status: 403,
      })
    }
    return response.header('content-type', 'text/plain; charset=utf-8').send(query['hub.challenge'])
  }

  async receive({ request, response }: HttpContext) {
    const body = request.body()
    const object = isWebhookObject(body.object) ? body.object : null
    const verdict = verifySignature(
      request.raw() ?? '',
      request.header('x-hub-signature-256'),
      webhookSecretsFor(object)
    )
    if (verdict !== 'valid') {
      this.noteRefusal(verdict, object)
      throw verdict === 'missing' ? new SignatureMissing() : new SignatureInvalid()
    }
    const { events, duplicates } = await storeEvents(splitDelivery(body))
    enqueueAfterAck(events)
    return response.json({ received: events.length, duplicates })
  }

  /* Aggregated (one event per window), and never in the way of the answer: Redis may be down. */
  private noteRefusal(verdict: 'missing' | 'invalid', object: string | null) {
    auditAggregates
      .note(
        {
          action: 'conversations.webhook_refused',
          outcome: 'denied',
          actor: { type: 'anonymous' },
          meta: { reason: `signature_${verdict}`, object },
        },
        ['/webhooks/meta', verdict]
      )
      .catch((error) =>
        logger.warn({ err: { message: (error as Error).message } }, 'webhook refusal not audited')
      )
  }
}
