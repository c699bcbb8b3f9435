import { test } from '@japa/runner'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import testUtils from '@adonisjs/core/services/test_utils'
import { compactVerify, importJWK } from 'jose'
import dsrConfig from '#config/dsr'
import { runJob, queueNamed } from '#core/queue'
import reportSigner from '#reports/services/report_signer'
import { createMerchant } from '#tests/helpers/actors'
import DsrCallbackDelivery from '#dsr/models/dsr_callback_delivery'
import intake from '#dsr/services/intake'
import workflow from '#dsr/services/workflow'
import callbacks, { assertCallbackUrl, isForbiddenAddress } from '#dsr/services/callbacks'
import { today } from '#dsr/services/deadlines'

/* A merchant's callback receiver on loopback: answers with the queued statuses, records bodies. */
async function receiver(statuses: number[]) {
  const received: { body: string; headers: IncomingMessage['headers'] }[] = []
  const server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({ body, headers: request.headers })
      response.statusCode = statuses.shift() ?? 200
      response.end('ok')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/dsr`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function withPrivateCallbacks<T>(allowed: boolean, work: () => Promise<T>) {
  const previous = dsrConfig.callbacks.allowPrivate
  dsrConfig.callbacks.allowPrivate = allowed
  try {
    return await work()
  } finally {
    dsrConfig.callbacks.allowPrivate = previous
  }
}

test.group('dsr / merchant callbacks', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())

  test('every status change is POSTed as a signed event; a failure is retried with backoff and logged', async ({
    assert,
  }) => {
    const hook = await receiver([500])
    try {
      await withPrivateCallbacks(true, async () => {
        const merchant = await createMerchant()
        await callbacks.setEndpoint(merchant.id, hook.url, null)
        const { dsrCase } = await intake.submit(
          {
            type: 'access',
            subject: { email: 'cb@example.com' },
            receivedAt: today('EG').toJSDate(),
            identityVerified: true,
          },
          { merchant, source: 'api' }
        )
        await workflow.refuse(dsrCase, 'no_match')

        const deliveries = await DsrCallbackDelivery.query()
          .where('dsr_case_id', dsrCase.id)
          .orderBy('id')
        assert.deepEqual(
          deliveries.map((d) => d.caseStatus),
          ['received', 'refused']
        )
        const jobs = await queueNamed('dsr').getJobs(['waiting', 'delayed'])
        const queued = jobs.find((j) => j.data.deliveryId === deliveries[0].id)
        assert.exists(queued, 'delivery is a queued job holding only the delivery id')
        assert.deepEqual(queued!.data, { deliveryId: deliveries[0].id })
        assert.equal(queued!.opts.attempts, dsrConfig.callbacks.attempts)
        assert.deepEqual(queued!.opts.backoff, {
          type: 'exponential',
          delay: dsrConfig.callbacks.backoffMs,
        })

        // First attempt: the receiver answers 500 → logged, retried (the job throws)
        await assert.rejects(() =>
          runJob('dsr.deliver_callback', { deliveryId: deliveries[0].id }, { attempt: 1 })
        )
        const first = await DsrCallbackDelivery.findOrFail(deliveries[0].id)
        assert.equal(first.state, 'pending')
        assert.equal(first.lastStatusCode, 500)
        assert.equal(first.lastError, 'http_500')
        assert.isNotNull(first.nextAttemptAt)

        // Second attempt succeeds
        assert.deepEqual(
          await runJob('dsr.deliver_callback', { deliveryId: deliveries[0].id }, { attempt: 2 }),
          { delivered: true }
        )
        const second = await DsrCallbackDelivery.findOrFail(deliveries[0].id)
        assert.equal(second.state, 'delivered')
        assert.equal(second.attempts, 2)

        await runJob('dsr.deliver_callback', { deliveryId: deliveries[1].id }, { attempt: 1 })
        assert.lengthOf(hook.received, 3)
        const key = await importJWK(await reportSigner.publicJwk(), 'ES256')
        const last = hook.received[2]
        assert.equal(last.headers['content-type'], 'application/jose')
        const { payload, protectedHeader } = await compactVerify(last.body, key)
        assert.equal(protectedHeader.typ, 'dsr-event+jws')
        const event = JSON.parse(new TextDecoder().decode(payload))
        assert.equal(event.type, 'dsr.case.status_changed')
        assert.deepInclude(event.case, {
          reference: dsrCase.reference,
          status: 'refused',
          refusal_code: 'no_match',
        })
        assert.deepEqual(
          event.artifacts.map((a: { kind: string }) => a.kind),
          ['report']
        )
        assert.equal(last.headers['x-conversera-event-id'], event.event_id)
        assert.notInclude(last.body, 'cb@example.com')
      })
    } finally {
      await hook.close()
    }
  })

  test('callback URLs must be https and public unless the development setting allows otherwise', async ({
    assert,
  }) => {
    await withPrivateCallbacks(false, async () => {
      const merchant = await createMerchant()
      for (const url of [
        'http://example.com/hook',
        'https://127.0.0.1/hook',
        'https://localhost:8443/hook',
        'https://10.1.2.3/hook',
        'https://192.168.0.10/hook',
        'https://169.254.169.254/latest/meta-data',
        'https://[::1]/hook',
        'https://[::ffff:127.0.0.1]/hook',
        'https://user:pass@93.184.216.34/hook',
      ]) {
        const error = await callbacks.setEndpoint(merchant.id, url, null).catch((e) => e)
        assert.equal(error.code, 'validation_failed', url)
      }
      assert.isNull(await callbacks.endpointOf(merchant.id))
      // A public address literal passes the check (no connection is made)
      const ok = await assertCallbackUrl('https://93.184.216.34/hook')
      assert.equal(ok.hostname, '93.184.216.34')
    })
    assert.isTrue(isForbiddenAddress('172.20.0.5'))
    assert.isTrue(isForbiddenAddress('fd00::1'))
    assert.isFalse(isForbiddenAddress('8.8.8.8'))
  })

  test('a delivery to an address refused at send time fails at once without retries', async ({
    assert,
  }) => {
    const hook = await receiver([])
    try {
      const merchant = await createMerchant()
      const delivery = await withPrivateCallbacks(true, async () => {
        await callbacks.setEndpoint(merchant.id, hook.url, null)
        const { dsrCase } = await intake.submit(
          {
            type: 'erasure',
            subject: { email: 'late-private@example.com' },
            receivedAt: today('EG').toJSDate(),
            identityVerified: true,
          },
          { merchant, source: 'api' }
        )
        return DsrCallbackDelivery.query().where('dsr_case_id', dsrCase.id).firstOrFail()
      })
      await withPrivateCallbacks(false, async () => {
        assert.deepEqual(
          await runJob('dsr.deliver_callback', { deliveryId: delivery.id }, { attempt: 1 }),
          { delivered: false }
        )
      })
      await delivery.refresh()
      assert.equal(delivery.state, 'failed')
      assert.equal(delivery.lastError, 'refused_https')
      assert.lengthOf(hook.received, 0, 'nothing reached the private receiver')
    } finally {
      await hook.close()
    }
  })
})
