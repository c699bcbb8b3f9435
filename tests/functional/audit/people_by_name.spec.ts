import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import AuditEvent from '#audit/models/audit_event'
import auditTrail from '#audit/services/audit_trail'
import reportService from '#reports/services/report_service'
import { requesterLabel } from '#reports/generated_by'
import { staffUser } from '#tests/helpers/actors'

/** A staff account with a recognisable name, acting as the person the pages should name. */
async function namedStaff(tag: string) {
  const user = await staffUser('privacy_analyst')
  user.fullName = `Named Person ${tag}`
  await user.save()
  return user
}

/** A report requested by `person`, as the generate job records it. */
function reportBy(person: { id: number }, kind: 'access-review' | 'ropa') {
  return reportService.generate({
    kind,
    generatedBy: requesterLabel({ kind: 'user', userId: person.id, tokenId: null }),
  })
}

async function namesRead(actorId: number, purpose: string) {
  return AuditEvent.query()
    .where('action', 'personal_data.read')
    .where('actor_type', 'user')
    .where('actor_id', String(actorId))
    .where('purpose', purpose)
}

test.group('People by name, for those who may read users', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('the audit trail names actors and targets, labels actions, shows details as pairs, and records the read', async ({
    client,
    assert,
  }) => {
    const tag = Date.now().toString(36)
    const person = await namedStaff(tag)
    const target = await namedStaff(`${tag}-target`)
    await auditTrail.record({
      action: 'role.assigned',
      actor: { type: 'user', id: String(person.id) },
      target: { type: 'user', id: target.id },
      meta: { role: 'dpo', domain: { kind: 'platform' }, scopes: ['a', 'b'], mfaRequired: true },
    })
    const auditor = await staffUser('auditor')
    const response = await client.get('/audit?action=role.assigned').actingAs(auditor)
    response.assertStatus(200)
    // Whitespace between tags is layout, not content
    const html = response.text().replace(/>\s+/g, '>').replace(/\s+</g, '<')
    assert.include(html, `<span data-actor-name>Named Person ${tag}</span>`)
    assert.include(html, `Named Person ${tag}-target`)
    assert.include(html, `user #${person.id}`, 'the account number stays as secondary text')
    assert.include(html, 'Role assigned')
    assert.include(html, '<code class="muted">role.assigned</code>')
    assert.include(html, '<dt>Role</dt><dd>dpo</dd>')
    assert.include(html, '<dt>Domain</dt><dd>Kind: platform</dd>')
    assert.include(html, '<dt>Scopes</dt><dd>a, b</dd>')
    assert.include(html, '<dt>Mfa required</dt><dd>yes</dd>')
    assert.notInclude(html, '{&quot;', 'no JSON dump')
    assert.notInclude(html, '[object Object]')

    const reads = await namesRead(auditor.id, 'audit_review')
    assert.lengthOf(reads, 1, 'opening the names is recorded once, with its purpose')
    assert.equal(reads[0].meta.subject, 'users')
  })

  test('the reports list names the requester; the signed manifest keeps the account number', async ({
    client,
    assert,
  }) => {
    const tag = Date.now().toString(36)
    const person = await namedStaff(tag)
    const report = await reportBy(person, 'access-review')
    assert.equal(report.manifest.generatedBy, `user #${person.id}`)
    const auditor = await staffUser('auditor')
    const response = await client.get('/reports?kind=access-review').actingAs(auditor)
    response.assertStatus(200)
    assert.include(response.text(), `<span data-requester-name>Named Person ${tag}</span>`)
    assert.lengthOf(await namesRead(auditor.id, 'report_review'), 1)
  })

  test('the verify page names the requester only to those who may read users', async ({
    client,
    assert,
  }) => {
    const tag = Date.now().toString(36)
    const person = await namedStaff(tag)
    const report = await reportBy(person, 'ropa')
    const bytes = await reportService.read(report)
    const upload = (user: Awaited<ReturnType<typeof staffUser>>) =>
      client
        .post('/reports/verify')
        .actingAs(user)
        .withCsrfToken()
        .file('report', bytes, { filename: 'ropa.pdf', contentType: 'application/pdf' })

    const dpo = await staffUser('dpo')
    const named = await upload(dpo)
    named.assertStatus(200)
    assert.include(named.text(), `<span data-requester-name>Named Person ${tag}</span>`)
    assert.lengthOf(await namesRead(dpo.id, 'report_review'), 1)

    // Legal counsel may see the RoPA but not read users: the account number only, nothing opened
    const counsel = await staffUser('legal_counsel')
    const numbered = await upload(counsel)
    numbered.assertStatus(200)
    assert.include(numbered.text(), report.documentId)
    assert.include(numbered.text(), `user #${person.id}`)
    assert.notInclude(numbered.text(), `Named Person ${tag}`)
    assert.lengthOf(await namesRead(counsel.id, 'report_review'), 0)
  })
})
