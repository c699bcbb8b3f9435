import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { JobContext, JobHandler } from '#core/queue'
import { headerValue } from '#core/email_headers'
import { merchantAdministrators } from '#access/services/merchant_administrators'
import { enqueueEmail } from '#vendors/services/email_outbox'
import ChangeNotice from '#vendors/models/change_notice'
import NoticeDelivery from '#vendors/models/notice_delivery'
import changeNotices from '#vendors/services/change_notices'

export const NOTICE_EMAIL_TEMPLATE = 'vendors.change_notice'

/**
 * E-mails a change notice to the administrators of every merchant it was delivered to. Writes to
 * the outbox (there is no SMTP relay here); the unique key on the outbox makes a retry safe.
 */
export default class SendChangeNoticeEmailsJob implements JobHandler<{ noticeId: number }> {
  async handle({ noticeId }: { noticeId: number }, { progress }: JobContext) {
    const notice = await ChangeNotice.query()
      .where('id', noticeId)
      .preload('subprocessor')
      .firstOrFail()
    const deliveries = await NoticeDelivery.query()
      .where({ noticeId, emailStatus: 'pending' })
      .orderBy('merchant_id')
    const subject = headerValue(
      `[Conversera] Subprocessor ${notice.kind}: ${notice.subprocessor.name}`
    )
    const body = changeNotices.noticeText(notice, notice.subprocessor)
    let emails = 0

    for (const [index, delivery] of deliveries.entries()) {
      await db.transaction(async (trx) => {
        const recipients = await merchantAdministrators(delivery.merchantId, trx)
        for (const user of recipients) {
          await enqueueEmail(trx, {
            merchantId: delivery.merchantId,
            recipientUserId: user.id,
            template: NOTICE_EMAIL_TEMPLATE,
            subject,
            body,
            sourceType: 'subprocessor_change_notice',
            sourceId: String(noticeId),
          })
        }
        delivery.useTransaction(trx)
        delivery.merge({
          emailStatus: recipients.length ? 'queued' : 'no_recipients',
          emailRecipients: recipients.length,
          emailedAt: recipients.length ? DateTime.utc() : null,
        })
        await delivery.save()
        emails += recipients.length
      })
      await progress(Math.round(((index + 1) / deliveries.length) * 100), { merchants: index + 1 })
    }
    return { merchants: deliveries.length, emails }
  }
}
