import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Merchant, { MIN_OBJECTION_WINDOW_DAYS } from '#merchants/models/merchant'
import auditTrail from '#audit/services/audit_trail'
import { auditedWrite } from '#audit/services/audited_write'
import { FieldInvalid, NotFound } from '#core/errors'
import type Subprocessor from '#vendors/models/subprocessor'
import ChangeNotice, {
  type ChangeNoticeKind,
  type FieldChange,
} from '#vendors/models/change_notice'
import NoticeDelivery from '#vendors/models/notice_delivery'
import MerchantNotification from '#vendors/models/merchant_notification'
import type { Principal } from '#access/principal'
import { scopedQuery } from '#access/services/tenant_scope'

/**
 * Where merchants read notices (route `portal.subprocessors.index`). A constant, not a route
 * lookup, because notices are also published from seeds and jobs where no routes are loaded.
 */
export const PORTAL_NOTICES_PATH = '/portal/subprocessors'

/** SCC Cl. 9(a) Option 2: written notice at least this many days ahead; a DPA may agree longer. */
export const DEFAULT_OBJECTION_WINDOW_DAYS = MIN_OBJECTION_WINDOW_DAYS

/**
 * Fields whose change is material to merchants: on an effective subprocessor such an edit is
 * staged, announced and applied only when the objection window closes.
 */
export const NOTICED_FIELDS = [
  'name',
  'legalEntity',
  'service',
  'purpose',
  'dataCategories',
  'processingCountries',
  'transferMechanism',
  'aiTerms',
] as const

/** Key-sorted JSON: jsonb re-orders object keys, so plain JSON.stringify would see false changes. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>
    return `{${Object.keys(object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value ?? null)
}

export function diffSnapshots(
  previous: Record<string, unknown> | null,
  current: Record<string, unknown>
): FieldChange[] {
  if (!previous) return []
  return NOTICED_FIELDS.filter(
    (field) => canonical(previous[field]) !== canonical(current[field])
  ).map((field) => ({ field, from: previous[field] ?? null, to: current[field] ?? null }))
}

const KIND_TITLES: Record<ChangeNoticeKind, string> = {
  addition: 'New subprocessor',
  change: 'Subprocessor change',
  retirement: 'Subprocessor retired',
}

export interface PublishOptions {
  summary?: string
  objectionWindowDays?: number
  actorUserId?: number | null
  /**
   * Back-dates the notice; only for recording history (seeding vendors engaged earlier). Such
   * notices are not shown to merchants as new.
   */
  publishedAt?: DateTime
  /** For a `change`: the record as it will be once the change applies (`serializePublic` form). */
  proposed?: Record<string, unknown>
}

/**
 * Change notices: what merchants are told when the subprocessor list changes, to whom it went
 * and until when they may object.
 */
export class ChangeNotices {
  /** Merchants whose data the subprocessor list applies to: everyone not yet terminated. */
  affectedMerchants(trx?: TransactionClientContract) {
    return Merchant.query({ client: trx }).whereNot('status', 'terminated').orderBy('id')
  }

  latestFor(subprocessorId: number, trx?: TransactionClientContract) {
    return ChangeNotice.query({ client: trx })
      .where('subprocessor_id', subprocessorId)
      .whereNot('kind', 'retirement')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .first()
  }

  /** The notice whose objection window is open right now, if any. */
  openWindowFor(subprocessorId: number, at: DateTime = DateTime.utc()) {
    return ChangeNotice.query()
      .where('subprocessor_id', subprocessorId)
      .whereNotNull('objection_deadline')
      .where('objection_deadline', '>=', at.toSQL()!)
      .orderBy('published_at', 'desc')
      .first()
  }

  /**
   * Creates the notice, one delivery and portal notification per affected merchant, inside the
   * caller's transaction. The e-mail job is dispatched by the caller after commit.
   */
  async publish(
    subprocessor: Subprocessor,
    kind: ChangeNoticeKind,
    options: PublishOptions,
    trx: TransactionClientContract
  ) {
    const now = options.publishedAt ?? DateTime.utc()
    const current = subprocessor.serializePublic()
    const snapshot = kind === 'change' ? { ...current, ...options.proposed } : current
    const previous =
      kind === 'change'
        ? { snapshot: current }
        : kind === 'retirement'
          ? await this.latestFor(subprocessor.id, trx)
          : null
    const changes = diffSnapshots(previous?.snapshot ?? null, snapshot)
    const windowDays = kind === 'retirement' ? null : await this.windowDays(options, trx)

    const notice = new ChangeNotice()
    notice.useTransaction(trx)
    notice.fill({
      subprocessorId: subprocessor.id,
      kind,
      summary: options.summary ?? this.defaultSummary(subprocessor, kind, changes),
      snapshot,
      changes,
      publishedAt: now,
      objectionWindowDays: windowDays,
      objectionDeadline: windowDays === null ? null : now.plus({ days: windowDays }),
      publishedByUserId: options.actorUserId ?? null,
    })
    await notice.save()

    const merchants = await this.affectedMerchants(trx)
    await NoticeDelivery.createMany(
      merchants.map((merchant) => ({
        noticeId: notice.id,
        merchantId: merchant.id,
        portalNotifiedAt: now,
        emailStatus: 'pending' as const,
      })),
      { client: trx }
    )
    const text = this.noticeText(notice, subprocessor)
    await MerchantNotification.createMany(
      merchants.map((merchant) => ({
        merchantId: merchant.id,
        kind: `vendors.notice.${kind}`,
        title: `${KIND_TITLES[kind]}: ${subprocessor.name}`,
        body: text,
        link: PORTAL_NOTICES_PATH,
        sourceType: 'subprocessor_change_notice',
        sourceId: String(notice.id),
        createdAt: now,
        readAt: options.publishedAt ? now : null,
      })),
      { client: trx }
    )

    await auditTrail.record(
      {
        action: 'vendors.notice.publish',
        target: { type: 'subprocessor', id: subprocessor.id },
        meta: { noticeId: notice.id, kind, merchants: merchants.length, windowDays },
      },
      trx
    )
    return notice
  }

