import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import logger from '@adonisjs/core/services/logger'
import { apiErrorOf } from '#core/api_error'
import { DomainError } from '#core/errors'
import { logWhenFinished } from '#core/request_log'
import auditAggregates from '#audit/services/audit_aggregates'
import { verifySignature } from '#conversations/webhooks/signature'
import { webhookSecretsFor, webhookVerifyToken } from '#conversations/webhooks/meta_config'
import { isWebhookObject, splitDelivery } from '#conversations/webhooks/envelope'
import { storeEvents } from '#conversations/webhooks/event_store'
import { enqueueAfterAck } from '#conversations/events/event_queue'

/*
 * `GET|POST /webhooks/meta`: Meta's one callback for WhatsApp and Instagram, answered on the
 * node:http request before the AdonisJS pipeline (`start/front_door.ts`). Meta retries slow
 * answers, so this path is held to the latency goal of `npm run bench:webhooks`, and the
 * framework's per-request work (HTTP context, container, body parser, locale, static files,
 * session) cost four times the webhook's own. The route needs none of it: it is public,
 * stateless, signed by Meta, and answers in the API error shape (`apiErrorOf`) with a request id
 * and one log line, as every other route does.
 *
 * A POST is the signature check over the raw bytes, one INSERT of every item, and the answer;
 * processing happens in the worker.
 */

export const META_WEBHOOK_PATH = '/webhooks/meta'

/* Bodyparser's `1mb` for every other route. */
const BODY_LIMIT = 1024 * 1024

const refusals = {
  signatureMissing: ['signature_missing', 'The X-Hub-Signature-256 header is required.', 401],
  signatureInvalid: ['signature_invalid', 'The signature does not match the body.', 403],
  tooLarge: ['payload_too_large', 'The request body is larger than allowed.', 413],
  notJson: ['bad_request', 'The request body is not valid JSON.', 400],
  cutOff: ['bad_request', 'The request was cut off.', 400],
  method: ['method_not_allowed', "Meta's webhook takes GET and POST.", 405],
  verification: ['verification_failed', 'The verify token does not match.', 403],
} as const

function refusal(kind: keyof typeof refusals) {
  const [code, message, status] = refusals[kind]
  return new DomainError(code, message, { status })
}

export default async function handleMetaWebhook(req: IncomingMessage, res: ServerResponse) {
  const requestId = requestIdOf(req)
  res.setHeader('x-request-id', requestId)
  logWhenFinished(res, logger, () => ({
    request_id: requestId,
    method: req.method,
    route: META_WEBHOOK_PATH,
  }))
  try {
    if (req.method === 'POST') await receive(req, res)
    else if (req.method === 'GET' || req.method === 'HEAD') verify(req, res)
    else {
      res.setHeader('allow', 'GET, HEAD, POST')
      throw refusal('method')
    }
  } catch (error) {
    answerError(res, error)
  }
}

/** Subscription check: the challenge back when the verify token matches, else 403. */
function verify(req: IncomingMessage, res: ServerResponse) {
  const query = new URL(req.url ?? '', 'http://webhook.invalid').searchParams
  const token = webhookVerifyToken()
  const challenge = query.get('hub.challenge')
  if (
    query.get('hub.mode') !== 'subscribe' ||
    !token ||
    query.get('hub.verify_token') !== token ||
    challenge === null
  ) {
    throw refusal('verification')
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(challenge)
}

async function receive(req: IncomingMessage, res: ServerResponse) {
  const raw = await readBody(req)
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    throw refusal('notJson')
  }
  const claimed = (body as { object?: unknown } | null)?.object
  const object = isWebhookObject(claimed) ? claimed : null
  const signature = req.headers['x-hub-signature-256']
  const verdict = verifySignature(
    raw,
    Array.isArray(signature) ? signature[0] : signature,
    webhookSecretsFor(object)
  )
  if (verdict !== 'valid') {
    noteRefusal(verdict, object)
    throw refusal(verdict === 'missing' ? 'signatureMissing' : 'signatureInvalid')
  }
  const { events, duplicates } = await storeEvents(splitDelivery(body))
  sendJson(res, 200, { received: events.length, duplicates })
  enqueueAfterAck(events)
}

/** The raw bytes, refused past the limit before more is read. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length']) > BODY_LIMIT) {
    return Promise.reject(refusal('tooLarge'))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > BODY_LIMIT) {
        req.removeAllListeners('data')
        reject(refusal('tooLarge'))
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks, size)))
    req.on('error', reject)
    // The sender hung up part-way: nothing to store, and no one to answer
    req.on('close', () => {
      if (!req.complete) reject(refusal('cutOff'))
    })
  })
}

function answerError(res: ServerResponse, error: unknown) {
  const { status, body } = apiErrorOf(error)
  if (status >= 500) {
    logger.error({ err: { message: (error as Error)?.message } }, 'Meta webhook failed')
  }
  if (res.headersSent) return res.destroy()
  // A body left unread (too large, or refused early) is not drained: the connection closes
  if (!res.req.complete) res.setHeader('connection', 'close')
  sendJson(res, status, body)
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const json = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  })
  res.end(json)
}

/* A caller's request id is kept, as the framework keeps it on every other route. */
function requestIdOf(req: IncomingMessage) {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID()
}

/* Aggregated (one event per window), and never in the way of the answer: Redis may be down. */
function noteRefusal(verdict: 'missing' | 'invalid', object: string | null) {
  auditAggregates
    .note(
      {
        action: 'conversations.webhook_refused',
        outcome: 'denied',
        actor: { type: 'anonymous' },
        meta: { reason: `signature_${verdict}`, object },
      },
      [META_WEBHOOK_PATH, verdict]
    )
    .catch((error) =>
      logger.warn({ err: { message: (error as Error).message } }, 'webhook refusal not audited')
    )
}
