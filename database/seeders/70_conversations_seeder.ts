import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Merchant from '#merchants/models/merchant'
import MerchantAiInstruction from '#conversations/models/merchant_ai_instruction'
import { connectChannel } from '#conversations/channels/connect_channel'
import { EXAMPLE_INSTRUCTIONS } from '#conversations/ai/example_instructions'
import { splitDelivery } from '#conversations/webhooks/envelope'
import { storeEvents } from '#conversations/webhooks/event_store'

/** The demo merchant's WhatsApp number id (not a real one: without a token nothing is sent). */
const DEMO_PHONE_NUMBER_ID = '100200300400'

/** A few customers writing in, as Meta would deliver them: a price question, an order, a request
 * for a person and a data-rights request in chat. */
const DEMO_MESSAGES = [
  {
    wamid: 'wamid.DEMO1',
    from: '201001234567',
    name: 'Ahmed',
    text: 'How much is the black hoodie?',
  },
  {
    wamid: 'wamid.DEMO2',
    from: '201112223334',
    name: 'منى',
    text: 'عايزة اكلم حد من خدمة العملاء لو سمحت',
  },
  { wamid: 'wamid.DEMO3', from: '201223334445', name: 'Karim', text: 'Please delete my data' },
  {
    wamid: 'wamid.DEMO4',
    from: '201001234567',
    name: 'Ahmed',
    text: 'عايز 2 تيشيرت والتوصيل للجيزة',
  },
]

/**
 * Conversations for `npm start`: the first demo merchant's WhatsApp channel (no token, so replies
 * wait in the outbox), its AI instructions, and inbound messages stored as the webhook stores them.
 * The worker's sweeper processes them within a minute: customers, classified messages, a reply,
 * a handoff to the agents' inbox and a customer-initiated data-rights request. Re-running adds
 * nothing (the events are unique on their Meta ids).
 */
export default class ConversationsSeeder extends BaseSeeder {
  static environment = ['development']

  async run() {
    const merchant = await Merchant.findBy('slug', 'nile-fashion')
    if (!merchant) return
    await connectChannel(
      merchant,
      { channel: 'whatsapp', externalId: DEMO_PHONE_NUMBER_ID, label: 'Nile Fashion WhatsApp' },
      { type: 'system' }
    )
    const { products, policies, tone, languages, escalation } = EXAMPLE_INSTRUCTIONS
    await MerchantAiInstruction.updateOrCreate(
      { merchantId: merchant.id },
      {
        products,
        returnsPolicy: policies.returns ?? null,
        deliveryPolicy: policies.delivery ?? null,
        paymentPolicy: policies.payment ?? null,
        tone,
        languages,
        escalationRules: escalation,
      }
    )
    const now = Math.floor(Date.now() / 1000)
    const delivery = {
      object: 'whatsapp_business_account',
      entry: DEMO_MESSAGES.map((message, index) => ({
        id: 'demo-waba',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '201000000000',
                phone_number_id: DEMO_PHONE_NUMBER_ID,
              },
              contacts: [{ profile: { name: message.name }, wa_id: message.from }],
              messages: [
                {
                  from: message.from,
                  id: message.wamid,
                  timestamp: String(now - (DEMO_MESSAGES.length - index) * 60),
                  type: 'text',
                  text: { body: message.text },
                },
              ],
            },
          },
        ],
      })),
    }
    await storeEvents(splitDelivery(delivery))
  }
}
