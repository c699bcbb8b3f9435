import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { runJob } from '#core/queue'
import OutboundEmail from '#vendors/models/outbound_email'
import { createMerchant, merchantUser } from '#tests/helpers/actors'
import { publishedSubprocessor } from '#tests/helpers/vendors'

test.group('vendors / outbound e-mail headers', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a subprocessor name with CR/LF cannot add headers to the notice e-mail', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    await merchantUser(merchant, 'merchant_admin')
    // Straight into the register: the form trims, but a seed or an import might not
    const { notice } = await publishedSubprocessor({ name: 'Acme\r\nBcc: thief@example.com' })
    await runJob('vendors.send_change_notice_emails', { noticeId: notice.id })
    const email = await OutboundEmail.query()
      .where({ source_id: String(notice.id), merchant_id: merchant.id })
      .firstOrFail()
    assert.notMatch(email.subject, /[\r\n]/)
    assert.include(email.subject, 'Acme Bcc: thief@example.com')
  })
})
