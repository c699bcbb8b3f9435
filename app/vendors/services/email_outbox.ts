import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

export interface OutboxEmail {
  merchantId: number | null
  recipientUserId: number
  template: string
  subject: string
  body: string
  sourceType: string
  sourceId: string
}

/**
 * Queues one e-mail in the `outbound_emails` outbox. The unique key (template, source,
 * recipient) makes a retried job harmless: a second insert for the same e-mail is ignored.
 */
export async function enqueueEmail(trx: TransactionClientContract, email: OutboxEmail) {
  const now = DateTime.utc().toSQL()
  await trx
    .insertQuery()
    .table('outbound_emails')
    .insert({
      merchant_id: email.merchantId,
      recipient_user_id: email.recipientUserId,
      template: email.template,
      subject: email.subject,
      body: email.body,
      source_type: email.sourceType,
      source_id: email.sourceId,
      status: 'pending',
      created_at: now,
      updated_at: now,
    })
    .knexQuery.onConflict(['template', 'source_type', 'source_id', 'recipient_user_id'])
    .ignore()
}
