import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import { DomainError } from '#core/errors'
import fieldCipher from '#keys/services/field_cipher'
import { encryptedColumnsOf, migratedEncryptedModels } from '#keys/encrypted_columns'
import reportService from '#reports/services/report_service'
import Report from '#reports/models/report'
import Customer from '#conversations/models/customer'
import legalHolds from '#dsr/services/legal_holds'
import DsrCase from '#dsr/models/dsr_case'
import { executeCase, exportPackage } from '#dsr/execution/execute_case'
import { locateSubject } from '#dsr/execution/locator'
import { createMerchant, staffUser } from '#tests/helpers/actors'
import { customerWithMessages, dsrCase } from '#tests/helpers/dsr_subjects'

const PHONE = '+201001234567'
const FRIEND = 'friend@example.com'

async function verifies(documentId: string) {
  const report = await Report.findByOrFail('documentId', documentId)
  const verdict = await reportService.verify(await reportService.read(report))
  return verdict.valid
}

function reportOf(result: Awaited<ReturnType<typeof executeCase>>, kind: string) {
  const artifact = result.artifacts.find((a) => a.kind === 'report' && a.reportKind === kind)
  return artifact && artifact.kind === 'report' ? artifact.documentId : null
}

test.group('DSR execution / executeCase', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('access: a package of every mapped table, others redacted, with a verifiable Art. 15 report', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { customer } = await customerWithMessages(merchant, { phone: PHONE }, [
      `Where is my order? Mail my friend at ${FRIEND}`,
      'Thanks',
    ])
    const found = await locateSubject(merchant.id, { phone: PHONE })
    assert.deepEqual(found.customers, [customer.id])
    assert.deepInclude(
      found.tables.map((t) => [t.table, t.rows]),
      ['messages', 2]
    )

    const kase = await dsrCase(merchant, 'access', { phone: PHONE })
    const result = await executeCase(kase)
    assert.equal(result.outcome, 'fulfilled')
    assert.equal(result.recordsFound, found.total)

    const pkg = await exportPackage(kase, { actor: { type: 'system' } })
    const document = JSON.parse(pkg.body.toString('utf8'))
    assert.equal(document.tables.customers[0].phone, PHONE)
    assert.lengthOf(document.tables.messages, 2)
    assert.include(document.tables.messages[0].body, '[EMAIL]')
    assert.notInclude(pkg.body.toString('utf8'), FRIEND)
    assert.notProperty(document.tables.customers[0], 'phone_bidx')

    const recorded = await db.from('dsr_cases').where('id', kase.id).first()
    assert.equal(recorded.outcome, 'fulfilled')
    assert.equal(recorded.records_found, found.total)
    assert.isTrue(await verifies(reportOf(result, 'dsr-access-report')!))
  })

  test('portability gives JSON and CSV; the customer reference finds the subject too', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { customer } = await customerWithMessages(merchant, { phone: PHONE }, ['hello'])
    const kase = await dsrCase(merchant, 'portability', { customer_ref: customer.reference })
    const result = await executeCase(kase)
    assert.equal(result.outcome, 'fulfilled')
    const csv = await exportPackage(kase, { format: 'csv' })
    assert.match(csv.contentType, /text\/csv/)
    assert.include(csv.body.toString('utf8'), 'table,row_id,column,value')
    assert.include(csv.body.toString('utf8'), 'messages,')
  })

  test('no data found is an outcome with its own report', async ({ assert }) => {
    const merchant = await createMerchant()
    const kase = await dsrCase(merchant, 'access', { email: 'nobody@example.test' })
    const result = await executeCase(kase)
    assert.equal(result.outcome, 'no_data')
    assert.equal(result.recordsFound, 0)
    const documentId = reportOf(result, 'dsr-access-report')!
    const report = await Report.findByOrFail('documentId', documentId)
    assert.equal(report.title, 'Access report: no data found')
    assert.isTrue(await verifies(documentId))
  })

  test('erasure: nothing anywhere opens or indexes the subject, and a new request finds nothing', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { customer, messages } = await customerWithMessages(
      merchant,
      { phone: PHONE, email: 'yara@example.test', displayName: 'Yara' },
      ['first', 'second', 'third']
    )
    const bystander = await customerWithMessages(merchant, { phone: '+201007654321' }, ['hi'])
    const copy = await db.from('messages').where('id', messages[0].id).select('body').first()
    // The AI-processing log (conv-flow's table) is found through the inventory like the rest
    await db.table('ai_processing_logs').insert({
      merchant_id: merchant.id,
      message_id: messages[0].id,
      customer_id: customer.id,
      purpose: 'service.ai_assistance',
      provider: 'local',
      model: 'intent-lr',
      outcome: 'ok',
      created_at: new Date(),
    })
    const found = await locateSubject(merchant.id, { phone: PHONE })
    assert.deepInclude(
      found.tables.map((t) => [t.table, t.rows]),
      ['ai_processing_logs', 1]
    )
    const kase = await dsrCase(merchant, 'erasure', { phone: PHONE, email: 'yara@example.test' })

    const result = await executeCase(kase)
    assert.equal(result.outcome, 'fulfilled')
    for (const table of ['customers', 'conversations', 'messages', 'ai_processing_logs']) {
      const left = await db
        .from(table)
        .where(table === 'customers' ? 'id' : 'customer_id', customer.id)
      assert.lengthOf(left, 0, table)
    }
    // Every sealed value of the merchant still stored opens, and none is the subject's
    for (const model of await migratedEncryptedModels()) {
      for (const spec of encryptedColumnsOf(model)) {
        if (!spec.subject) continue
        const rows = await db
          .from(model.table)
          .where(model.$getColumn(spec.subject.attribute)!.columnName, customer.id)
          .whereNotNull(spec.columnName)
        assert.lengthOf(rows, 0, `${model.table}.${spec.columnName}`)
      }
    }
    await assert.rejects(() =>
      fieldCipher.open(copy.body, {
        merchantId: merchant.id,
        subject: `customer:${customer.id}`,
        table: 'messages',
        column: 'body',
        row: String(messages[0].id),
      })
    )
    // The case is kept as evidence without the identifiers
    const kept = await db.from('dsr_cases').where('id', kase.id).first()
    assert.isNull(kept.subject_phone)
    assert.isNull(kept.subject_phone_bidx)
    assert.isNull(kept.subject_email_bidx)
    assert.equal(kept.outcome, 'fulfilled')
    const again = await locateSubject(merchant.id, { phone: PHONE, email: 'yara@example.test' })
    assert.equal(again.total, 0)
    assert.deepEqual(again.customers, [])
    const other = await Customer.findOrFail(bystander.customer.id)
    assert.equal(other.phone, '+201007654321')
    assert.isTrue(await verifies(reportOf(result, 'deletion-certificate')!))
  })

  test('erasure under a legal hold is refused with a visible reason and changes nothing', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { customer } = await customerWithMessages(merchant, { phone: PHONE }, ['keep me'])
    const counsel = await staffUser('legal_counsel')
    await legalHolds.place(
      {
        scope: 'subject',
        merchantId: merchant.id,
        customerId: customer.id,
        reason: 'Court order 12/2026',
        source: 'manual',
      },
      counsel.id
    )
    const kase = await dsrCase(merchant, 'erasure', { phone: PHONE })
    const error = await executeCase(kase).catch((e) => e)
    assert.instanceOf(error, DomainError)
    assert.equal(error.code, 'legal_hold')
    assert.lengthOf(await db.from('messages').where('customer_id', customer.id), 1)
    const stillReadable = await Customer.findOrFail(customer.id)
    assert.equal(stillReadable.phone, PHONE)
  })

  test('rectification sets the value and records keyed hashes of before and after', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const { customer } = await customerWithMessages(
      merchant,
      { phone: PHONE, displayName: 'Yra' },
      []
    )
    const kase = await dsrCase(
      merchant,
      'rectification',
      { phone: PHONE },
      { rectification: { display_name: 'Yara' } }
    )
    const result = await executeCase(kase)
    const fixed = await Customer.findOrFail(customer.id)
    assert.equal(fixed.displayName, 'Yara')
    const artifact = result.artifacts.find((a) => a.kind === 'rectification')
    assert.exists(artifact)
    if (artifact?.kind !== 'rectification') return
    assert.lengthOf(artifact.fields, 1)
    assert.match(artifact.fields[0].before!, /^[0-9a-f]{64}$/)
    assert.notEqual(artifact.fields[0].before, artifact.fields[0].after)
    const event = await db.from('audit_events').where('action', 'dsr.rectified').first()
    assert.notInclude(JSON.stringify(event.meta), 'Yara')
  })

  test('restriction and objection set the customer flags', async ({ assert }) => {
    const merchant = await createMerchant()
    const { customer } = await customerWithMessages(merchant, { phone: PHONE }, [])
    await executeCase(await dsrCase(merchant, 'restriction', { phone: PHONE }))
    await executeCase(await dsrCase(merchant, 'objection', { phone: PHONE }))
    const flagged = await Customer.findOrFail(customer.id)
    assert.isNotNull(flagged.restrictedAt)
    assert.isNotNull(flagged.objectedAt)
    const events = await db
      .from('audit_events')
      .whereIn('action', ['dsr.restricted', 'dsr.objected'])
      .where('target_type', 'customer')
      .where('target_id', String(customer.id))
      .orderBy('id')
    assert.deepEqual(
      events.map((e) => [e.action, e.merchant_id, typeof e.meta.caseReference]),
      [
        ['dsr.restricted', merchant.id, 'string'],
        ['dsr.objected', merchant.id, 'string'],
      ]
    )
  })

  test('another merchant’s case never reaches this merchant’s customer', async ({ assert }) => {
    const merchant = await createMerchant()
    const other = await createMerchant()
    const { customer } = await customerWithMessages(merchant, { phone: PHONE }, ['mine'])
    const result = await executeCase(await dsrCase(other, 'erasure', { phone: PHONE }))
    assert.equal(result.outcome, 'no_data')
    assert.lengthOf(await db.from('messages').where('customer_id', customer.id), 1)
    const stillThere = await DsrCase.query().where('merchant_id', merchant.id)
    assert.lengthOf(stillThere, 0)
  })
})
