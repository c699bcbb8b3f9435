import { test } from '@japa/runner'
import vine from '@vinejs/vine'
import { apiErrorOf } from '#core/api_error'
import { DomainError, FieldInvalid, NotFound } from '#core/errors'

test.group('API error shape', () => {
  test('a domain error keeps its code, message and details', ({ assert }) => {
    const { status, body } = apiErrorOf(
      new FieldInvalid('retention_days', 'Retention must be at least one day.')
    )
    assert.equal(status, 422)
    assert.deepEqual(body.error, {
      code: 'validation_failed',
      message: 'Retention must be at least one day.',
      details: [
        {
          field: 'retention_days',
          rule: 'invalid',
          message: 'Retention must be at least one day.',
        },
      ],
    })
  })

  test('VineJS failures become validation_failed with one detail per field', async ({ assert }) => {
    const validator = vine.compile(vine.object({ email: vine.string().email() }))
    const error = await validator.validate({ email: 'nope' }).catch((e) => e)
    const { status, body } = apiErrorOf(error)
    assert.equal(status, 422)
    assert.equal(body.error.code, 'validation_failed')
    assert.equal((body.error.details[0] as { field: string }).field, 'email')
  })

  test('unexpected errors hide their message and stack', ({ assert }) => {
    const { status, body } = apiErrorOf(
      new Error('connection to 10.0.0.5 refused; password=hunter2')
    )
    assert.equal(status, 500)
    assert.equal(body.error.code, 'internal_error')
    assert.notInclude(JSON.stringify(body), 'hunter2')
  })

  test('not-found and malformed JSON map to stable codes', ({ assert }) => {
    assert.equal(apiErrorOf(new NotFound('case')).body.error.code, 'not_found')
    const syntax = Object.assign(new SyntaxError('Unexpected token b in JSON'), { status: 400 })
    assert.deepEqual(apiErrorOf(syntax).body.error, {
      code: 'bad_request',
      message: 'The request body is not valid JSON.',
      details: [],
    })
    assert.equal(
      apiErrorOf(new DomainError('legal_hold_active', 'On hold', { status: 409 })).status,
      409
    )
  })
})

test.group('API error shape for dependencies', () => {
  test('a 503 domain error keeps its own code and message', async ({ assert }) => {
    const { ServiceUnavailable } = await import('#core/errors')
    const { status, body } = apiErrorOf(
      new ServiceUnavailable(
        'kms_unavailable',
        'The key service is unreachable; nothing was stored.'
      )
    )
    assert.equal(status, 503)
    assert.equal(body.error.code, 'kms_unavailable')
    assert.equal(body.error.message, 'The key service is unreachable; nothing was stored.')
  })
})
