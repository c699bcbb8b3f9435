import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Message from '#conversations/models/message'
import CustomerRightsRequest, {
  type RightsRequestType,
} from '#conversations/models/customer_rights_request'
import { normalize } from '#conversations/ai/text'
import MerchantNotification from '#vendors/models/merchant_notification'
import auditTrail from '#audit/services/audit_trail'

export const RIGHTS_REQUEST_NOTIFICATION = 'conversations.rights_request'

const ERASURE =
  /\b(delete|erase|remove|wipe|forget|forgotten|erasure|deletion)\b|(امسح|مسح|احذف|حذف|شيل|امسحوا|احذفوا)/
const ACCESS =
  /\b(copy|access|what data|which data|export|download)\b|(نسخه|نسخة|ايه البيانات|بياناتي اللي)/

/** What the customer asked for, as far as a rule can tell; the merchant decides either way. */
export function requestTypeOf(text: string): RightsRequestType {
  const normalized = normalize(text)
  if (ERASURE.test(normalized)) return 'erasure'
  if (ACCESS.test(normalized)) return 'access'
  return 'unspecified'
}

/**
 * A data-rights request made in chat. The hub is the processor: it fulfils nothing itself, it
 * records the request for the merchant (a row the DSR module turns into a case, and a portal
 * notice) and the customer is told it was passed on.
 */
export class RightsRequests {
  async recordFromChat(message: Message, trx: TransactionClientContract) {
    const existing = await CustomerRightsRequest.query({ client: trx })
      .where('message_id', message.id)
      .first()
    if (existing) return existing
    const request = await CustomerRightsRequest.create(
      {
        merchantId: message.merchantId,
        customerId: message.customerId,
        conversationId: message.conversationId,
        messageId: message.id,
        requestType: requestTypeOf(message.body ?? ''),
        source: 'chat',
        state: 'awaiting_merchant',
        dsrCaseId: null,
      },
      { client: trx }
    )
    // The notice names the request by number; what the customer wrote stays in the conversation
    await MerchantNotification.create(
      {
        merchantId: message.merchantId,
        kind: RIGHTS_REQUEST_NOTIFICATION,
        title: `Data-rights request #${request.id} from a customer in chat`,
        body: `A customer asked in chat about their personal data (${request.requestType}). Conversera has recorded it and told the customer it was passed to you. As the controller, decide whether to act on it.`,
        link: `/portal/conversations/${message.conversationId}`,
        sourceType: 'customer_rights_request',
        sourceId: String(request.id),
      },
      { client: trx }
    )
    await auditTrail.record(
      {
        action: 'conversations.rights_request.recorded',
        actor: { type: 'system' },
        merchantId: message.merchantId,
        target: { type: 'customer_rights_request', id: request.id },
        meta: { messageId: message.id, requestType: request.requestType },
      },
      trx
    )
    return request
  }
}

const rightsRequests = new RightsRequests()
export default rightsRequests
