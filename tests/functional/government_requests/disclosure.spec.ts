import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import app from '@adonisjs/core/services/app'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { DateTime } from 'luxon'
import { compactDecrypt } from 'jose'
import AuditEvent from '#audit/models/audit_event'
import { storagePath } from '#core/storage'
import { runJob } from '#core/queue'
import legalHolds from '#dsr/services/legal_holds'
import Decision from '#government_requests/models/decision'
import Disclosure from '#government_requests/models/disclosure'
import type GovernmentRequest from '#government_requests/models/government_request'
import register from '#government_requests/services/register'
import requestDecisions from '#government_requests/services/decisions'
import requestDisclosures from '#government_requests/services/disclosures'
import {
  approvedCase,
  assessedCase,
  govFixture,
  intakeInput,
  allYes,
  type GovFixture,
} from '#tests/helpers/government_requests'

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex')

/** Package files written for the request since `before` (storage outlives rolled-back tests). */
function packagesOf(request: GovernmentRequest, before: string[] = []) {
  const dir = storagePath(`government_requests/${request.reference}`)
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jwe')) : []
  return files.filter((file) => !before.includes(file))
}

async function refusalsFor(request: GovernmentRequest) {
  return AuditEvent.query()
    .where({ action: 'government_request.disclosure_refused', targetId: String(request.id) })
    .orderBy('id')
}

/** What building a package of one field of record 0 fails with (the error, thrown or not). */
function refusalOf(
  fx: GovFixture,
  request: GovernmentRequest,
  category: string,
  by: { actor: { id: number }; channel: 'console' | 'api' }
) {
  return requestDisclosures
    .build(
      request,
      { fields: [`0:${fx.merchant.id}:${category}`] },
      { actorUserId: by.actor.id, channel: by.channel }
    )
    .catch((error) => error)
}

/** Tries to build a package through the console, the API, the job and the command. */
async function tryEveryPath(
  client: any,
  fx: GovFixture,
  request: GovernmentRequest,
  field: string
) {
  const [identifier, merchant, category] = field.split(':')
  const item = {
    identifier: Number(identifier),
    merchantId: Number(merchant),
    categories: [category],
  }
  const console = await client
    .post(`/government-requests/${request.id}/disclosures`)
    .actingAs(fx.counsel)
    .withCsrfToken()
    .header('referer', `/government-requests/${request.id}`)
    .form({ 'fields[]': field })
    .redirects(0)
  const api = await client
    .post(`/api/v1/government-requests/${request.id}/disclosures`)
    .actingAs(fx.counsel)
    .withCsrfToken()
    .json({ items: [item] })
  const job: any = await runJob('government_requests.build_disclosure', {
    requestId: request.id,
    items: [item],
    userId: fx.counsel.id,
  }).catch((error) => error)
  const ace = await app.container.make('ace')
  ace.ui.switchMode('raw')
  const command = await ace.exec('government:disclose', [
    request.reference,
    '--user',
    String(fx.counsel.id),
    '--field',
    `${Number(identifier) + 1}:${merchant}:${category}`,
  ])
  const commandLogs = command.ui.logger
    .getLogs()
    .map((log: { message: string }) => log.message)
    .join('\n')
  return { console, api, job, command, commandLogs }
}

