import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { auditedWrite } from '#audit/services/audited_write'
import auditTrail from '#audit/services/audit_trail'
import AuditEvent from '#audit/models/audit_event'
import { Conflict, FieldInvalid, NotFound } from '#core/errors'
import { storagePath } from '#core/storage'
import fieldCipher from '#keys/services/field_cipher'
import { normalizeIdentifier } from '#keys/services/blind_index'
import Merchant from '#merchants/models/merchant'
import DataCategory from '#data_map/models/data_category'
import GovernmentRequest from '#government_requests/models/government_request'
import {
  CHECKLIST,
  OPEN_STATUSES,
  type Assessment,
  type ScopeIdentifier,
} from '#government_requests/policy'
import { dueAtFor } from '#government_requests/services/deadline_rules'
import requestNotices from '#government_requests/services/notices'
import type {
  AssessmentInput,
  IntakeInput,
  RequestFilter,
} from '#government_requests/validators/government_request'

export const CAIRO = 'Africa/Cairo'

/** A moment from the form: `datetime-local` is Cairo time; ISO text with an offset keeps it. */
export function parseMoment(value: string, field: string) {
  const parsed = DateTime.fromISO(value, { zone: CAIRO, setZone: true })
  if (!parsed.isValid)
    throw new FieldInvalid(field, 'Enter a date and time.', 'government_moment_invalid')
  return parsed.toUTC()
}

/**
 * One identifier as the authority wrote it: `+20…` a phone, an e-mail, `cus_…` a customer
 * reference, `ig:…` an Instagram-scoped id, `wa:…` or bare digits a WhatsApp id. Normalized like
 * the blind index, so the builder finds the customer whatever the spelling.
 */
