import type { EventEnvelope } from '#conversations/webhooks/envelope'
import type { Channel } from '#conversations/models/channel_connection'
import type { MessageType } from '#conversations/models/message'

/*
 * What a stored webhook event means, parsed from its sealed envelope in the worker. Every shape
 * of meta-webhooks.md §2 has a branch; anything else becomes an `unsupported` message or an
 * `ignored` event, never an exception, because Meta adds types and fields without notice.
 */

type Json = Record<string, any>

/** Identifiers of the customer as Meta gave them; the worker normalises and indexes them. */
export interface CustomerIds {
  waId?: string | null
  bsuid?: string | null
  instagramId?: string | null
  displayName?: string | null
}

export interface ParsedMessage {
  type: MessageType
  /** The text a person reads: the text, a caption, a button's title, a place's name… */
  body: string | null
  /** Everything else Meta sent about it (media metadata, location, order, context, referral…). */
  content: Json | null
  metaMessageId: string | null
  occurredAt: Date | null
}

export type ParsedEvent =
  | {
      kind: 'inbound'
      channel: Channel
      customer: CustomerIds
      message: ParsedMessage
      /** Another app controls the thread (Instagram standby): store, never answer. */
      standby: boolean
      /** A new WhatsApp number the customer moved to (`system.type = user_changed_number`). */
      changedWaId?: string | null
    }
  | { kind: 'echo'; channel: Channel; customer: CustomerIds; message: ParsedMessage }
  | {
      kind: 'status'
      metaMessageId: string
      status: 'sent' | 'delivered' | 'read' | 'failed'
      occurredAt: Date | null
      errorCode: string | null
    }
  | { kind: 'deleted'; metaMessageId: string }
  | { kind: 'ignored'; reason: string; errorCode?: string | null }

function text(value: unknown): string | null {
  if (typeof value === 'string' && value.length > 0) return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return null
}

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : null
}

/** Meta's timestamps: WhatsApp in seconds (as a string), Instagram in milliseconds. */
function timeOf(value: unknown, unit: 's' | 'ms'): Date | null {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) return null
  const date = new Date(unit === 's' ? n * 1000 : n)
  return Number.isNaN(date.getTime()) ? null : date
}

/** Only the keys that are set, so stored content holds no empty noise. */
function compact(value: Json): Json | null {
  const out: Json = {}
  for (const [key, v] of Object.entries(value)) if (v !== undefined && v !== null) out[key] = v
  return Object.keys(out).length ? out : null
}

function firstErrorCode(errors: unknown): string | null {
  const first = Array.isArray(errors) ? obj(errors[0]) : null
  return first ? text(first.code) : null
}

const WA_MEDIA = ['image', 'video', 'audio', 'document', 'sticker'] as const