  /**
   * The notice period: what the caller asks for, never shorter than the longest period any
   * affected merchant agreed in its DPA (SCC Cl. 9(a)).
   */
  async windowDays(options: PublishOptions, trx?: TransactionClientContract) {
    const row = await this.affectedMerchants(trx)
      .clearOrder()
      .max('objection_window_days as days')
      .first()
    const agreed = Math.max(DEFAULT_OBJECTION_WINDOW_DAYS, Number(row?.$extras.days ?? 0))
    const asked = options.objectionWindowDays ?? agreed
    if (asked < agreed) {
      throw new FieldInvalid(
        'objectionWindowDays',
        `Merchants agreed to at least ${agreed} days' notice in their DPAs; the window cannot be shorter.`,
        'vendors_objection_window_below_dpa'
      )
    }
    return asked
  }

  /** Changes announced earlier whose objection window has closed but that are not applied yet. */
  dueChanges(at: DateTime = DateTime.utc()) {
    return ChangeNotice.query()
      .where('kind', 'change')
      .whereNull('applied_at')
      .where('objection_deadline', '<', at.toSQL()!)
      .preload('subprocessor')
      .orderBy('objection_deadline')
  }

  /** The announced change still waiting for its window to close, if any. */
  announcedChangeFor(subprocessorId: number) {
    return ChangeNotice.query()
      .where({ subprocessorId, kind: 'change' })
      .whereNull('applied_at')
      .orderBy('published_at', 'desc')
      .first()
  }

  /**
   * Applies every announced change whose window has closed: the subprocessor takes the values
   * merchants were told about. A retired subprocessor keeps its history as it was.
   */
  async applyDue(at: DateTime = DateTime.utc()) {
    const notices = await this.dueChanges(at)
    let applied = 0
    for (const notice of notices) {
      const subprocessor = notice.subprocessor
      const skipped = subprocessor.status === 'retired'
      await auditedWrite(
        async (trx) => {
          subprocessor.useTransaction(trx)
          if (!skipped) {
            for (const change of notice.changes) {
              ;(subprocessor as unknown as Record<string, unknown>)[change.field] = change.to
            }
            await subprocessor.save()
            applied++
          }
          notice.useTransaction(trx)
          notice.appliedAt = DateTime.utc()
          await notice.save()
        },
        {
          action: 'vendors.notice.applied',
          actor: { type: 'system' },
          target: { type: 'subprocessor', id: subprocessor.id },
          meta: {
            noticeId: notice.id,
            fields: notice.changes.map((c) => c.field),
            skipped,
          },
        }
      )
    }
    return { due: notices.length, applied }
  }

  defaultSummary(subprocessor: Subprocessor, kind: ChangeNoticeKind, changes: FieldChange[]) {
    if (kind === 'addition') {
      return `We intend to engage ${subprocessor.name} (${subprocessor.service}) for: ${subprocessor.purpose}`
    }
    if (kind === 'retirement')
      return `${subprocessor.name} no longer processes data for Conversera.`
    return `${subprocessor.name} changes: ${changes.map((c) => c.field).join(', ')}.`
  }

  /** The text of the portal notification and the e-mail: what a merchant needs to decide whether to object. */
  noticeText(notice: ChangeNotice, subprocessor: Subprocessor) {
    const lines = [
      notice.summary,
      `Service: ${subprocessor.service}. Processing countries: ${subprocessor.processingCountries.join(', ')}.`,
      `Transfer mechanism: ${subprocessor.transferMechanism}.`,
    ]
    if (notice.objectionDeadline) {
      lines.push(
        `You may object until ${notice.objectionDeadline.toUTC().toFormat("yyyy-LL-dd HH:mm 'UTC'")} in the portal or via POST /api/v1/subprocessors/${subprocessor.id}/objections.`
      )
    }
    return lines.join('\n')
  }

  async find(id: number) {
    const notice = await ChangeNotice.query()
      .where('id', id)
      .preload('subprocessor')
      .preload('deliveries', (q) => q.preload('merchant').orderBy('merchant_id'))
      .first()
    if (!notice) throw new NotFound('change notice')
    return notice
  }

  /** Every notice, newest first, for the console history and the Atom feed. */
  history(options: { subprocessorId?: number; limit?: number } = {}) {
    const query = ChangeNotice.query()
      .preload('subprocessor')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
    if (options.subprocessorId) query.where('subprocessor_id', options.subprocessorId)
    if (options.limit) query.limit(options.limit)
    return query
  }

  /** Notices delivered to the principal's merchant; `window: 'open'` those still open to objection. */
  delivered(principal: Principal, filter: { window?: 'open' } = {}) {
    return ChangeNotice.query()
      .whereIn('id', scopedQuery(principal, NoticeDelivery).select('notice_id'))
      .if(filter.window === 'open', (query) =>
        query.where('objection_deadline', '>=', DateTime.utc().toJSDate())
      )
  }

  /** The notices delivered to the principal's merchant (through the tenant scope). */
  deliveredTo(principal: Principal, filter: { window?: 'open' } = {}) {
    return this.delivered(principal, filter)
      .preload('subprocessor')
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
  }
}

const changeNotices = new ChangeNotices()
export default changeNotices