export function parseIdentifier(text: string): ScopeIdentifier {
  const value = text.trim()
  const field = 'identifiers'
  if (/^cus_[A-Za-z0-9]+$/.test(value)) return { kind: 'customer_reference', value }
  if (value.includes('@'))
    return { kind: 'email', value: normalizeIdentifier('email', value, field) }
  if (value.startsWith('+') || value.startsWith('00'))
    return { kind: 'phone', value: normalizeIdentifier('phone', value, field) }
  const prefixed = /^(ig|instagram|wa|whatsapp):\s*(.+)$/i.exec(value)
  if (prefixed) {
    const kind = prefixed[1].toLowerCase().startsWith('i') ? 'instagram_id' : 'wa_id'
    return { kind, value: normalizeIdentifier(kind, prefixed[2], field) }
  }
  return { kind: 'wa_id', value: normalizeIdentifier('wa_id', value, field) }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

function documentContext(request: GovernmentRequest) {
  return {
    merchantId: null,
    table: 'government_requests',
    column: 'instrument_document',
    row: String(request.id),
  }
}

/** The register of authority requests: intake, the instrument, the assessment, the timeline. */
export class GovernmentRequestRegister {
  list(filter: RequestFilter) {
    const query = GovernmentRequest.query().preload('decisions')
    const status = filter.status ?? 'any'
    if (status === 'open') query.whereIn('status', [...OPEN_STATUSES])
    else if (status === 'overdue')
      query.whereIn('status', [...OPEN_STATUSES]).where('due_at', '<', DateTime.utc().toSQL()!)
    else if (status !== 'any')
      query.whereHas('decisions', (d) => d.where('outcome', status).where('status', 'approved'))
    if (filter.instrumentType) query.where('instrument_type', filter.instrumentType)
    if (filter.country) query.where('authority_country', filter.country)
    if (filter.q) {
      const term = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query.where((q) => q.whereILike('reference', term).orWhereILike('authority_name', term))
    }
    // Open cases first, soonest deadline first; answered ones after, newest first
    query.orderByRaw(
      `CASE WHEN status IN (${OPEN_STATUSES.map(() => '?').join(',')}) THEN 0 ELSE 1 END`,
      [...OPEN_STATUSES]
    )
    query.orderBy('due_at', 'asc')
    return query.paginate(filter.page ?? 1, filter.perPage ?? 25)
  }

  async find(id: number) {
    const request = await GovernmentRequest.find(id)
    if (!request) throw new NotFound('government request')
    return request
  }

  async findByReference(reference: string) {
    const request = await GovernmentRequest.findBy('reference', reference)
    if (!request) throw new NotFound('government request')
    return request
  }

  /**
   * Records a request. Notices go out at once (or are deferred under a gag). A refused intake (a
   * deadline rule that does not fit, a gag that already ended…) records nothing but the attempt.
   */
  async intake(input: IntakeInput, actorUserId: number | null, now: DateTime = DateTime.utc()) {
    let request: GovernmentRequest
    try {
      request = await this.prepare(input, actorUserId, now)
    } catch (error) {
      if (error instanceof FieldInvalid) {
        const [detail] = error.details as Array<{ field: string; rule: string }>
        await auditTrail.record({
          action: 'government_request.intake_refused',
          outcome: 'denied',
          meta: { field: detail.field, rule: detail.rule, instrument: input.instrumentType },
        })
      }
      throw error
    }
    const identifiers = request.identifiers
    await auditedWrite(
      async (trx) => {
        request.useTransaction(trx)
        await request.save()
        if (!request.ownConduct) await requestNotices.open(request, trx, now)
      },
      {
        action: 'government_request.received',
        target: { type: 'government_request', id: request.id },
        meta: {
          reference: request.reference,
          instrument: request.instrumentType,
          authorityType: request.authorityType,
          country: request.authorityCountry,
          identifiers: identifiers.length,
          merchants: request.scopeMerchantIds.length,
          gag: request.gagOrder,
          ownConduct: request.ownConduct,
          deadlineRule: request.deadlineRule,
        },
      }
    )
    if (input.document) {
      await this.attachInstrument(
        request,
        await readFile(input.document.tmpPath!),
        input.document.clientName
      )
    }
    await requestNotices.deliverOpened(request)
    return request
  }

  /** Checks the intake and builds the unsaved row (its id and reference already taken). */
  private async prepare(input: IntakeInput, actorUserId: number | null, now: DateTime) {
    const receivedAt = parseMoment(input.receivedAt, 'receivedAt')
    if (receivedAt > now.plus({ minutes: 5 })) {
      throw new FieldInvalid(
        'receivedAt',
        'The date received cannot be in the future.',
        'government_received_in_future'
      )
    }
    const dueAt = dueAtFor({
      rule: input.deadlineRule,
      instrumentType: input.instrumentType,
      authorityCountry: input.authorityCountry,
      receivedAt,
      customDueAt: input.customDueAt ? parseMoment(input.customDueAt, 'customDueAt') : null,
    })
    const gagUntil = input.gagUntil ? DateTime.fromJSDate(input.gagUntil, { zone: 'utc' }) : null
    if (gagUntil && !input.gagOrder) {
      throw new FieldInvalid(
        'gagOrder',
        'Tick the gag order to give its end date.',
        'government_gag_order_unticked'
      )
    }
    if (gagUntil && gagUntil < now.startOf('day')) {
      throw new FieldInvalid(
        'gagUntil',
        'The gag order ends in the past: notify the merchant instead of deferring.',
        'government_gag_ended'
      )
    }
    const preserveUntil = input.preserveUntil
      ? DateTime.fromJSDate(input.preserveUntil, { zone: 'utc' })
      : null
    if (input.instrumentType === 'preservation_request') {
      if (!preserveUntil || preserveUntil <= now.startOf('day')) {
        throw new FieldInvalid(
          'preserveUntil',
          'A preservation request needs the day its hold expires, in the future.',
          'government_preservation_expiry_required'
        )
      }
    }
    const identifiers = (input.identifiers ?? []).map(parseIdentifier)
    const merchantIds = [...new Set(input.merchantIds ?? [])]
    await this.assertMerchants(merchantIds)
    const categories = [...new Set(input.categories ?? [])]
    await this.assertCategories(categories, 'categories')

    const request = new GovernmentRequest()
    request.merge({
      status: input.ownConduct ? 'referred' : 'intake',
      authorityName: input.authorityName,
      authorityCountry: input.authorityCountry,
      authorityType: input.authorityType,
      authorityContact: input.authorityContact ?? null,
      contactVerification: input.contactVerification ?? null,
      contactVerifiedAt: input.contactVerified ? now : null,
      instrumentType: input.instrumentType,
      instrumentReference: input.instrumentReference ?? null,
      legalBasis: input.legalBasis,
      receivedAt,
      deadlineRule: input.deadlineRule,
      dueAt,
      scopeIdentifiers: JSON.stringify(identifiers),
      scopeIdentifierCount: identifiers.length,
      scopeMerchantIds: merchantIds,
      scopeCategories: categories,
      scopeFrom: input.scopeFrom ? DateTime.fromJSDate(input.scopeFrom, { zone: 'utc' }) : null,
      scopeTo: input.scopeTo ? DateTime.fromJSDate(input.scopeTo, { zone: 'utc' }) : null,
      gagOrder: Boolean(input.gagOrder),
      gagUntil,
      ownConduct: Boolean(input.ownConduct),
      preserveUntil,
      assessment: {},
      createdByUserId: actorUserId,
    })
    const { rows } = await db.rawQuery(
      `SELECT nextval(pg_get_serial_sequence('government_requests', 'id')) AS id`
    )
    request.id = Number(rows[0].id)
    request.reference = `GR-${receivedAt.year}-${String(request.id).padStart(4, '0')}`
    return request
  }

  /** Stores the instrument sealed under the platform key; its hash goes on the record. */
  async attachInstrument(request: GovernmentRequest, bytes: Buffer, fileName: string) {
    const relative = `government_requests/${request.reference}/instrument-${Date.now()}.sealed`
    const absolute = storagePath(relative)
    await mkdir(dirname(absolute), { recursive: true, mode: 0o700 })
    await writeFile(
      absolute,
      await fieldCipher.seal(bytes.toString('base64'), documentContext(request)),
      { mode: 0o600, flag: 'wx' }
    )
    try {
      await auditedWrite(
        async (trx) => {
          request.useTransaction(trx)
          request.merge({
            instrumentDocumentPath: relative,
            instrumentDocumentName: fileName.slice(0, 200),
            instrumentDocumentSha256: sha256(bytes),
            instrumentDocumentSize: bytes.length,
          })
          await request.save()
        },
        {
          action: 'government_request.instrument_stored',
          target: { type: 'government_request', id: request.id },
          meta: { sha256: sha256(bytes), size: bytes.length },
        }
      )
    } catch (error) {
      await rm(absolute, { force: true })
      throw error
    }
    return request
  }

  /** The instrument's bytes, checked against the hash on the record. */
  async readInstrument(request: GovernmentRequest) {
    if (!request.instrumentDocumentPath) throw new NotFound('instrument document')
    const sealed = await readFile(storagePath(request.instrumentDocumentPath), 'utf8')
    const bytes = Buffer.from(await fieldCipher.open(sealed, documentContext(request)), 'base64')
    if (sha256(bytes) !== request.instrumentDocumentSha256) {
      throw new Conflict('instrument_altered', 'The stored instrument no longer matches its hash.')
    }
    await auditTrail.record({
      action: 'government_request.instrument_read',
      target: { type: 'government_request', id: request.id },
    })
    return bytes
  }

  /** Saves the checklist; it is complete when every item has an answer and its reasoning. */
  async saveAssessment(request: GovernmentRequest, input: AssessmentInput, actorUserId: number) {
    this.assertOpen(request)
    const assessment: Assessment = {}
    for (const item of CHECKLIST) {
      const entry = input[item]
      if (!entry?.answer && !entry?.reasoning) continue
      if (entry.answer && !entry.reasoning) {
        throw new FieldInvalid(
          `${item}.reasoning`,
          'Give the reasoning for this answer.',
          'government_assessment_reasoning_required'
        )
      }
      assessment[item] = { answer: entry.answer ?? null, reasoning: entry.reasoning ?? '' }
    }
    const complete = isAssessmentComplete(assessment)
    await auditedWrite(
      async (trx) => {
        request.useTransaction(trx)
        request.merge({
          assessment,
          assessedByUserId: actorUserId,
          assessedAt: complete ? DateTime.utc() : null,
          status: request.status === 'intake' && complete ? 'assessed' : request.status,
        })
        await request.save()
      },
      {
        action: complete ? 'government_request.assessed' : 'government_request.assessment_draft',
        target: { type: 'government_request', id: request.id },
        meta: Object.fromEntries(CHECKLIST.map((item) => [item, assessment[item]?.answer ?? null])),
      }
    )
    return request
  }

  /** Every recorded step of the case, oldest first, from the audit chain. */
  timeline(request: GovernmentRequest) {
    return AuditEvent.query()
      .where('target_type', 'government_request')
      .where('target_id', String(request.id))
      .orderBy('id', 'asc')
  }

  assertOpen(request: GovernmentRequest) {
    if (request.status === 'referred') {
      throw new Conflict(
        'own_conduct_referred',
        'This request concerns an investigation of Conversera’s own conduct: it is handled outside this process.'
      )
    }
  }

  async assertCategories(codes: string[], field: string) {
    if (!codes.length) return
    const known = await DataCategory.query().whereIn('code', codes).select('code')
    const missing = codes.filter((code) => !known.some((k) => k.code === code))
    if (missing.length) {
      throw new FieldInvalid(
        field,
        `Not a data category of the data map: ${missing.join(', ')}.`,
        'government_category_unknown'
      )
    }
  }

  private async assertMerchants(ids: number[]) {
    if (!ids.length) return
    const found = await Merchant.query().whereIn('id', ids).select('id')
    if (found.length !== ids.length) {
      throw new FieldInvalid('merchantIds', 'Unknown merchant.', 'government_merchant_unknown')
    }
  }
}

export function isAssessmentComplete(assessment: Assessment) {
  return CHECKLIST.every((item) => assessment[item]?.answer && assessment[item]?.reasoning)
}

const register = new GovernmentRequestRegister()
export default register
