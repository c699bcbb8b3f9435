/*
 * A merchant's conversation as the webhook path leaves it: a channel connection, a customer, a
 * conversation in AI mode and an inbound message. Everything is created through the models, so
 * identifiers and text are sealed exactly as in production.
 */
import { DateTime } from 'luxon'
import ChannelConnection from '#conversations/models/channel_connection'
import Conversation from '#conversations/models/conversation'
import Customer from '#conversations/models/customer'
import Message from '#conversations/models/message'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import type Merchant from '#merchants/models/merchant'

let sequence = 0
function unique() {
  sequence += 1
  return `${Date.now().toString(36)}${sequence}`
}

/** Eight digits, unique within the run. */
function digits() {
  sequence += 1
  return String((Date.now() * 1000 + sequence) % 1e8).padStart(8, '0')
}

export async function connectedChannel(
  merchant: Merchant,
  options: { token?: string | null; channel?: 'whatsapp' | 'instagram' } = {}
) {
  return ChannelConnection.create({
    merchantId: merchant.id,
    channel: options.channel ?? 'whatsapp',
    externalId: `10${Math.floor(Math.random() * 1e12)}`,
    label: 'Main number',
    accessToken: options.token === undefined ? null : options.token,
    status: 'active',
  })
}

export async function customerConversation(
  merchant: Merchant,
  options: {
    token?: string | null
    channel?: 'whatsapp' | 'instagram'
    lastInboundAt?: DateTime
    mode?: 'ai' | 'human'
  } = {}
) {
  const connection = await connectedChannel(merchant, options)
  const now = DateTime.utc()
  const customer = await Customer.create({
    merchantId: merchant.id,
    waId: connection.channel === 'whatsapp' ? `2010${digits()}` : null,
    instagramId: connection.channel === 'instagram' ? `17841${digits()}` : null,
    displayName: 'Mona Adel',
    firstSeenAt: now,
    lastSeenAt: now,
  })
  const conversation = await Conversation.create({
    merchantId: merchant.id,
    customerId: customer.id,
    channel: connection.channel,
    channelConnectionId: connection.id,
    mode: options.mode ?? 'ai',
    lastInboundAt: options.lastInboundAt ?? now,
  })
  return { connection, customer, conversation }
}

export function inboundMessage(conversation: Conversation, body: string | null, type = 'text') {
  return Message.create({
    merchantId: conversation.merchantId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    direction: 'inbound',
    type: type as Message['type'],
    body,
    metaMessageId: `wamid.${unique()}`,
    status: 'received',
    occurredAt: DateTime.utc(),
  })
}

/** A shop with prices and policies, so the AI can answer price questions itself. */
export function shopInstructions(merchant: Merchant) {
  return MerchantAiInstruction.create({
    merchantId: merchant.id,
    products: [{ name: 'Cotton T-shirt', price: 350, currency: 'EGP' }],
    returnsPolicy: { windowDays: 14 },
    deliveryPolicy: { minDays: 2, maxDays: 4, feeEgp: 50 },
    paymentPolicy: { methods: ['cash_on_delivery'] },
    tone: 'friendly',
    languages: ['en', 'ar'],
    escalationRules: {},
  })
}