function whatsappMessage(item: Json): ParsedMessage {
  const type = text(item.type) ?? 'unknown'
  const shared = {
    context: obj(item.context) ?? undefined,
    referral: obj(item.referral) ?? undefined,
  }
  const message = (
    messageType: MessageType,
    body: string | null,
    content: Json = {}
  ): ParsedMessage => ({
    type: messageType,
    body,
    content: compact({ ...content, ...shared }),
    metaMessageId: text(item.id),
    occurredAt: timeOf(item.timestamp, 's'),
  })

  if (type === 'text') return message('text', text(obj(item.text)?.body))
  if ((WA_MEDIA as readonly string[]).includes(type)) {
    const media = obj(item[type]) ?? {}
    // Metadata here; with the channel's token the file itself is fetched (`#conversations/media`)
    return message(type as MessageType, text(media.caption), {
      media: compact({
        id: text(media.id),
        mimeType: text(media.mime_type),
        sha256: text(media.sha256),
        filename: text(media.filename),
        animated: typeof media.animated === 'boolean' ? media.animated : undefined,
        voice: typeof media.voice === 'boolean' ? media.voice : undefined,
      }),
    })
  }
  if (type === 'interactive') {
    const interactive = obj(item.interactive) ?? {}
    const kind = text(interactive.type)
    const reply = obj(interactive[kind ?? '']) ?? {}
    if (kind === 'button_reply' || kind === 'list_reply') {
      return message('interactive', text(reply.title), {
        interactive: compact({
          type: kind,
          id: text(reply.id),
          title: text(reply.title),
          description: text(reply.description),
        }),
      })
    }
    if (kind === 'nfm_reply') {
      return message('interactive', text(reply.body), {
        interactive: compact({
          type: kind,
          name: text(reply.name),
          responseJson: text(reply.response_json),
        }),
      })
    }
    return message('unsupported', null, { metaType: `interactive.${kind ?? 'unknown'}` })
  }
  if (type === 'button') {
    const button = obj(item.button) ?? {}
    return message('button', text(button.text), {
      button: compact({ payload: text(button.payload) }),
    })
  }
  if (type === 'order') {
    const order = obj(item.order) ?? {}
    const items = (Array.isArray(order.product_items) ? order.product_items : [])
      .map(obj)
      .filter((i): i is Json => i !== null)
      .map((i) => ({
        productRetailerId: text(i.product_retailer_id),
        quantity: Number(i.quantity) || 0,
        itemPrice: Number(i.item_price) || 0,
        currency: text(i.currency),
      }))
    return message('order', text(order.text), {
      order: { catalogId: text(order.catalog_id), items },
    })
  }
  if (type === 'location') {
    const location = obj(item.location) ?? {}
    const name = [text(location.name), text(location.address)].filter(Boolean).join(', ')
    return message('location', name || null, {
      location: compact({
        latitude: Number(location.latitude),
        longitude: Number(location.longitude),
        name: text(location.name),
        address: text(location.address),
        url: text(location.url),
      }),
    })
  }
  if (type === 'reaction') {
    const reaction = obj(item.reaction) ?? {}
    // An empty emoji removes the reaction
    const emoji = text(reaction.emoji)
    return message('reaction', emoji, {
      reaction: compact({ messageId: text(reaction.message_id), emoji, removed: !emoji }),
    })
  }
  if (type === 'contacts') {
    const cards = (Array.isArray(item.contacts) ? item.contacts : []).map(obj).filter(Boolean)
    const names = cards.map((c) => text(obj(c!.name)?.formatted_name)).filter(Boolean)
    return message('contacts', names.join(', ') || null, { contacts: cards })
  }
  if (type === 'system') {
    const system = obj(item.system) ?? {}
    return message('system', text(system.body), {
      system: compact({ type: text(system.type), waId: text(system.wa_id ?? system.new_wa_id) }),
    })
  }
  // `unsupported`, `unknown` and whatever Meta adds next
  return message('unsupported', null, {
    metaType: type,
    errorCode: firstErrorCode(item.errors),
  })
}

function whatsappCustomer(envelope: EventEnvelope): CustomerIds {
  const item = envelope.item
  const contact = envelope.contact ?? {}
  return {
    waId: text(item.from) ?? text(contact.wa_id),
    // Business-scoped user id: the only identifier of a sender who hides their number
    bsuid: text(item.from_user_id) ?? text(contact.user_id),
    displayName: text(obj(contact.profile)?.name),
  }
}

const STATUS_MAP: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  // A voice message listened to: as far as the thread goes, read
  played: 'read',
  failed: 'failed',
}

function parseWhatsapp(envelope: EventEnvelope): ParsedEvent {
  const item = envelope.item
  switch (envelope.section) {
    case 'messages': {
      const message = whatsappMessage(item)
      const changed =
        message.type === 'system' && message.content?.system?.type === 'user_changed_number'
          ? (message.content.system.waId as string | undefined)
          : null
      return {
        kind: 'inbound',
        channel: 'whatsapp',
        customer: whatsappCustomer(envelope),
        message,
        standby: false,
        changedWaId: changed ?? null,
      }
    }
    case 'message_echoes':
      return {
        kind: 'echo',
        channel: 'whatsapp',
        customer: { waId: text(item.to), bsuid: text(item.to_user_id) },
        message: whatsappMessage(item),
      }
    case 'statuses': {
      const status = STATUS_MAP[text(item.status) ?? '']
      const id = text(item.id)
      if (!status || !id) return { kind: 'ignored', reason: 'unknown_status' }
      return {
        kind: 'status',
        metaMessageId: id,
        status,
        occurredAt: timeOf(item.timestamp, 's'),
        errorCode: firstErrorCode(item.errors),
      }
    }
    case 'errors':
      return { kind: 'ignored', reason: 'meta_error', errorCode: text(item.code) }
    default:
      return { kind: 'ignored', reason: 'unsupported_field' }
  }
}

