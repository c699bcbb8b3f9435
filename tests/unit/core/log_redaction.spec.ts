import { test } from '@japa/runner'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { redactLogFields } from '#core/log_redaction'
import loggerConfig from '#config/logger'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const logger = pino({ name: 'privacy-hub', formatters: { log: redactLogFields } }, stream)
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
    assert.include(line, '"name":"privacy-hub"')
    assert.include(line, '[redacted]')
  })

  test('names, reasons, notes and forwarded addresses are redacted at any depth', ({ assert }) => {
    const { logger, lines } = capture()
    logger.warn(
      {
        fullName: 'Amira Hassan',
        merchant: { legal_name: 'Nile Fashion LLC', contact: { profileName: 'amira.h' } },
        objection: { reason: 'My client Omar Said objects', notes: ['Call Omar Said'] },
        deep: { a: { b: { c: { d: { resolutionNotes: 'Omar Said agreed' } } } } },
        headers: { 'x-forwarded-for': '198.51.100.7, 10.0.0.1', 'forwarded': 'for=198.51.100.7' },
        remoteAddress: '198.51.100.7',
        list: [{ display_name: 'Omar' }],
        status: 'resolved',
      },
      'objection resolved'
    )
    const line = lines.join('')
    for (const secret of ['Amira', 'Nile Fashion', 'amira.h', 'Omar', '198.51.100.7']) {
      assert.notInclude(line, secret)
    }
    assert.include(line, '"status":"resolved"')
    assert.include(line, 'objection resolved')
  })

  test('the application logger is configured with it', ({ assert }) => {
    const app = loggerConfig.loggers.app as { formatters?: { log?: unknown } }
    assert.strictEqual(app.formatters?.log, redactLogFields)
  })
})
