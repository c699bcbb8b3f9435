import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { createMerchant, merchantUser, TEST_PASSWORD } from '#tests/helpers/actors'
import { resetRateLimits } from '#tests/helpers/rate_limits'
import { publishedSubprocessor } from '#tests/helpers/vendors'

test.group('Interface language', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(() => resetRateLimits())

  test('the sign-in page follows Accept-Language: Arabic right to left, English left to right', async ({
    client,
    assert,
  }) => {
    const arabic = await client.get('/login').header('accept-language', 'ar-EG,ar;q=0.9,en;q=0.5')
    arabic.assertStatus(200)
    arabic.assertHeader('content-language', 'ar')
    assert.match(arabic.text(), /<html lang="ar" dir="rtl">/)
    assert.include(arabic.text(), '<h1 id="login-title">تسجيل الدخول</h1>')
    assert.include(arabic.text(), '<label for="password">كلمة المرور</label>')
    assert.notInclude(arabic.text(), 'translation missing')

    const english = await client.get('/login').header('accept-language', 'fr-FR,en;q=0.5')
    assert.match(english.text(), /<html lang="en" dir="ltr">/)
    assert.include(english.text(), '<h1 id="login-title">Sign in</h1>')
  })

  test("the visitor's choice in the switcher wins over Accept-Language", async ({
    client,
    assert,
  }) => {
    const chosen = await client
      .post('/locale')
      .withCsrfToken()
      .form({ locale: 'ar' })
      .header('referer', '/subprocessors')
      .redirects(0)
    chosen.assertStatus(302)
    chosen.assertHeader('location', '/subprocessors')
    assert.equal(chosen.cookie('locale')?.value, 'ar')

    const page = await client
      .get('/subprocessors')
      .withPlainCookie('locale', 'ar')
      .header('accept-language', 'en')
    assert.match(page.text(), /<html lang="ar" dir="rtl">/)
    // The switcher offers the other language, named in its own script
    assert.include(page.text(), 'lang="en" class="link">English</button>')
  })

  test('an unsupported language in the switcher is refused', async ({ client }) => {
    const response = await client
      .post('/locale')
      .withCsrfToken()
      .form({ locale: 'xx' })
      .accept('json')
    response.assertStatus(422)
  })

  test('validation and sign-in errors come back in Arabic next to the fields', async ({
    client,
    assert,
  }) => {
    const empty = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: 'not-an-address', password: '' })
      .header('accept-language', 'ar')
      .redirects(0)
    empty.assertStatus(302)
    const errors = empty.flashMessages().errors as Record<string, string[]>
    assert.deepEqual(errors.email, ['أدخل بريدًا إلكترونيًا صالحًا، مثل name@example.com.'])
    assert.deepEqual(errors.password, ['أدخل كلمة المرور.'])

    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    const wrong = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: user.email, password: `${TEST_PASSWORD}-wrong` })
      .header('accept-language', 'ar')
      .redirects(0)
    wrong.assertFlashMessage('loginError', 'البريد الإلكتروني أو كلمة المرور غير صحيحة.')
  })

  test('English keeps each validator its own messages', async ({ client, assert }) => {
    const empty = await client
      .post('/login')
      .withCsrfToken()
      .form({ email: 'not-an-address', password: 'x' })
      .header('accept-language', 'en')
      .redirects(0)
    const errors = empty.flashMessages().errors as Record<string, string[]>
    // The app-wide English provider (#core/validation_messages), in the form's words
    assert.deepEqual(errors.email, ['Enter a valid e-mail address, like name@example.com.'])
  })

  test('the merchant portal reads in Arabic: notices, Cairo dates in Arabic digits, objection errors', async ({
    client,
    assert,
  }) => {
    const admin = await merchantUser(await createMerchant(), 'merchant_admin')
    const { subprocessor, notice } = await publishedSubprocessor()

    const page = await client
      .get('/portal/subprocessors')
      .actingAs(admin)
      .header('accept-language', 'ar')
    page.assertStatus(200)
    const html = page.text()
    assert.match(html, /<html lang="ar" dir="rtl">/)
    assert.include(html, 'جديد منذ زيارتك الأخيرة (١)')
    assert.include(html, `<h3>جديد: ${subprocessor.name}</h3>`)
    assert.include(html, 'سبب الاعتراض')
    // Published at, in Cairo time, with Arabic-Indic digits
    const cairo = new Intl.DateTimeFormat('ar-EG', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Africa/Cairo',
    }).format(notice.publishedAt.toJSDate())
    assert.include(html, `نُشر في ${cairo}`)
    assert.match(cairo, /[٠-٩]/)

    const refused = await client
      .post(`/portal/subprocessors/${subprocessor.id}/objections`)
      .actingAs(admin)
      .withCsrfToken()
      .header('accept-language', 'ar')
      .form({ reason: 'short' })
      .redirects(0)
    refused.assertStatus(302)
    const errors = refused.flashMessages().errors as Record<string, string[]>
    assert.deepEqual(errors.reason, ['يجب أن يحتوي سبب الاعتراض على ١٠ حرفًا على الأقل.'])
  })

  test('the public subprocessor page reads in Arabic, with country names in Arabic', async ({
    client,
    assert,
  }) => {
    const { subprocessor } = await publishedSubprocessor()
    const page = await client.get('/subprocessors').header('accept-language', 'ar')
    page.assertStatus(200)
    assert.include(page.text(), '<h1>المعالجون الفرعيون لدى Conversera</h1>')
    assert.include(page.text(), subprocessor.name)
    const countries = new Intl.ListFormat('ar-EG', { style: 'short', type: 'unit' }).format(
      subprocessor.processingCountries.map(
        (code) => new Intl.DisplayNames(['ar-EG'], { type: 'region' }).of(code)!
      )
    )
    assert.include(page.text(), `<td>${countries}</td>`)
  })
})
