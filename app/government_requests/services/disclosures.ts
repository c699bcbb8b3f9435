import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DateTime } from 'luxon'
import { CompactEncrypt } from 'jose'
import env from '#start/env'
import auditTrail, { type AuditActor } from '#audit/services/audit_trail'
import { auditedWrite } from '#audit/services/audited_write'
import { canonicalJson } from '#core/canonical_json'
import { countryName } from '#core/countries'
import { Conflict, DomainError, FieldInvalid, NotFound } from '#core/errors'
import { storagePath } from '#core/storage'
import purposeGuard from '#conversations/guards/purpose_guard'
import { heading, keyValues, paragraph, table } from '#reports/content'
import { renderReport } from '#reports/services/pdf_layout'
import Decision from '#government_requests/models/decision'
import Disclosure, { type DisclosedItem } from '#government_requests/models/disclosure'
import GovernmentRequest from '#government_requests/models/government_request'
import { DISCLOSURE_PURPOSE, PRODUCING_OUTCOMES } from '#government_requests/policy'
import { isAssessmentComplete } from '#government_requests/services/register'
import subjectData from '#government_requests/services/subject_data'
import type { DisclosureInput } from '#government_requests/validators/government_request'

/** How a build was started; every one goes through `build()` and its checks. */
export type DisclosureChannel = 'console' | 'api' | 'job' | 'command'

export interface DisclosureAttempt {
  actorUserId: number
  channel: DisclosureChannel
  /** Defaults to the request's principal (or the user, outside a request). */
  actor?: AuditActor
}

export interface PickedItem {
  identifier: number
  merchantId: number
  categories: string[]
}

/** A refusal to produce: the process is incomplete. Nothing is built, the attempt is audited. */
export class NoPackageWithoutProcess extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, { status: 409 })
  }
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex')

/** `fields[]` from the console (`<identifier>:<merchant>:<category>`) as API items. */
export function itemsOf(input: DisclosureInput): PickedItem[] {
  if (input.items?.length) return input.items
  const grouped = new Map<string, PickedItem>()
  for (const field of input.fields ?? []) {
    const [identifier, merchantId, category] = field.split(':')
    const key = `${identifier}:${merchantId}`
    if (!grouped.has(key)) {
      grouped.set(key, {
        identifier: Number(identifier),
        merchantId: Number(merchantId),
        categories: [],
      })
    }
    grouped.get(key)!.categories.push(category)
  }
  return [...grouped.values()]
}

/**
 * Disclosure: the privacy policy as code. `build()` is the only way a package is made, from the
 * console, the API, the job and the ace command alike; there is no override. It refuses unless
 * the request has a recorded legal instrument, a completed assessment and an approved narrow or
 * comply decision; it takes only fields inside the approved scope, reads them under the purpose
 * `legal.obligation` (the purpose guard checks it against the data map), and records hashes,
 * never values.
 */
export class RequestDisclosures {
  /** The approved decision a package may rest on, or a refusal (audited). */
  async lawfulProcess(request: GovernmentRequest, attempt: DisclosureAttempt): Promise<Decision> {
    const refuse = (code: string, message: string) =>
      this.refuse(request, attempt, new NoPackageWithoutProcess(code, message))
    if (request.ownConduct) {
      return refuse(
        'own_conduct_referred',
        'This request concerns an investigation of Conversera’s own conduct: it is handled outside this process and never produces a package here.'
      )
    }
    if (request.informal) {
      return refuse(
        'informal_request',
        'An informal request can be answered but never produces a package: ask the authority for a legal instrument.'
      )
    }
    if (!request.instrumentReference || !request.instrumentDocumentSha256) {
      return refuse(
        'no_legal_instrument',
        'No legal instrument is recorded: record its reference and upload the document first.'
      )
    }
    if (!isAssessmentComplete(request.assessment) || !request.assessedAt) {
      return refuse(
        'assessment_incomplete',
        'The assessment is not complete: every checklist item needs an answer and its reasoning.'
      )
    }
    const decision = await Decision.query()
      .where({ requestId: request.id, status: 'approved' })
      .whereIn('outcome', [...PRODUCING_OUTCOMES])
      .first()
    if (!decision || !decision.approvedByUserId) {
      return refuse(
        'no_approved_decision',
        'No approved decision to comply or narrow: a package needs a decision approved by a second person.'
      )
    }
    return decision
  }

