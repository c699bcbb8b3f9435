import { readFileSync } from 'node:fs'
import { randomInt } from 'node:crypto'
import app from '@adonisjs/core/services/app'
import env from '#start/env'
import { signatureOf } from '#conversations/webhooks/signature'
import { connectChannel } from '#conversations/channels/connect_channel'
import type Merchant from '#merchants/models/merchant'
import { queueNamed } from '#core/queue'
import { FAN_OUT_JOB, type QueuedEvent } from '#conversations/events/event_queue'

/*
 * Meta webhook deliveries for tests: the payload shapes of meta-webhooks.md §2 live in
 * tests/fixtures/meta/*.json with placeholders (__PNID__, __WAMID__, __FROM__…) filled by plain
 * text replacement, so the bytes signed and sent are the file's own (escapes such as \u0639 and
 * \/ included) — exactly what Meta's signature covers.
 */

export interface MetaIds {
  /** WhatsApp phone_number_id */
  pnid: string
  pnid2: string
  waba: string
  /** Instagram professional account id */
  igId: string
  /** The customer's wa_id, a second customer's, and a new number */
  from: string
  from2: string
  newWaId: string
  bsuid: string
  /** Instagram-scoped id of the customer */
  igsid: string
  /** Prefix of every wamid / mid in the fixtures */
  wamid: string
  mid: string
  /** The id of an outbound message that statuses, reads and reactions refer to */
  outId: string
}

function digits(length: number) {
  let out = String(randomInt(1, 10))
  while (out.length < length) out += String(randomInt(0, 10))
  return out
}

/** Fresh ids, so tests that commit (spawned servers, workers) never meet each other's rows. */
export function metaIds(): MetaIds {
  const tag = digits(10)
  return {
    pnid: digits(15),
    pnid2: digits(15),
    waba: digits(15),
    igId: digits(17),
    from: `2010${digits(8)}`,
    from2: `2011${digits(8)}`,
    newWaId: `2012${digits(8)}`,
    bsuid: `EG.${digits(19)}`,
    igsid: digits(16),
    wamid: `wamid.HBgL${tag}`,
    mid: `aWdfZAG1${tag}`,
    outId: `wamid.OUT${tag}`,
  }
}

/** A fixture's text with its placeholders filled. */
export function metaFixture(
  name: string,
  ids: MetaIds,
  extra: Record<string, string> = {}
): string {
  const raw = readFileSync(app.makePath('tests/fixtures/meta', `${name}.json`), 'utf8')
  const now = Date.now()
  const values: Record<string, string> = {
    __PNID2__: ids.pnid2,
    __PNID__: ids.pnid,
    __WABA__: ids.waba,
    __IGID__: ids.igId,
    __FROM2__: ids.from2,
    __FROM__: ids.from,
    __NEWWAID__: ids.newWaId,
    __BSUID__: ids.bsuid,
    __IGSID__: ids.igsid,
    __WAMID__: ids.wamid,
    __MID__: ids.mid,
    __OUTID__: ids.outId,
    __TSMS__: String(now),
    __TS__: String(Math.floor(now / 1000)),
    ...extra,
  }
  return raw.replace(/__[A-Z0-9]+__/g, (token) => values[token] ?? token)
}

export function metaSignature(body: string | Buffer, secret = env.get('META_APP_SECRET')!) {
  return signatureOf(secret, body)
}

/** POSTs a delivery to a running server, signed unless `signature` says otherwise. */
export async function postDelivery(
  baseUrl: string,
  body: string,
  options: { signature?: string | null; secret?: string } = {}
) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const signature =
    options.signature === undefined ? metaSignature(body, options.secret) : options.signature
  if (signature !== null) headers['x-hub-signature-256'] = signature
  return fetch(`${baseUrl}/webhooks/meta`, { method: 'POST', headers, body })
}

/** The in-process test server's base URL. */
export function appUrl() {
  return `http://${env.get('HOST')}:${env.get('PORT')}`
}

/** Connects the WhatsApp number and the Instagram account of `ids` to `merchant`. */
export async function connectTestChannels(merchant: Merchant, ids: MetaIds) {
  const whatsapp = await connectChannel(
    merchant,
    { channel: 'whatsapp', externalId: ids.pnid },
    { type: 'system' }
  )
  const instagram = await connectChannel(
    merchant,
    { channel: 'instagram', externalId: ids.igId },
    { type: 'system' }
  )
  return { whatsapp, instagram }
}

/** The fan-out job the webhook queued with this event, once it is there (null until then). */
export async function fanOutJobWith(eventId: number) {
  const jobs = await queueNamed('conversations').getJobs(['waiting', 'delayed', 'prioritized'])
  return (
    jobs.find(
      (job) =>
        job.name === FAN_OUT_JOB &&
        (job.data.events as QueuedEvent[]).some((event) => event.id === eventId)
    ) ?? null
  )
}
