/*
 * Customers with conversations and messages, and DSR cases about them, for the execution tests.
 * Cases are made directly through the model: intake is dsr-cases' and tested there.
 */
import { randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import type Merchant from '#merchants/models/merchant'
import ChannelConnection from '#conversations/models/channel_connection'
import Customer from '#conversations/models/customer'
import Conversation from '#conversations/models/conversation'
import Message from '#conversations/models/message'
import DsrCase from '#dsr/models/dsr_case'
import type { DsrType, SubjectIdentifiers } from '#dsr/models/dsr_case'

const unique = () => randomBytes(5).toString('hex')

export async function customerWithMessages(
  merchant: Merchant,
  identity: { phone?: string; email?: string; displayName?: string },
  bodies: string[]
) {
  const connection = await ChannelConnection.create({
    merchantId: merchant.id,
    channel: 'whatsapp',
    externalId: `pn-${unique()}`,
    label: 'Test line',
    accessToken: null,
    status: 'active',
  })
  const customer = await Customer.create({
    merchantId: merchant.id,
    reference: `cus_${unique()}`,
    phone: identity.phone ?? null,
    waId: identity.phone ? identity.phone.replace(/\D/g, '') : null,
    email: identity.email ?? null,
    displayName: identity.displayName ?? null,
    firstSeenAt: DateTime.utc(),
    lastSeenAt: DateTime.utc(),
  })
  const conversation = await Conversation.create({
    merchantId: merchant.id,
    customerId: customer.id,
    channel: 'whatsapp',
    channelConnectionId: connection.id,
    mode: 'ai',
  })
  const messages = []
  for (const body of bodies) {
    messages.push(
      await Message.create({
        merchantId: merchant.id,
        conversationId: conversation.id,
        customerId: customer.id,
        direction: 'inbound',
        type: 'text',
        body,
        intent: 'order_status',
        status: 'received',
      })
    )
  }
  return { connection, customer, conversation, messages }
}

export async function dsrCase(
  merchant: Merchant,
  type: DsrType,
  subject: SubjectIdentifiers,
  extra: { customerId?: number; rectification?: Record<string, string> } = {}
) {
  const today = DateTime.utc().startOf('day')
  return DsrCase.create({
    reference: `DSR-T-${unique()}`.toUpperCase(),
    merchantId: merchant.id,
    type,
    status: 'in_progress',
    source: 'api',
    subjectPhone: subject.phone ?? null,
    subjectWaId: subject.wa_id ?? null,
    subjectEmail: subject.email ?? null,
    subjectCustomerRef: subject.customer_ref ?? null,
    customerId: extra.customerId ?? null,
    identityVerified: true,
    rectificationValues: extra.rectification ? JSON.stringify(extra.rectification) : null,
    receivedOn: today,
    jurisdiction: 'EG',
    originalDueAt: today.plus({ months: 1 }),
    dueAt: today.plus({ months: 1 }),
    internalDueAt: today.plus({ days: 20 }),
  })
}