test.group('government requests / no package without process', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('before approval every path (console, API, job, command) is refused, audited, and nothing is produced', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const request = await assessedCase(fx)
    // Proposed, not approved: the same person could not approve it anyway
    await requestDecisions.propose(
      request,
      { outcome: 'comply_full', reasons: 'Lawful, specific order from a competent court.' },
      fx.counsel.id
    )
    const field = `0:${fx.merchant.id}:customer.contact.phone`
    const before = packagesOf(request)
    const paths = await tryEveryPath(client, fx, request, field)

    assert.equal(paths.console.status(), 302)
    assert.include(JSON.stringify(paths.console.flashMessages()), 'No approved decision')
    paths.api.assertStatus(409)
    assert.equal(paths.api.body().error.code, 'no_approved_decision')
    assert.equal(paths.job.code, 'no_approved_decision')
    assert.equal(paths.job.status, 409)
    assert.equal(paths.command.exitCode, 1)
    assert.include(paths.commandLogs, 'no_approved_decision')

    assert.lengthOf(await Disclosure.query().where('request_id', request.id), 0)
    assert.deepEqual(packagesOf(request, before), [])
    const refusals = await refusalsFor(request)
    assert.deepEqual(
      refusals.map((e) => e.meta.channel),
      ['console', 'api', 'job', 'command']
    )
    assert.isTrue(refusals.every((e) => e.outcome === 'denied'))
  })

  test('without a recorded instrument, or with an incomplete assessment, nothing is produced', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const request = await approvedCase(fx)
    // The instrument's record is removed: a package needs it, whatever the decision says
    request.instrumentDocumentSha256 = null
    await request.save()
    const noInstrument = await client
      .post(`/api/v1/government-requests/${request.id}/disclosures`)
      .actingAs(fx.counsel)
      .withCsrfToken()
      .json({
        items: [
          { identifier: 0, merchantId: fx.merchant.id, categories: ['customer.contact.phone'] },
        ],
      })
    noInstrument.assertStatus(409)
    assert.equal(noInstrument.body().error.code, 'no_legal_instrument')

    const draft = await register.intake(intakeInput(fx), fx.counsel.id)
    await register.attachInstrument(draft, Buffer.from('order'), 'order.pdf')
    await register.saveAssessment(draft, { written: allYes().written }, fx.counsel.id)
    const incomplete = await refusalOf(fx, draft, 'customer.contact.phone', {
      actor: fx.counsel,
      channel: 'console',
    })
    assert.equal(incomplete.code, 'assessment_incomplete')
    // Nor can anything be decided on an incomplete assessment
    const decided = await requestDecisions
      .propose(draft, { outcome: 'comply_full', reasons: 'Looks lawful to me.' }, fx.counsel.id)
      .catch((e) => e)
    assert.equal(decided.code, 'assessment_incomplete')
    assert.lengthOf(await Disclosure.query().whereIn('request_id', [request.id, draft.id]), 0)
  })

  test('informal requests are answered but never produce a package; emergencies follow the same rule', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const informal = await assessedCase(fx, { instrumentType: 'informal_request' })
    const proposal = await requestDecisions
      .propose(
        informal,
        { outcome: 'comply_full', reasons: 'The police asked nicely.' },
        fx.counsel.id
      )
      .catch((e) => e)
    assert.equal(proposal.status, 422)
    assert.equal(proposal.details[0].rule, 'government_outcome_informal')
    const refused = await refusalOf(fx, informal, 'customer.contact.phone', {
      actor: fx.counsel,
      channel: 'api',
    })
    assert.equal(refused.code, 'informal_request')
    // It can still be answered: a reasoned refusal
    const reject = await requestDecisions.propose(
      informal,
      { outcome: 'reject', reasons: 'No legal instrument: a written order is required.' },
      fx.counsel.id
    )
    await requestDecisions.approve(reject, fx.dpo.id)

    const emergency = await assessedCase(fx, {
      instrumentType: 'emergency_request',
      authorityCountry: 'DE',
      deadlineRule: 'eu_e_evidence',
    })
    assert.isBelow(emergency.dueAt.diff(emergency.receivedAt, 'hours').hours, 9)
    const early = await refusalOf(fx, emergency, 'customer.contact.phone', {
      actor: fx.counsel,
      channel: 'api',
    })
    assert.equal(early.code, 'no_approved_decision')
  })

  test('an own-conduct request never produces a package', async ({ assert }) => {
    const fx = await govFixture()
    const request = await register.intake(intakeInput(fx, { ownConduct: true }), fx.counsel.id)
    const error = await refusalOf(fx, request, 'customer.contact.phone', {
      actor: fx.dpo,
      channel: 'console',
    })
    assert.equal(error.code, 'own_conduct_referred')
    const assess = await register.saveAssessment(request, allYes(), fx.counsel.id).catch((e) => e)
    assert.equal(assess.code, 'own_conduct_referred')
  })

  test('the person who proposed a decision cannot approve it', async ({ client, assert }) => {
    const fx = await govFixture()
    const request = await assessedCase(fx)
    const proposal = await requestDecisions.propose(
      request,
      { outcome: 'comply_full', reasons: 'Lawful, specific order from a competent court.' },
      fx.counsel.id
    )
    const response = await client
      .post(`/government-requests/decisions/${proposal.id}/approve`)
      .actingAs(fx.counsel)
      .withCsrfToken()
      .header('accept', 'application/json')
    response.assertStatus(403)
    assert.equal(response.body().error.code, 'segregation_of_duties')
    await proposal.refresh()
    assert.equal(proposal.status, 'proposed')
    const denied = await AuditEvent.query()
      .where({ action: 'access.denied', targetId: String(request.id) })
      .firstOrFail()
    assert.equal(denied.meta.rule, 'segregation_of_duties')
    assert.equal(denied.actorId, String(fx.counsel.id))

    const approved = await client
      .post(`/government-requests/decisions/${proposal.id}/approve`)
      .actingAs(fx.dpo)
      .withCsrfToken()
      .redirects(0)
    approved.assertStatus(302)
    await proposal.refresh()
    assert.equal(proposal.status, 'approved')
    assert.equal(proposal.approvedByUserId, fx.dpo.id)
  })
})

