import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import MerchantNotification from '#vendors/models/merchant_notification'
import type DsrCase from '#dsr/models/dsr_case'

/** Where merchants read a case (route `portal.dsr.show`); a path, since jobs have no router. */
export function portalCasePath(dsrCase: DsrCase) {
  return `/portal/dsr/${dsrCase.id}`
}

export type DsrNoticeKind = 'awaiting_merchant' | 'extended' | 'completed' | 'refused'

const TITLES: Record<DsrNoticeKind, (c: DsrCase) => string> = {
  awaiting_merchant: (c) => `A customer's request needs your instruction (${c.reference})`,
  extended: (c) => `Deadline extended for ${c.reference}`,
  completed: (c) => `Request ${c.reference} is completed`,
  refused: (c) => `Request ${c.reference} was refused`,
}

const BODIES: Record<DsrNoticeKind, (c: DsrCase) => string> = {
  awaiting_merchant: () =>
    'One of your customers asked Conversera directly. You are the controller: nothing is done until you instruct us or decline.',
  extended: (c) =>
    `The deadline is now ${c.dueAt.toISODate()} (Art. 12(3)). Tell the person about the extension and its reasons within the first month.`,
  completed: () => 'The request was carried out. The case report is in the portal.',
  refused: (c) => `Refusal reason: ${c.refusalCode}. The case report is in the portal.`,
}

/** A note in the merchant's portal inbox about one of its cases (codes and dates, no personal data). */
export function notifyMerchant(
  dsrCase: DsrCase,
  kind: DsrNoticeKind,
  trx?: TransactionClientContract
) {
  return MerchantNotification.create(
    {
      merchantId: dsrCase.merchantId,
      kind: `dsr.case.${kind}`,
      title: TITLES[kind](dsrCase),
      body: BODIES[kind](dsrCase),
      link: portalCasePath(dsrCase),
      sourceType: 'dsr_case',
      sourceId: String(dsrCase.id),
    },
    { client: trx }
  )
}
