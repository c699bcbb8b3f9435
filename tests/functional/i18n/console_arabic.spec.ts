import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { staffUser } from '#tests/helpers/actors'

/* The staff console goes through the same translation layer as the portal. */
test.group('Staff console in Arabic', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('a DPO who chose Arabic reads the console pages in Arabic, right to left', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    const pages: Array<[string, string]> = [
      ['/keys', '<h1>جرد المفاتيح</h1>'],
      ['/audit', '<h1>سجل التدقيق</h1>'],
      ['/reports', '<h1>التقارير</h1>'],
      ['/data-map/activities', 'أنشطة المعالجة'],
      ['/vendors/subprocessors', 'سجل المعالجين الفرعيين'],
    ]
    for (const [url, arabic] of pages) {
      const page = await client.get(url).withPlainCookie('locale', 'ar').actingAs(dpo)
      page.assertStatus(200)
      assert.match(page.text(), /<html lang="ar" dir="rtl">/, url)
      assert.include(page.text(), arabic, url)
      assert.notInclude(page.text(), 'translation missing', url)
    }
  })

  test('a message a controller sets comes back in the reader’s language', async ({
    client,
    assert,
  }) => {
    const admin = await staffUser('admin')
    const other = await staffUser('auditor')
    const response = await client
      .post(`/users/${other.id}/disable`)
      .withCsrfToken()
      .withPlainCookie('locale', 'ar')
      .actingAs(admin)
      .redirects(0)
    response.assertStatus(302)
    assert.match(
      String(response.flashMessages().success),
      /^تم تعطيل المستخدم .+ ولم يعد بإمكانه تسجيل الدخول\.$/
    )
  })
})