  /** Builds, encrypts, stores and records a package. */
  async build(request: GovernmentRequest, input: DisclosureInput, attempt: DisclosureAttempt) {
    const decision = await this.lawfulProcess(request, attempt)
    const items = itemsOf(input)
    if (!items.length) {
      return this.refuse(
        request,
        attempt,
        new FieldInvalid(
          'fields',
          'Pick at least one field to disclose.',
          'government_disclosure_fields_required'
        )
      )
    }
    for (const [index, item] of items.entries()) {
      const outside = [
        ...(decision.approvedIdentifiers.includes(item.identifier)
          ? []
          : [`identifier ${item.identifier + 1}`]),
        ...(decision.approvedMerchantIds.includes(item.merchantId)
          ? []
          : [`merchant ${item.merchantId}`]),
        ...item.categories.filter((c) => !decision.approvedCategories.includes(c)),
      ]
      if (outside.length) {
        return this.refuse(
          request,
          attempt,
          new FieldInvalid(
            `items.${index}.categories`,
            `Outside the approved scope, so it cannot be disclosed: ${outside.join(', ')}.`,
            'government_disclosure_outside_scope'
          )
        )
      }
    }

    const identifiers = request.identifiers
    const merchants = [...new Set(items.map((i) => i.merchantId))]
    for (const merchantId of merchants) {
      const categories = [
        ...new Set(items.filter((i) => i.merchantId === merchantId).flatMap((i) => i.categories)),
      ]
      // The conversations' purpose guard: the package is built in the hub, and a customer's
      // restriction or objection does not stand against a lawful order (GDPR Art. 18(2), 21(1))
      const verdict = await purposeGuard.check(
        {
          merchantId,
          purpose: DISCLOSURE_PURPOSE,
          categories,
          destination: { kind: 'in_process' },
          records: [],
          customer: null,
          honourOptOut: false,
        },
        { actor: attempt.actor }
      )
      if (!verdict.allowed) {
        return this.refuse(
          request,
          attempt,
          new DomainError(
            'purpose_not_allowed',
            `The data map does not allow ${DISCLOSURE_PURPOSE} for: ${verdict.detail ?? verdict.reason}.`,
            { status: 403 }
          )
        )
      }
    }

    // Read: under the declared purpose, only the picked fields, within the date range
    const range = { from: request.scopeFrom, to: request.scopeTo }
    const subjects = []
    const recorded: DisclosedItem[] = []
    for (const item of items) {
      const identifier = identifiers[item.identifier]
      const found = await subjectData.resolve(item.merchantId, identifier)
      const fields = await subjectData.read(item.merchantId, found, item.categories, range)
      subjects.push({
        label: `Subject ${subjects.length + 1}`,
        identifier: `${identifier.kind}: ${identifier.value}`,
        merchant: item.merchantId,
        recordsFound: found.length,
        fields,
      })
      recorded.push({
        identifier: item.identifier,
        merchantId: item.merchantId,
        subjects: found,
        fields: Object.fromEntries(
          Object.entries(fields).map(([category, values]) => [
            category,
            sha256(canonicalJson(values)),
          ])
        ),
      })
    }
    const now = DateTime.utc()
    const recipient = input.recipient ?? request.authorityName
    const packageJson = canonicalJson({
      request: request.reference,
      authority: { name: request.authorityName, country: request.authorityCountry },
      instrument: { type: request.instrumentType, reference: request.instrumentReference },
      decision: { outcome: decision.outcome, approvedAt: decision.approvedAt!.toISO() },
      producedAt: now.toISO(),
      purpose: DISCLOSURE_PURPOSE,
      subjects,
    })
    const packageSha256 = sha256(packageJson)
    const coverLetter = await this.coverLetter(
      request,
      decision,
      subjects.length,
      packageSha256,
      now
    )
    const key = randomBytes(32)
    const jwe = await new CompactEncrypt(
      new TextEncoder().encode(
        JSON.stringify({
          'package.json': Buffer.from(packageJson).toString('base64'),
          'cover-letter.pdf': coverLetter.toString('base64'),
        })
      )
    )
      .setProtectedHeader({
        alg: 'dir',
        enc: 'A256GCM',
        cty: 'application/json',
        kid: request.reference,
      })
      .encrypt(key)
    const relative = `government_requests/${request.reference}/package-${now.toFormat('yyyyMMddHHmmss')}-${randomUUID().slice(0, 8)}.jwe`
    await mkdir(dirname(storagePath(relative)), { recursive: true, mode: 0o700 })
    await writeFile(storagePath(relative), jwe, { mode: 0o600, flag: 'wx' })

    const disclosure = new Disclosure()
    disclosure.merge({
      requestId: request.id,
      decisionId: decision.id,
      recipient,
      items: JSON.stringify(recorded),
      subjectCount: new Set(recorded.flatMap((r) => r.subjects)).size,
      categories: [...new Set(items.flatMap((i) => i.categories))].sort(),
      merchantIds: merchants,
      packageSha256,
      coverLetterSha256: sha256(coverLetter),
      jweSha256: sha256(jwe),
      jwePath: relative,
      deliveryKey: key.toString('base64url'),
      preparedByUserId: attempt.actorUserId,
      approvedByUserId: decision.approvedByUserId,
      channel: attempt.channel,
      deliveredAt: now,
    })
    await auditedWrite(
      async (trx) => {
        disclosure.useTransaction(trx)
        await disclosure.save()
        request.useTransaction(trx)
        request.status = 'disclosed'
        await request.save()
      },
      () => ({
        action: 'government_request.disclosed',
        actor: attempt.actor,
        purpose: DISCLOSURE_PURPOSE,
        target: { type: 'government_request', id: request.id },
        meta: {
          disclosureId: disclosure.id,
          channel: attempt.channel,
          decisionId: decision.id,
          approvedBy: decision.approvedByUserId,
          merchants,
          categories: disclosure.categories,
          subjects: disclosure.subjectCount,
          packageSha256,
          jweSha256: disclosure.jweSha256,
        },
      })
    )
    return { disclosure, jwe, deliveryKey: disclosure.deliveryKey }
  }

