import { createHash } from 'node:crypto'
import type { WebhookEventKind, WebhookObject } from '#conversations/models/webhook_event'
import { WEBHOOK_OBJECTS } from '#conversations/models/webhook_event'

/*
 * Splitting one signed Meta delivery into the events the hub stores, one per item. Meta batches
 * on every level (entry[], changes[], messages[], statuses[], messaging[], standby[]), so every
 * item of every level becomes an event; nothing reads only [0]. This runs in the webhook request
 * and decides only what is needed to store the event once: its kind, its dedupe key and the id
 * it is addressed to. The worker parses the rest (`#conversations/events/parse`).
 */

type Json = Record<string, any>

/** What one stored event holds (sealed): the item and the parts of its envelope it needs. */
export interface EventEnvelope {
  v: 1
  object: WebhookObject
  /** WABA id (WhatsApp) or Instagram professional account id. */
  entryId: string | null
  /** `changes[].field` where the item came in a change (WhatsApp, Instagram test/postbacks). */
  field: string | null
  /** Where in the value the item was: `messages`, `statuses`, `errors`, `message_echoes`, `messaging`, `standby`, `value`. */
  section: string
  /** WhatsApp `value.metadata`: the phone_number_id the message was sent to. */
  metadata?: { phone_number_id?: string; display_phone_number?: string } | null
  /** WhatsApp `value.contacts[]` entry of this item's sender, when there is one. */
  contact?: Json | null
  item: Json
}

export interface EventDraft {
  object: WebhookObject
  kind: WebhookEventKind
  dedupeKey: string
  /** phone_number_id or Instagram account id: the routing key. */
  channelExternalId: string | null
  envelope: EventEnvelope
}

export function isWebhookObject(value: unknown): value is WebhookObject {
  return typeof value === 'string' && (WEBHOOK_OBJECTS as readonly string[]).includes(value)
}

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v) => v !== null && typeof v === 'object') : []
}

/** A key for items Meta gives no id: the same item redelivered hashes the same. */
function contentKey(prefix: string, parts: unknown[]) {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)
  return `${prefix}:h:${digest}`
}

/** Dedupe keys are bounded by the column; a longer Meta id is hashed into the same form. */
function bounded(key: string) {
  return key.length <= 255 ? key : contentKey('long', [key])
}

/* Longer than any Meta id and than the column: stored unroutable rather than refused. */
function routingKey(id: string | null) {
  return id !== null && id.length <= 64 ? id : null
}

/** The contacts[] entry matching a WhatsApp item's sender (wa_id or BSUID), or the only one. */
function contactOf(contacts: Json[], item: Json): Json | null {
  const from = text(item.from)
  const userId = text(item.from_user_id)
  const match = contacts.find(
    (c) => (from && text(c.wa_id) === from) || (userId && text(c.user_id) === userId)
  )
  return match ?? (contacts.length === 1 ? contacts[0] : null)
}

function whatsappDrafts(entry: Json): EventDraft[] {
  const object = 'whatsapp_business_account' as const
  const entryId = text(entry.id)
  const drafts: EventDraft[] = []
  for (const change of list(entry.changes)) {
    const field = text(change.field)
    const value: Json = change.value && typeof change.value === 'object' ? change.value : {}
    const metadata = value.metadata && typeof value.metadata === 'object' ? value.metadata : null
    const phoneNumberId = routingKey(text(metadata?.phone_number_id))
    const contacts = list(value.contacts)
    const base = (section: string, item: Json, contact: Json | null = null): EventEnvelope => ({
      v: 1,
      object,
      entryId,
      field,
      section,
      metadata,
      contact,
      item,
    })
    let items = 0
    for (const item of list(value.messages)) {
      items++
      const id = text(item.id)
      drafts.push({
        object,
        kind: !id ? 'unsupported' : item.type === 'reaction' ? 'reaction' : 'message',
        dedupeKey: id ? bounded(`wa:msg:${id}`) : contentKey('wa:msg', [entryId, item]),
        channelExternalId: phoneNumberId,
        envelope: base('messages', item, contactOf(contacts, item)),
      })
    }
    // Messages the business sent from the WhatsApp Business app (coexistence): never answered
    for (const item of list(value.message_echoes)) {
      items++
      const id = text(item.id)
      drafts.push({
        object,
        kind: id ? 'echo' : 'unsupported',
        dedupeKey: id ? bounded(`wa:echo:${id}`) : contentKey('wa:echo', [entryId, item]),
        channelExternalId: phoneNumberId,
        envelope: base('message_echoes', item),
      })
    }
    for (const item of list(value.statuses)) {
      items++
      const id = text(item.id)
      const status = text(item.status)
      drafts.push({
        object,
        kind: id && status ? 'status' : 'unsupported',
        dedupeKey:
          id && status
            ? bounded(`wa:status:${id}:${status}`)
            : contentKey('wa:status', [entryId, item]),
        channelExternalId: phoneNumberId,
        envelope: base('statuses', item),
      })
    }
    for (const item of list(value.errors)) {
      items++
      drafts.push({
        object,
        kind: 'error',
        dedupeKey: contentKey('wa:error', [entryId, phoneNumberId, item]),
        channelExternalId: phoneNumberId,
        envelope: base('errors', item),
      })
    }
    if (items === 0) {
      // A change of another field (template status, account update…) or an empty value: kept
      drafts.push({
        object,
        kind: 'unsupported',
        dedupeKey: contentKey('wa:change', [entryId, field, value]),
        channelExternalId: phoneNumberId,
        envelope: base('value', value),
      })
    }
  }
  return drafts
}

