import { test } from '@japa/runner'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { REDACTED_LOG_PATHS } from '#core/log_redaction'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const logger = pino({ redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, stream)
  return { logger, lines }
}

test.group('Log redaction', () => {
  test('personal-data fields never reach the log line', ({ assert }) => {
    const { logger, lines } = capture()
    logger.info(
      {
        email: 'amira@example.com',
        phone: '+201001234567',
        customer: { name: 'Amira Hassan', wa_id: '201001234567' },
        request: { headers: { authorization: 'Bearer secret-token', cookie: 'hub-session=abc' } },
        merchantId: 7,
      },
      'handled'
    )
    const line = lines.join('')
    for (const secret of [
      'amira@example.com',
      '+201001234567',
      'Amira Hassan',
      '201001234567',
      'secret-token',
      'hub-session=abc',
    ]) {
      assert.notInclude(line, secret)
    }
    assert.include(line, '"merchantId":7')
    assert.include(line, '[redacted]')
  })
})