  async find(request: GovernmentRequest, id: number) {
    const disclosure = await Disclosure.query().where({ id, requestId: request.id }).first()
    if (!disclosure) throw new NotFound('disclosure')
    return disclosure
  }

  /** The stored JWE, checked against its recorded hash. */
  async package(disclosure: Disclosure) {
    const jwe = await readFile(storagePath(disclosure.jwePath), 'utf8')
    if (sha256(jwe) !== disclosure.jweSha256) {
      throw new Conflict('package_altered', 'The stored package no longer matches its hash.')
    }
    return jwe
  }

  /** The content key, for the recipient; every reveal is recorded. */
  async revealKey(disclosure: Disclosure) {
    await auditTrail.record({
      action: 'government_request.delivery_key_revealed',
      target: { type: 'government_request', id: disclosure.requestId },
      meta: { disclosureId: disclosure.id },
    })
    return disclosure.deliveryKey
  }

  private async coverLetter(
    request: GovernmentRequest,
    decision: Decision,
    subjects: number,
    packageSha256: string,
    now: DateTime
  ) {
    return renderReport(
      {
        documentId: randomUUID(),
        kind: 'government-disclosure',
        title: `Disclosure under ${request.instrumentReference}`,
        subtitle: `Our reference ${request.reference}`,
        organisation: env.get('ORGANISATION_NAME'),
        generatedAt: now.toJSDate(),
        generatedBy: 'Legal, Conversera',
      },
      {
        blocks: [
          keyValues([
            ['To', `${request.authorityName} (${countryName(request.authorityCountry)})`],
            ['Your reference', request.instrumentReference ?? ''],
            ['Received', request.receivedAt.toISODate()!],
            ['Legal basis cited', request.legalBasis],
          ]),
          heading('What is enclosed'),
          paragraph(
            `In answer to your ${request.instrumentType.replace(/_/g, ' ')}, and after assessing its legal basis, Conversera discloses the minimum data the instrument requires: the fields listed in package.json about ${subjects} identifier(s). Nothing outside the approved scope is included.`
          ),
          table(
            ['Item', 'Value'],
            [
              ['Decision', decision.outcome.replace(/_/g, ' ')],
              ['Package SHA-256', packageSha256],
            ]
          ),
          paragraph(
            'The package is encrypted (JWE, A256GCM); the key is sent separately. Use the data only for the purpose stated in the instrument.',
            { muted: true }
          ),
        ],
      }
    )
  }

  /** Audits the refused attempt, then throws: nothing was built. */
  private async refuse(
    request: GovernmentRequest,
    attempt: DisclosureAttempt,
    error: DomainError
  ): Promise<never> {
    await auditTrail.record({
      action: 'government_request.disclosure_refused',
      outcome: 'denied',
      actor: attempt.actor,
      target: { type: 'government_request', id: request.id },
      meta: { code: error.code, channel: attempt.channel, status: error.status },
    })
    throw error
  }
}

const requestDisclosures = new RequestDisclosures()
export default requestDisclosures