function instagramKind(item: Json): WebhookEventKind {
  if (item.message && typeof item.message === 'object') {
    return item.message.is_echo ? 'echo' : 'message'
  }
  if (item.postback) return 'postback'
  if (item.reaction) return 'reaction'
  if (item.read) return 'read'
  if (item.referral) return 'referral'
  return 'unsupported'
}

function instagramKey(entryId: string | null, item: Json, kind: WebhookEventKind) {
  const sender = text(item.sender?.id)
  const timestamp = text(item.timestamp)
  switch (kind) {
    case 'message':
    case 'echo': {
      const mid = text(item.message.mid)
      if (!mid) break
      // A deletion reuses the mid of the message it deletes: a different event
      return bounded(item.message.is_deleted ? `ig:deleted:${mid}` : `ig:msg:${mid}`)
    }
    case 'postback': {
      const mid = text(item.postback.mid)
      if (mid) return bounded(`ig:postback:${mid}`)
      break
    }
    case 'reaction': {
      const r = item.reaction ?? {}
      return bounded(`ig:reaction:${text(r.mid)}:${text(r.action)}:${sender}:${timestamp}`)
    }
    case 'read':
      return bounded(`ig:read:${text(item.read.mid)}:${sender}:${timestamp}`)
  }
  return contentKey(`ig:${kind}`, [entryId, item])
}

function instagramDrafts(entry: Json): EventDraft[] {
  const object = 'instagram' as const
  const entryId = text(entry.id)
  const drafts: EventDraft[] = []
  const add = (section: string, field: string | null, item: Json) => {
    const kind = instagramKind(item)
    drafts.push({
      object,
      kind,
      dedupeKey: instagramKey(entryId, item, kind),
      channelExternalId: routingKey(entryId),
      envelope: { v: 1, object, entryId, field, section, item },
    })
  }
  for (const item of list(entry.messaging)) add('messaging', null, item)
  // Items for threads another app controls (handover protocol): stored, never answered
  for (const item of list(entry.standby)) add('standby', null, item)
  // The dashboard's Test button and some postbacks arrive as changes[{field, value: <item>}]
  for (const change of list(entry.changes)) {
    const value = change.value && typeof change.value === 'object' ? change.value : {}
    add('value', text(change.field), value)
  }
  return drafts
}

/**
 * Every event of a delivery. A body of an object other than WhatsApp or Instagram, or without
 * entries, gives none.
 */
export function splitDelivery(body: unknown): EventDraft[] {
  if (!body || typeof body !== 'object') return []
  const delivery = body as Json
  if (!isWebhookObject(delivery.object)) return []
  const split = delivery.object === 'instagram' ? instagramDrafts : whatsappDrafts
  const drafts = list(delivery.entry).flatMap((entry) => split(entry))
  // One delivery may repeat an item; the database would skip it too, but not store it twice here
  const seen = new Set<string>()
  return drafts.filter((d) => !seen.has(d.dedupeKey) && seen.add(d.dedupeKey))
}
