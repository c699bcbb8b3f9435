import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { auditedWrite } from '#audit/services/audited_write'
import { FieldInvalid, NotFound } from '#core/errors'
import { periodRange } from '#reports/period'
import reportService from '#reports/services/report_service'
import GovernmentRequest from '#government_requests/models/government_request'
import Decision from '#government_requests/models/decision'
import Disclosure from '#government_requests/models/disclosure'
import RequestNotice from '#government_requests/models/request_notice'
import TransparencyReport from '#government_requests/models/transparency_report'
import { BAND_THRESHOLD, type Outcome } from '#government_requests/policy'

/** A count as published: exact from the threshold up, otherwise its band ("1–9"). */
export type Count = number | string

export type Tally = Array<{ key: string; count: Count }>

export interface TransparencyFigures {
  period: string
  from: string
  to: string
  threshold: number
  requests: Count
  byCountry: Tally
  byAuthorityType: Tally
  /** By the authority's own name (Arabic names as written). */
  byAuthority: Tally
  byInstrumentType: Tally
  byOutcome: Tally
  accountsSpecified: Count
  /** Percentage of requests (legal process and emergency) where some data was produced. */
  producedPercent: number | null
  emergency: { requests: Count; produced: Count }
  preservation: { requests: Count; holdsPlaced: Count }
  challenges: { total: Count; upheld: Count; dismissed: Count; pending: Count }
  notices: { sent: Count; deferred: Count; stillDeferred: Count }
  /** Requests about Conversera's own conduct: outside the process, counted apart. */
  ownConduct: Count
}

/** The exact numbers, before banding: for tests and the internal view only. */
export interface RawFigures {
  requests: number
  byCountry: Record<string, number>
  byAuthorityType: Record<string, number>
  byAuthority: Record<string, number>
  byInstrumentType: Record<string, number>
  byOutcome: Record<string, number>
  accountsSpecified: number
  produced: number
  emergency: { requests: number; produced: number }
  preservation: { requests: number; holdsPlaced: number }
  challenges: { total: number; upheld: number; dismissed: number; pending: number }
  notices: { sent: number; deferred: number; stillDeferred: number }
  ownConduct: number
}

export function band(count: number, threshold = BAND_THRESHOLD): Count {
  if (count === 0 || count >= threshold) return count
  return `1–${threshold - 1}`
}

/** `2026H2` and `2026-H2` alike; only half-years are transparency periods. */
export function halfYear(period: string) {
  const match = /^(\d{4})-?(H[12])$/.exec(period.trim())
  if (!match) {
    throw new FieldInvalid(
      'period',
      'A transparency period is a half-year, e.g. 2026H2.',
      'government_transparency_period_format'
    )
  }
  const canonical = `${match[1]}-${match[2]}`
  return { canonical, ...periodRange(canonical)! }
}

const countBy = (keys: string[]) =>
  keys.reduce<Record<string, number>>((acc, key) => ({ ...acc, [key]: (acc[key] ?? 0) + 1 }), {})

const tally = (counts: Record<string, number>): Tally =>
  Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => ({ key, count: band(count) }))

/**
 * The half-yearly transparency report (SCC Cl. 15.1(c); DESIGN.md §8.7): requests received in
 * the period by country, authority type, instrument and outcome, accounts specified, the share
 * with some data produced, emergency and preservation requests apart, challenges and notices.
 */
export class Transparency {
  async raw(period: string): Promise<RawFigures> {
    const { start, end } = halfYear(period)
    const all = await GovernmentRequest.query()
      .where('received_at', '>=', start.toSQL()!)
      .where('received_at', '<', end.toSQL()!)
    const requests = all.filter((r) => !r.ownConduct)
    const ids = requests.map((r) => r.id)
    const decisions = ids.length
      ? await Decision.query().whereIn('request_id', ids).where('status', 'approved')
      : []
    const disclosures = ids.length
      ? await Disclosure.query().whereIn('request_id', ids).select('request_id')
      : []
    const disclosed = new Set(disclosures.map((d) => d.requestId))
    const notices = ids.length ? await RequestNotice.query().whereIn('request_id', ids) : []
    const outcomeOf = (request: GovernmentRequest): Outcome | 'pending' =>
      decisions.find((d) => d.requestId === request.id)?.outcome ?? 'pending'
    const challenges = decisions.filter((d) => d.outcome === 'challenge')
    const preservations = requests.filter((r) => r.preservation)
    const holds = preservations.length
      ? await db
          .from('legal_holds')
          .where('source', 'government_request')
          .whereIn(
            'source_ref',
            preservations.map((r) => r.reference)
          )
          .count('* as total')
      : [{ total: 0 }]
    const emergency = requests.filter((r) => r.emergency)
    return {
      requests: requests.length,
      byCountry: countBy(requests.map((r) => r.authorityCountry)),
      byAuthorityType: countBy(requests.map((r) => r.authorityType)),
      byAuthority: countBy(requests.map((r) => r.authorityName)),
      byInstrumentType: countBy(requests.map((r) => r.instrumentType)),
      byOutcome: countBy(requests.map(outcomeOf)),
      accountsSpecified: requests.reduce((sum, r) => sum + r.scopeIdentifierCount, 0),
      produced: requests.filter((r) => disclosed.has(r.id)).length,
      emergency: {
        requests: emergency.length,
        produced: emergency.filter((r) => disclosed.has(r.id)).length,
      },
      preservation: { requests: preservations.length, holdsPlaced: Number(holds[0].total) },
      challenges: {
        total: challenges.length,
        upheld: challenges.filter((d) => d.challengeResult === 'upheld').length,
        dismissed: challenges.filter((d) => d.challengeResult === 'dismissed').length,
        pending: challenges.filter((d) => d.challengeResult === 'pending').length,
      },
      notices: {
        sent: notices.filter((n) => n.status === 'sent').length,
        deferred: notices.filter((n) => n.deferredAt !== null).length,
        stillDeferred: notices.filter((n) => n.status === 'deferred').length,
      },
      ownConduct: all.length - requests.length,
    }
  }