const IG_ATTACHMENTS: Record<string, MessageType> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  share: 'share',
  ig_reel: 'share',
  ig_post: 'share',
  ig_story: 'share',
  story_mention: 'story_mention',
}

function instagramMessage(item: Json): ParsedMessage {
  const message = obj(item.message) ?? {}
  const attachments = (Array.isArray(message.attachments) ? message.attachments : [])
    .map(obj)
    .filter((a): a is Json => a !== null)
    .map((a) => compact({ type: text(a.type), url: text(obj(a.payload)?.url) }) ?? {})
  const body = text(message.text)
  let type: MessageType = 'text'
  if (message.is_unsupported) type = 'unsupported'
  else if (attachments.length) type = IG_ATTACHMENTS[attachments[0].type as string] ?? 'unsupported'
  else if (!body) type = 'unsupported'
  return {
    type,
    body,
    content: compact({
      attachments: attachments.length ? attachments : undefined,
      quickReply: obj(message.quick_reply) ?? undefined,
      replyTo: obj(message.reply_to) ?? undefined,
      referral: obj(message.referral) ?? undefined,
      metaType: type === 'unsupported' ? (attachments[0]?.type ?? 'unknown') : undefined,
    }),
    metaMessageId: text(message.mid),
    occurredAt: timeOf(item.timestamp, 'ms'),
  }
}

function parseInstagram(envelope: EventEnvelope): ParsedEvent {
  const item = envelope.item
  const standby = envelope.section === 'standby'
  const sender = text(obj(item.sender)?.id)
  const recipient = text(obj(item.recipient)?.id)
  const occurredAt = timeOf(item.timestamp, 'ms')
  const inbound = (message: ParsedMessage): ParsedEvent =>
    sender
      ? {
          kind: 'inbound',
          channel: 'instagram',
          customer: { instagramId: sender },
          message,
          standby,
        }
      : { kind: 'ignored', reason: 'no_sender' }

  const message = obj(item.message)
  if (message) {
    if (message.is_echo) {
      // The business is the sender of an echo; the customer is the recipient
      if (!recipient) return { kind: 'ignored', reason: 'no_recipient' }
      return {
        kind: 'echo',
        channel: 'instagram',
        customer: { instagramId: recipient },
        message: instagramMessage(item),
      }
    }
    if (message.is_deleted) {
      const mid = text(message.mid)
      return mid ? { kind: 'deleted', metaMessageId: mid } : { kind: 'ignored', reason: 'no_mid' }
    }
    return inbound(instagramMessage(item))
  }
  const postback = obj(item.postback)
  if (postback) {
    return inbound({
      type: 'postback',
      body: text(postback.title),
      content: compact({ postback: compact({ payload: text(postback.payload) }) }),
      metaMessageId: text(postback.mid),
      occurredAt,
    })
  }
  const reaction = obj(item.reaction)
  if (reaction) {
    const unreact = text(reaction.action) === 'unreact'
    const emoji = unreact ? null : (text(reaction.emoji) ?? text(reaction.reaction))
    return inbound({
      type: 'reaction',
      body: emoji,
      content: {
        reaction: compact({
          messageId: text(reaction.mid),
          action: text(reaction.action),
          reaction: text(reaction.reaction),
          emoji,
          removed: unreact,
        }),
      },
      metaMessageId: null,
      occurredAt,
    })
  }
  const read = obj(item.read)
  if (read) {
    const mid = text(read.mid)
    if (!mid) return { kind: 'ignored', reason: 'read_without_mid' }
    return { kind: 'status', metaMessageId: mid, status: 'read', occurredAt, errorCode: null }
  }
  const referral = obj(item.referral)
  if (referral) {
    return inbound({
      type: 'system',
      body: null,
      content: { referral },
      metaMessageId: null,
      occurredAt,
    })
  }
  return { kind: 'ignored', reason: 'unsupported_item' }
}

/** The meaning of one stored event. Never throws on a shape it does not know. */
export function parseEvent(envelope: EventEnvelope): ParsedEvent {
  try {
    return envelope.object === 'instagram' ? parseInstagram(envelope) : parseWhatsapp(envelope)
  } catch {
    return { kind: 'ignored', reason: 'unparseable' }
  }
}
