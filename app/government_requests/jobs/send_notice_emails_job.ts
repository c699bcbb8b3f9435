import type { JobHandler } from '#core/queue'
import requestNotices from '#government_requests/services/notices'

/** E-mails a request notice to the merchant's administrators (the outbox; retry-safe). */
export default class SendNoticeEmailsJob implements JobHandler<{ noticeId: number }> {
  async handle({ noticeId }: { noticeId: number }) {
    return { emails: await requestNotices.email(noticeId) }
  }
}
