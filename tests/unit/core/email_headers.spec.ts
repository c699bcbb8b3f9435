import { test } from '@japa/runner'
import { headerValue } from '#core/email_headers'

test.group('E-mail header values', () => {
  test('CR, LF and other control characters cannot start a new header', ({ assert }) => {
    const value = headerValue('Acme\r\nBcc: thief@example.com\n\nbody\u0000\t end')
    assert.notMatch(value, /[\r\n\t]/)
    assert.notInclude(value, '\u0000')
    assert.equal(value, 'Acme Bcc: thief@example.com body end')
  })

  test('ordinary text, Arabic included, is kept as it is', ({ assert }) => {
    assert.equal(
      headerValue('[Conversera] Subprocessor addition: شركة النيل'),
      '[Conversera] Subprocessor addition: شركة النيل'
    )
  })
})
