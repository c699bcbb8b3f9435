import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { auditedWrite } from '#audit/services/audited_write'
import { countryName } from '#core/countries'
import { dispatch } from '#core/queue'
import { headerValue } from '#core/email_headers'
import MerchantNotification from '#vendors/models/merchant_notification'
import { enqueueEmail } from '#vendors/services/email_outbox'
import type GovernmentRequest from '#government_requests/models/government_request'
import RequestNotice from '#government_requests/models/request_notice'

/** Where a merchant reads its notices (a path, so jobs and seeders need no route table). */
export const PORTAL_REQUESTS_PATH = '/portal/government-requests'

export const NOTICE_KIND = 'government_request'

const INSTRUMENT_WORDS: Record<string, string> = {
  court_order: 'a court order',
  search_warrant: 'a search warrant',
  subpoena: 'a subpoena',
  administrative_order: 'an administrative order',
  preservation_request: 'a preservation request',
  emergency_request: 'an emergency request',
  informal_request: 'an informal request',
}

/**
 * The merchant (the controller) hears of every request about its customers (SCC Cl. 15.1(a)):
 * a portal notice and an e-mail to its administrators. Under a gag order the notice is kept
 * deferred and `sendDue` sends it the day after the gag lapses; both dates stay on the record.
 */
export class RequestNotices {
  /** The notice text: what was asked, by whom, under what; never a customer's identifier. */
  text(request: GovernmentRequest) {
    const title = `Authority request ${request.reference} concerning your customers`
    const body = [
      `Conversera received ${INSTRUMENT_WORDS[request.instrumentType]} from ${request.authorityName} (${countryName(request.authorityCountry)}) on ${request.receivedAt.toISODate()}.`,
      `It concerns ${request.scopeIdentifierCount} customer identifier(s) of your account${request.scopeCategories.length ? ` and these data categories: ${request.scopeCategories.join(', ')}` : ''}.`,
      `Legal basis cited: ${request.legalBasis}`,
      'Conversera assesses every request for its legal basis, challenges unlawful or overbroad ones and discloses only the minimum required. You will be told of our response.',
    ].join('\n\n')
    return { title, body }
  }

  /** At intake, inside its transaction: one notice per merchant, deferred under a gag. */
  async open(request: GovernmentRequest, trx: TransactionClientContract, now: DateTime) {
    for (const merchantId of request.scopeMerchantIds) {
      const notice = new RequestNotice()
      notice.useTransaction(trx)
      notice.merge({
        requestId: request.id,
        merchantId,
        status: 'deferred',
        deferredUntil: request.gagOrder ? request.gagUntil : null,
        deferredAt: request.gagOrder ? now : null,
        emails: 0,
      })
      await notice.save()
    }
  }

  /** After intake commits: notices without a gag go out now. */
  async deliverOpened(request: GovernmentRequest) {
    if (request.gagOrder) return 0
    const pending = await RequestNotice.query()
      .where({ requestId: request.id, status: 'deferred' })
      .whereNull('deferred_at')
    for (const notice of pending) await this.deliver(notice, request)
    return pending.length
  }

  /** The scheduled job: deferred notices whose gag ended before `today`. */
  async sendDue(today: DateTime = DateTime.utc().startOf('day')) {
    const due = await RequestNotice.query()
      .where('status', 'deferred')
      .whereNotNull('deferred_until')
      .where('deferred_until', '<', today.toISODate()!)
      .orderBy('id')
    const { default: GovernmentRequest } = await import(
      '#government_requests/models/government_request'
    )
    for (const notice of due) {
      const request = await GovernmentRequest.findOrFail(notice.requestId)
      await this.deliver(notice, request)
    }
    return due.length
  }

  private async deliver(notice: RequestNotice, request: GovernmentRequest) {
    const { title, body } = this.text(request)
    await auditedWrite(
      async (trx) => {
        await MerchantNotification.create(
          {
            merchantId: notice.merchantId,
            kind: NOTICE_KIND,
            title,
            body,
            link: PORTAL_REQUESTS_PATH,
            sourceType: 'government_request',
            sourceId: String(request.id),
          },
          { client: trx }
        )
        notice.useTransaction(trx)
        notice.merge({ status: 'sent', sentAt: DateTime.utc() })
        await notice.save()
      },
      {
        action: 'government_request.merchant_notified',
        actor: { type: 'system' },
        merchantId: notice.merchantId,
        target: { type: 'government_request', id: request.id },
        meta: {
          noticeId: notice.id,
          deferredAt: notice.deferredAt?.toISO() ?? null,
          deferredUntil: notice.deferredUntil?.toISODate() ?? null,
        },
      }
    )
    await dispatch('government_requests.send_notice_emails', { noticeId: notice.id })
  }

  /** Outbox rows for the merchant's administrators; the unique key makes a retry harmless. */
  async email(noticeId: number) {
    const { merchantAdministrators } = await import('#access/services/merchant_administrators')
    const notice = await RequestNotice.findOrFail(noticeId)
    const { default: GovernmentRequest } = await import(
      '#government_requests/models/government_request'
    )
    const request = await GovernmentRequest.findOrFail(notice.requestId)
    const { title, body } = this.text(request)
    return db.transaction(async (trx) => {
      const recipients = await merchantAdministrators(notice.merchantId, trx)
      for (const user of recipients) {
        await enqueueEmail(trx, {
          merchantId: notice.merchantId,
          recipientUserId: user.id,
          template: 'government_requests.notice',
          subject: headerValue(`[Conversera] ${title}`),
          body,
          sourceType: 'government_request_notice',
          sourceId: String(notice.id),
        })
      }
      notice.useTransaction(trx)
      notice.emails = recipients.length
      await notice.save()
      return recipients.length
    })
  }
}

const requestNotices = new RequestNotices()
export default requestNotices
