import { randomUUID } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { DateTime } from 'luxon'
import env from '#start/env'
import dsrConfig from '#config/dsr'
import { FieldInvalid } from '#core/errors'
import { dispatch } from '#core/queue'
import { saveAudited } from '#audit/services/audited_write'
import reportSigner from '#reports/services/report_signer'
import DsrCase from '#dsr/models/dsr_case'
import DsrCallbackEndpoint from '#dsr/models/dsr_callback_endpoint'
import DsrCallbackDelivery from '#dsr/models/dsr_callback_delivery'

export const CALLBACK_EVENT_TYP = 'dsr-event+jws'

/* Addresses a callback may never reach: the hub's own host and networks (SSRF). */
const forbidden = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv4')
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv6')
}

export function isForbiddenAddress(address: string) {
  const family = isIP(address)
  if (family === 4) return forbidden.check(address, 'ipv4')
  if (family !== 6) return true
  // IPv4-mapped (::ffff:10.0.0.1) is judged as the IPv4 address it maps
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped) return forbidden.check(mapped[1], 'ipv4')
  return forbidden.check(address, 'ipv6')
}

export class CallbackUrlRefused extends FieldInvalid {
  constructor(
    message: string,
    readonly reason: string
  ) {
    super('url', message, reason)
  }
}

/**
 * A callback URL must be https and resolve only to public addresses, unless the development
 * setting `DSR_CALLBACKS_ALLOW_PRIVATE` allows a local receiver. Checked when the URL is saved and
 * again before every delivery (the name may resolve differently later).
 */
export async function assertCallbackUrl(raw: string) {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new CallbackUrlRefused('Enter a full URL, e.g. https://example.com/hooks/dsr.', 'url')
  }
  const allowPrivate = dsrConfig.callbacks.allowPrivate
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new CallbackUrlRefused('Callback URLs must use https.', 'https')
  }
  if (url.username || url.password) {
    throw new CallbackUrlRefused('Callback URLs cannot carry credentials.', 'credentials')
  }
  if (allowPrivate) return url
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: string[]
  if (isIP(host)) {
    addresses = [host]
  } else {
    try {
      const resolved = await lookup(host, { all: true, verbatim: true })
      addresses = resolved.map((a) => a.address)
    } catch {
      throw new CallbackUrlRefused('This host name does not resolve.', 'unresolvable')
    }
  }
  if (addresses.length === 0 || addresses.some(isForbiddenAddress)) {
    throw new CallbackUrlRefused(
      'Callback URLs must point to a public address, not a loopback or private network.',
      'private_address'
    )
  }
  return url
}

/** The merchant-facing links of a case's evidence, as API URLs. */
export function artifactLinks(dsrCase: DsrCase) {
  if (dsrCase.isOpen) return []
  const base = `${env.get('APP_URL')}/api/v1/dsr/${dsrCase.id}`
  const links = [{ kind: 'report', url: `${base}/report.pdf` }]
  if (
    dsrCase.status === 'completed' &&
    (dsrCase.type === 'access' || dsrCase.type === 'portability')
  ) {
    links.push({ kind: 'export', url: `${base}/export` })
  }
  return links
}

/** Merchant callbacks: the endpoint, one signed event per status change, and its delivery log. */
export class Callbacks {
  endpointOf(merchantId: number) {
    return DsrCallbackEndpoint.query().where('merchant_id', merchantId).first()
  }

  async setEndpoint(merchantId: number, rawUrl: string, userId: number | null) {
    const url = await assertCallbackUrl(rawUrl)
    const endpoint = (await this.endpointOf(merchantId)) ?? new DsrCallbackEndpoint()
    endpoint.merge({ merchantId, url: url.toString(), active: true, updatedByUserId: userId })
    return saveAudited(endpoint, {
      action: 'dsr.callback.set',
      merchantId,
      targetType: 'dsr_callback_endpoint',
      meta: { host: url.host },
    })
  }

