import { defineFieldInventory, type PersonalColumn } from '#data_map/inventory/definition'

/*
 * Field inventory of the conversations module (format: app/data_map/inventory/definition.ts).
 * Customer identifiers, message text, message content, AI entities and webhook payloads are
 * sealed with `#keys` (text `e1.` values); customer values under the customer's subject key, so
 * erasing the subject key erases them all. The `_bidx` columns are per-merchant blind indexes.
 * Flags (opted out, restricted, objecting) and the intent code are stored plain: a timestamp or
 * a code of a fixed list about a pseudonymous row, which the guard and the charts must read in SQL.
 */

function sealed(category: string, identifiesSubject = false): PersonalColumn {
  return { category, identifiesSubject, encrypted: true, retention: category }
}

function blindIndex(category: string): PersonalColumn {
  return {
    category,
    identifiesSubject: true,
    encrypted: true,
    form: 'keyed_hash',
    retention: category,
  }
}

const PHONE = 'customer.contact.phone'
const CHANNEL_ID = 'customer.identity.channel_id'
const EMAIL = 'customer.contact.email'
const MESSAGE = 'customer.content.message'

export default defineFieldInventory({
  module: 'conversations',
  tables: {
    // Business data; the access token is a credential sealed under the merchant's key
    channel_connections: {
      nonPersonal: [
        'id',
        'merchant_id',
        'channel',
        'external_id',
        'label',
        'access_token',
        'status',
        'created_at',
        'updated_at',
      ],
    },
    // The raw item Meta delivered; the payload is cleared once the message is stored
    webhook_events: {
      personal: { payload: sealed(MESSAGE) },
      nonPersonal: [
        'id',
        'object',
        'kind',
        'dedupe_key',
        'channel_external_id',
        'merchant_id',
        'channel_connection_id',
        'state',
        'attempts',
        'error_code',
        'received_at',
        'processed_at',
      ],
      retention: { category: MESSAGE, from: 'received_at', merchantColumn: 'merchant_id' },
    },
    customers: {
      personal: {
        phone: sealed(PHONE, true),
        phone_bidx: blindIndex(PHONE),
        wa_id: sealed(CHANNEL_ID, true),
        wa_id_bidx: blindIndex(CHANNEL_ID),
        bsuid: sealed(CHANNEL_ID, true),
        bsuid_bidx: blindIndex(CHANNEL_ID),
        instagram_id: sealed(CHANNEL_ID, true),
        instagram_id_bidx: blindIndex(CHANNEL_ID),
        display_name: sealed('customer.identity.profile_name', true),
        email: sealed(EMAIL, true),
        email_bidx: blindIndex(EMAIL),
      },
      nonPersonal: [
        'id',
        'merchant_id',
        'reference',
        'opted_out_at',
        'restricted_at',
        'objected_at',
        'first_seen_at',
        'last_seen_at',
        'created_at',
        'updated_at',
      ],
      // Two years after the customer last wrote; their conversations and messages go with them
      retention: { category: CHANNEL_ID, from: 'last_seen_at', merchantColumn: 'merchant_id' },
    },
    conversations: {
      nonPersonal: [
        'id',
        'merchant_id',
        'customer_id',
        'channel',
        'channel_connection_id',
        'mode',
        'handoff_reason',
        'handed_off_at',
        'last_inbound_at',
        'created_at',
        'updated_at',
      ],
      // A thread idle past the message rule holds only expired messages (updated on every inbound)
      retention: { category: MESSAGE, from: 'updated_at', merchantColumn: 'merchant_id' },
    },
    messages: {
      personal: {
        body: sealed(MESSAGE),
        content: sealed(MESSAGE),
        entities: { ...sealed('customer.ai.intent'), retention: MESSAGE },
      },
      nonPersonal: [
        'id',
        'merchant_id',
        'conversation_id',
        'customer_id',
        'direction',
        'type',
        'intent',
        'confidence',
        'meta_message_id',
        'webhook_event_id',
        'status',
        'status_at',
        'error_code',
        'sent_by_user_id',
        'occurred_at',
        'created_at',
      ],
      retention: { category: MESSAGE, from: 'created_at', merchantColumn: 'merchant_id' },
      // Fetched media, sealed under the customer's key (#conversations/media/media_store)
      files: {
        async remove(rows) {
          const { removeMessageMedia } = await import('#conversations/media/media_store')
          await removeMessageMedia(rows)
        },
        async removeOrphans() {
          const { removeOrphanedMedia } = await import('#conversations/media/media_store')
          return removeOrphanedMedia()
        },
      },
    },
    // The merchant's own business rules for the AI: products, prices, policies
    merchant_ai_instructions: {
      nonPersonal: [
        'id',
        'merchant_id',
        'products',
        'returns_policy',
        'delivery_policy',
        'payment_policy',
        'tone',
        'languages',
        'escalation_rules',
        'created_at',
        'updated_at',
      ],
    },
    // Ids only: the customer's words stay in the sealed message. Kept as long as opt-outs are
    customer_rights_requests: {
      nonPersonal: [
        'id',
        'merchant_id',
        'customer_id',
        'conversation_id',
        'message_id',
        'request_type',
        'source',
        'state',
        'dsr_case_id',
        'created_at',
        'updated_at',
      ],
      retention: {
        category: 'customer.preferences.opt_out',
        from: 'created_at',
        merchantColumn: 'merchant_id',
      },
    },
    // One row per AI call (conv-flow): metadata and ids, never text
    ai_processing_logs: {
      nonPersonal: [
        'id',
        'merchant_id',
        'conversation_id',
        'message_id',
        'customer_id',
        'purpose',
        'provider',
        'model',
        'subprocessor_id',
        'redactions',
        'outcome',
        'intent',
        'decision',
        'error_code',
        'latency_ms',
        'created_at',
      ],
      retention: {
        category: 'customer.ai.intent',
        from: 'created_at',
        merchantColumn: 'merchant_id',
      },
    },
    // The outbox (conv-flow): delivery state; the reply's text is sealed on its message
    outbound_messages: {
      nonPersonal: [
        'id',
        'merchant_id',
        'conversation_id',
        'customer_id',
        'message_id',
        'inbound_message_id',
        'kind',
        'state',
        'attempts',
        'next_attempt_at',
        'provider_message_id',
        'error_code',
        'error_title',
        'not_sent_reason',
        'sent_by_user_id',
        'sent_at',
        'created_at',
        'updated_at',
      ],
      retention: { category: MESSAGE, from: 'created_at', merchantColumn: 'merchant_id' },
    },
  },
})