test.group('government requests / minimum disclosure', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a field outside the approved scope cannot be picked: 422, audited, nothing produced', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    // Narrowed: identifier 1 only; phone and name, not the e-mail
    const request = await approvedCase(fx)
    const before = packagesOf(request)
    for (const item of [
      { identifier: 0, merchantId: fx.merchant.id, categories: ['customer.contact.email'] },
      { identifier: 1, merchantId: fx.merchant.id, categories: ['customer.contact.phone'] },
    ]) {
      const response = await client
        .post(`/api/v1/government-requests/${request.id}/disclosures`)
        .actingAs(fx.counsel)
        .withCsrfToken()
        .json({ items: [item] })
      response.assertStatus(422)
      assert.equal(response.body().error.details[0].field, 'items.0.categories')
      assert.equal(response.body().error.details[0].rule, 'government_disclosure_outside_scope')
    }
    assert.lengthOf(await Disclosure.query().where('request_id', request.id), 0)
    assert.deepEqual(packagesOf(request, before), [])
    assert.lengthOf(await refusalsFor(request), 2)
  })

  test('the package holds only the picked fields, decrypted under legal.obligation, encrypted and hashed', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const request = await approvedCase(fx)
    const before = packagesOf(request)
    const response = await client
      .post(`/api/v1/government-requests/${request.id}/disclosures`)
      .actingAs(fx.counsel)
      .withCsrfToken()
      .json({
        items: [
          {
            identifier: 0,
            merchantId: fx.merchant.id,
            categories: ['customer.identity.profile_name', 'customer.contact.phone'],
          },
        ],
      })
    response.assertStatus(201)
    const { jwe, deliveryKey, packageSha256, jweSha256 } = response.body().data
    assert.equal(sha256(jwe), jweSha256)

    const { plaintext } = await compactDecrypt(jwe, Buffer.from(deliveryKey, 'base64url'))
    const files = JSON.parse(new TextDecoder().decode(plaintext))
    const packageJson = Buffer.from(files['package.json'], 'base64').toString()
    assert.equal(sha256(packageJson), packageSha256)
    const pkg = JSON.parse(packageJson)
    assert.equal(pkg.purpose, 'legal.obligation')
    assert.lengthOf(pkg.subjects, 1)
    assert.deepEqual(pkg.subjects[0].fields, {
      'customer.contact.phone': [fx.customer.phone],
      'customer.identity.profile_name': ['Amira Hassan'],
    })
    assert.notInclude(packageJson, fx.customer.email!)
    assert.equal(
      Buffer.from(files['cover-letter.pdf'], 'base64').subarray(0, 5).toString(),
      '%PDF-'
    )

    // The record: which fields about which subjects went to whom, when, approved by whom
    const disclosure = await Disclosure.query().where('request_id', request.id).firstOrFail()
    const decision = await Decision.query()
      .where({ requestId: request.id, status: 'approved' })
      .firstOrFail()
    assert.equal(disclosure.recipient, request.authorityName)
    assert.equal(disclosure.preparedByUserId, fx.counsel.id)
    assert.equal(disclosure.approvedByUserId, fx.dpo.id)
    assert.equal(disclosure.decisionId, decision.id)
    assert.deepEqual(disclosure.categories, [
      'customer.contact.phone',
      'customer.identity.profile_name',
    ])
    assert.equal(disclosure.channel, 'api')
    assert.isTrue(disclosure.deliveredAt.diffNow('minutes').minutes > -5)
    const [item] = disclosure.disclosedItems
    assert.deepEqual(item.subjects, [fx.customer.id])
    assert.equal(item.fields['customer.contact.phone'], sha256(JSON.stringify([fx.customer.phone])))
    const raw = await Disclosure.query()
      .where('id', disclosure.id)
      .pojo<{ items: string }>()
      .firstOrFail()
    assert.match(raw.items, /^e1\./)
    const event = await AuditEvent.query()
      .where({ action: 'government_request.disclosed', targetId: String(request.id) })
      .firstOrFail()
    assert.equal(event.purpose, 'legal.obligation')
    assert.equal(event.meta.approvedBy, fx.dpo.id)
    assert.deepEqual(packagesOf(request, before), [disclosure.jwePath.split('/').pop()])
  })

  test('a category the data map does not allow for legal.obligation is refused by the purpose guard', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const request = await approvedCase(
      fx,
      { outcome: 'comply_full', reasons: 'Lawful, specific order from a competent court.' },
      { categories: ['customer.ai.intent'] }
    )
    const error = await refusalOf(fx, request, 'customer.ai.intent', {
      actor: fx.counsel,
      channel: 'console',
    })
    assert.equal(error.code, 'purpose_not_allowed')
    assert.equal(error.status, 403)
    // The purpose guard recorded its own denial
    const guard = await AuditEvent.query()
      .where({ action: 'conversations.guard.denied', merchantId: fx.merchant.id })
      .firstOrFail()
    assert.equal(guard.purpose, 'legal.obligation')
    assert.equal(guard.meta.reason, 'categories_not_covered')
    assert.lengthOf(await Disclosure.query().where('request_id', request.id), 0)
  })

  test('the console builds a package from the picked fields, and the command and job go through the same builder', async ({
    client,
    assert,
  }) => {
    const fx = await govFixture()
    const request = await approvedCase(fx)
    const page = await client.get(`/government-requests/${request.id}`).actingAs(fx.counsel)
    assert.include(page.text(), `value="0:${fx.merchant.id}:customer.contact.phone"`)
    assert.notInclude(page.text(), `value="0:${fx.merchant.id}:customer.contact.email"`)
    const built = await client
      .post(`/government-requests/${request.id}/disclosures`)
      .actingAs(fx.counsel)
      .withCsrfToken()
      .form({ 'fields[]': `0:${fx.merchant.id}:customer.contact.phone` })
      .redirects(0)
    built.assertStatus(302)
    assert.include(JSON.stringify(built.flashMessages()), 'content key')

    const paths = await tryEveryPath(
      client,
      fx,
      request,
      `0:${fx.merchant.id}:customer.identity.profile_name`
    )
    assert.equal(paths.command.exitCode, 0)
    assert.property(paths.job, 'disclosureId')
    const packages = await Disclosure.query().where('request_id', request.id).orderBy('id')
    const channels = packages.map((d) => d.channel)
    assert.deepEqual(channels, ['console', 'console', 'api', 'job', 'command'])
  })

  test('a preservation request places a legal hold over the scope until its expiry', async ({
    assert,
  }) => {
    const fx = await govFixture()
    const until = DateTime.utc().plus({ days: 60 }).startOf('day')
    const request = await approvedCase(
      fx,
      { outcome: 'comply_full', reasons: 'Preserve pending a judicial order.' },
      { instrumentType: 'preservation_request', preserveUntil: until.toJSDate() }
    )
    const holds = await legalHolds.activeHoldsFor(fx.merchant.id, fx.customer.id)
    assert.lengthOf(holds, 1)
    assert.equal(holds[0].scope, 'subject')
    assert.equal(holds[0].source, 'government_request')
    assert.equal(holds[0].sourceRef, request.reference)
    assert.equal(holds[0].expiresAt!.toISODate(), until.toISODate())
    assert.isTrue(await legalHolds.isHeld(fx.merchant.id, fx.customer.id))

    const missing = await register
      .intake(intakeInput(fx, { instrumentType: 'preservation_request' }), fx.counsel.id)
      .catch((e) => e)
    assert.equal(missing.details[0].field, 'preserveUntil')
  })
})