  async removeEndpoint(merchantId: number, userId: number | null) {
    const endpoint = await this.endpointOf(merchantId)
    if (!endpoint) return null
    endpoint.merge({ active: false, updatedByUserId: userId })
    return saveAudited(endpoint, {
      action: 'dsr.callback.remove',
      merchantId,
      targetType: 'dsr_callback_endpoint',
    })
  }

  /** Queues the event for the case's current status, if the merchant has an endpoint. */
  async enqueue(dsrCase: DsrCase) {
    const endpoint = await this.endpointOf(dsrCase.merchantId)
    if (!endpoint?.active) return null
    const delivery = await DsrCallbackDelivery.create({
      merchantId: dsrCase.merchantId,
      dsrCaseId: dsrCase.id,
      eventId: `evt_${randomUUID()}`,
      caseStatus: dsrCase.status,
      url: endpoint.url,
      state: 'pending',
      attempts: 0,
    })
    await dispatch(
      'dsr.deliver_callback',
      { deliveryId: delivery.id },
      {
        attempts: dsrConfig.callbacks.attempts,
        backoff: { type: 'exponential', delay: dsrConfig.callbacks.backoffMs },
      }
    )
    return delivery
  }

  /** The signed event: what happened, to which case, and where its evidence is. */
  async eventFor(delivery: DsrCallbackDelivery, dsrCase: DsrCase) {
    const payload = {
      event_id: delivery.eventId,
      type: 'dsr.case.status_changed',
      occurred_at: delivery.createdAt.toUTC().toISO(),
      case: {
        id: dsrCase.id,
        reference: dsrCase.reference,
        type: dsrCase.type,
        status: delivery.caseStatus,
        due_at: dsrCase.dueAt.toISODate(),
        refusal_code: delivery.caseStatus === 'refused' ? dsrCase.refusalCode : null,
      },
      artifacts: delivery.caseStatus === dsrCase.status ? artifactLinks(dsrCase) : [],
    }
    return reportSigner.signCompact(payload, CALLBACK_EVENT_TYP)
  }

  /**
   * One delivery attempt. Returns true when delivered; otherwise records why and throws while
   * attempts remain, so the queue retries with backoff. The log keeps status codes and error
   * codes only, never what the receiver answered.
   */
  async deliver(deliveryId: number, attempt: number) {
    const delivery = await DsrCallbackDelivery.find(deliveryId)
    if (!delivery || delivery.state !== 'pending') return false
    const dsrCase = await DsrCase.find(delivery.dsrCaseId)
    if (!dsrCase) return false
    let statusCode: number | null = null
    let error: string | null = null
    try {
      await assertCallbackUrl(delivery.url)
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/jose',
          'user-agent': 'ConverseraPrivacyHub/1 (dsr-callbacks)',
          'x-conversera-event-id': delivery.eventId,
        },
        body: await this.eventFor(delivery, dsrCase),
        redirect: 'manual',
        signal: AbortSignal.timeout(dsrConfig.callbacks.timeoutMs),
      })
      statusCode = response.status
      await response.body?.cancel()
      if (response.status < 200 || response.status >= 300) error = `http_${response.status}`
    } catch (failure) {
      error =
        failure instanceof CallbackUrlRefused
          ? `refused_${failure.reason}`
          : (failure as Error).name === 'TimeoutError'
            ? 'timeout'
            : 'connection_failed'
    }
    const last = attempt >= dsrConfig.callbacks.attempts || error?.startsWith('refused_')
    delivery.merge({
      attempts: attempt,
      lastStatusCode: statusCode,
      lastError: error,
      state: error === null ? 'delivered' : last ? 'failed' : 'pending',
      deliveredAt: error === null ? DateTime.utc() : null,
      nextAttemptAt:
        error === null || last
          ? null
          : DateTime.utc().plus({
              milliseconds: dsrConfig.callbacks.backoffMs * 2 ** (attempt - 1),
            }),
    })
    await delivery.save()
    if (error !== null && !last) throw new Error(`callback delivery ${delivery.id}: ${error}`)
    return error === null
  }

  deliveriesOf(merchantId: number) {
    return DsrCallbackDelivery.query().where('merchant_id', merchantId).orderBy('id', 'desc')
  }
}

const callbacks = new Callbacks()
export default callbacks
