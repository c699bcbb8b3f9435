import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import db from '@adonisjs/lucid/services/db'
import auditAggregates from '#audit/services/audit_aggregates'
import { CHAIN_LOCK } from '#audit/services/audit_trail'
import { jobRegistry } from '#start/jobs'
import { ConsoleSession } from '#tests/helpers/console_session'
import { createMerchant, merchantUser, staffUser } from '#tests/helpers/actors'
import { resetRateLimits } from '#tests/helpers/rate_limits'

async function events(action: string, actorId: number | string) {
  return db
    .from('audit_events')
    .where('action', action)
    .where('actor_id', String(actorId))
    .orderBy('id')
}

const WINDOW = auditAggregates.options.windowMs
/* A fixed instant inside one window, so no test straddles a window boundary */
const NOW = Math.floor(Date.now() / WINDOW) * WINDOW + 1_000

test.group('Aggregated audit of repeated failures', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetRateLimits()
    auditAggregates.now = () => NOW
    return () => {
      auditAggregates.now = Date.now
    }
  })

  test('a client hammering a forbidden route adds one event per window, and the summary counts the rest', async ({
    client,
    assert,
  }) => {
    const dpo = await staffUser('dpo')
    for (let i = 0; i < 25; i++) {
      const response = await client
        .post('/api/v1/audit/verify')
        .actingAs(dpo)
        .withCsrfToken()
        .accept('json')
      response.assertStatus(403)
    }
    const immediate = await events('access.denied', dpo.id)
    assert.lengthOf(immediate, 1)
    assert.deepInclude(immediate[0].meta, { permission: 'audit:verify', firstInWindow: true })

    // The window is still open: nothing to summarise yet
    await auditAggregates.flush(NOW)
    assert.lengthOf(await events('access.denied', dpo.id), 1)

    assert.isAtLeast(await auditAggregates.flush(NOW + 2 * WINDOW), 1)
    const [, summary] = await events('access.denied', dpo.id)
    assert.equal(summary.outcome, 'denied')
    assert.deepInclude(summary.meta, { permission: 'audit:verify', repeats: 24 })
    assert.equal(
      summary.meta.window.from,
      new Date(Math.floor(NOW / WINDOW) * WINDOW).toISOString()
    )
    // Flushed once only
    await auditAggregates.flush(NOW + 2 * WINDOW)
    assert.lengthOf(await events('access.denied', dpo.id), 2)
  })

  test('repeated denials never wait for the audit chain lock', async ({ client, assert }) => {
    const dpo = await staffUser('dpo')
    const first = await client
      .post('/api/v1/audit/verify')
      .actingAs(dpo)
      .withCsrfToken()
      .accept('json')
    first.assertStatus(403)
    // Another writer holds the chain: a denial that appended would block here until it let go
    const holder = await db.transaction()
    try {
      await holder.rawQuery('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK])
      for (let i = 0; i < 5; i++) {
        const response = await client
          .post('/api/v1/audit/verify')
          .actingAs(dpo)
          .withCsrfToken()
          .accept('json')
        response.assertStatus(403)
      }
    } finally {
      await holder.rollback()
    }
    assert.lengthOf(await events('access.denied', dpo.id), 1)
  })

  test('failed logins for one account are recorded once per window and summarised', async ({
    client,
    assert,
  }) => {
    const user = await merchantUser(await createMerchant(), 'merchant_agent')
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await new ConsoleSession(client).post('/login', {
        email: user.email,
        password: `wrong-${attempt}`,
      })
      response.assertStatus(302)
    }
    assert.lengthOf(await events('auth.login_failed', user.id), 1)
    await auditAggregates.flush(NOW + 2 * WINDOW)
    const [, summary] = await events('auth.login_failed', user.id)
    assert.deepInclude(summary.meta, { reason: 'bad_password', repeats: 3 })
  })

  test('a spray of distinct principals in one tenant is capped and the rest counted together', async ({
    assert,
  }) => {
    const merchant = await createMerchant()
    const cap = auditAggregates.options.distinctPerTenant
    for (let principal = 1; principal <= cap + 10; principal++) {
      await auditAggregates.note(
        {
          action: 'test.denied',
          outcome: 'denied',
          actor: { type: 'user', id: 800_000 + principal },
          merchantId: merchant.id,
          meta: { route: 'x' },
        },
        ['x']
      )
    }
    const rows = () =>
      db.from('audit_events').where('action', 'test.denied').where('merchant_id', merchant.id)
    const immediate = await rows()
    assert.lengthOf(immediate, cap + 1)
    assert.lengthOf(
      immediate.filter((row) => row.meta.overflow),
      1
    )
    await auditAggregates.flush(NOW + 2 * WINDOW)
    const after = await rows()
    const summaries = after.filter((row) => row.meta.repeats)
    assert.lengthOf(summaries, 1)
    assert.deepInclude(summaries[0].meta, { overflow: true, repeats: 9 })
  })

  test('the worker flushes the summaries every minute', async ({ assert }) => {
    assert.equal(jobRegistry['audit.flush_aggregates'].every, '* * * * *')
  })
})