  /** What may be published: every count below the threshold becomes a band. */
  async figures(period: string): Promise<TransparencyFigures> {
    const { canonical, start, end } = halfYear(period)
    const raw = await this.raw(canonical)
    return {
      period: canonical,
      from: start.toISODate()!,
      to: end.minus({ days: 1 }).toISODate()!,
      threshold: BAND_THRESHOLD,
      requests: band(raw.requests),
      byCountry: tally(raw.byCountry),
      byAuthorityType: tally(raw.byAuthorityType),
      byAuthority: tally(raw.byAuthority),
      byInstrumentType: tally(raw.byInstrumentType),
      byOutcome: tally(raw.byOutcome),
      accountsSpecified: band(raw.accountsSpecified),
      producedPercent: raw.requests ? Math.round((raw.produced / raw.requests) * 100) : null,
      emergency: {
        requests: band(raw.emergency.requests),
        produced: band(raw.emergency.produced),
      },
      preservation: {
        requests: band(raw.preservation.requests),
        holdsPlaced: band(raw.preservation.holdsPlaced),
      },
      challenges: {
        total: band(raw.challenges.total),
        upheld: band(raw.challenges.upheld),
        dismissed: band(raw.challenges.dismissed),
        pending: band(raw.challenges.pending),
      },
      notices: {
        sent: band(raw.notices.sent),
        deferred: band(raw.notices.deferred),
        stillDeferred: band(raw.notices.stillDeferred),
      },
      ownConduct: band(raw.ownConduct),
    }
  }

  /** One line per figure: `section,key,value`. */
  toCsv(figures: TransparencyFigures) {
    const rows: Array<[string, string, Count | null]> = [
      ['period', figures.period, `${figures.from}..${figures.to}`],
      ['requests', 'total', figures.requests],
      ...figures.byCountry.map((t) => ['country', t.key, t.count] as [string, string, Count]),
      ...figures.byAuthorityType.map(
        (t) => ['authority_type', t.key, t.count] as [string, string, Count]
      ),
      ...figures.byAuthority.map((t) => ['authority', t.key, t.count] as [string, string, Count]),
      ...figures.byInstrumentType.map(
        (t) => ['instrument_type', t.key, t.count] as [string, string, Count]
      ),
      ...figures.byOutcome.map((t) => ['outcome', t.key, t.count] as [string, string, Count]),
      ['accounts', 'specified', figures.accountsSpecified],
      ['produced', 'percent', figures.producedPercent],
      ['emergency', 'requests', figures.emergency.requests],
      ['emergency', 'produced', figures.emergency.produced],
      ['preservation', 'requests', figures.preservation.requests],
      ['preservation', 'holds_placed', figures.preservation.holdsPlaced],
      ['challenges', 'total', figures.challenges.total],
      ['challenges', 'upheld', figures.challenges.upheld],
      ['challenges', 'dismissed', figures.challenges.dismissed],
      ['challenges', 'pending', figures.challenges.pending],
      ['notices', 'sent', figures.notices.sent],
      ['notices', 'deferred', figures.notices.deferred],
      ['notices', 'still_deferred', figures.notices.stillDeferred],
      ['own_conduct', 'excluded', figures.ownConduct],
    ]
    const cell = (value: Count | null) => {
      const text = value === null ? '' : String(value)
      return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
    }
    return ['section,key,value', ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n'
  }

  /** Generates the signed PDF and publishes the figures on `/transparency`. */
  async publish(period: string, actorUserId: number, generatedBy: string) {
    const { canonical } = halfYear(period)
    const report = await reportService.generate({
      kind: 'transparency',
      period: canonical,
      generatedBy,
      generatedByUserId: actorUserId,
    })
    const figures = await this.figures(canonical)
    const existing = await TransparencyReport.findBy('period', canonical)
    const row = existing ?? new TransparencyReport()
    return auditedWrite(
      async (trx) => {
        row.useTransaction(trx)
        row.merge({
          period: canonical,
          figures,
          reportDocumentId: report.documentId,
          publishedByUserId: actorUserId,
          publishedAt: DateTime.utc(),
        })
        await row.save()
        return row
      },
      {
        action: 'government_request.transparency_published',
        target: { type: 'transparency_report', id: canonical },
        meta: { period: canonical, documentId: report.documentId },
      }
    )
  }

  /** The newest published report, for the public page. */
  async latest() {
    const row = await TransparencyReport.query().orderBy('period', 'desc').first()
    if (!row) throw new NotFound('transparency report')
    return row
  }
}

const transparency = new Transparency()
export default transparency
