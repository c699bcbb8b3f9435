import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/*
 * The baseline: a bare node:http server doing what the webhook must do at minimum (read the
 * body up to 1 MiB, HMAC-SHA256 over the raw bytes compared in constant time, one INSERT … ON
 * CONFLICT DO NOTHING), as its own process like the app.
 */
const BASELINE_SERVER = `
import http from 'node:http'
import { createHmac, timingSafeEqual } from 'node:crypto'
import pg from 'pg'
const env = process.env
const pool = new pg.Pool({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USER,
  password: env.DB_PASSWORD || undefined, database: env.DB_DATABASE, max: 10 })
const secret = env.BENCH_SECRET
const table = env.BENCH_TABLE
http.createServer((req, res) => {
  const chunks = []
  let size = 0
  req.on('data', (chunk) => {
    size += chunk.length
    if (size > 1048576) { res.writeHead(413).end(); req.destroy() } else chunks.push(chunk)
  })
  req.on('end', async () => {
    const raw = Buffer.concat(chunks)
    const given = Buffer.from(String(req.headers['x-hub-signature-256'] ?? '').replace(/^sha256=/, ''), 'hex')
    const expected = createHmac('sha256', secret).update(raw).digest()
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.writeHead(403).end()
    const body = JSON.parse(raw.toString('utf8'))
    const id = body.entry[0].changes[0].value.messages[0].id
    await pool.query('INSERT INTO ' + table + ' (dedupe_key, payload) VALUES ($1, $2) ON CONFLICT (dedupe_key) DO NOTHING', [id, raw.toString('utf8')])
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":1}')
  })
}).listen(Number(env.PORT), '127.0.0.1', () => process.stdout.write('ready\\n'))
`

interface LoadResult {
  cpuMsPerRequest: number | null
  requests: number
  errors: number
  rps: number
  p50: number
  p99: number
}

function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits

/**
 * `npm run bench:webhooks`: signed WhatsApp deliveries against the real app (a spawned web
 * process) → ack_rps, ack_p50_ms, ack_p99_ms; the same load against the bare baseline →
 * baseline_rps and ack_ratio; then messages through a spawned worker end to end → e2e_msgs_s
 * (stored, routed, customer + conversation + sealed message, then the reply step: guard,
 * classification, reply queued in the outbox). Prints one JSON object. Uses a scratch merchant, channel
 * and table, removed afterwards.
 */
export default class BenchWebhooks extends BaseCommand {
  static commandName = 'bench:webhooks'
  static description =
    'Measure the Meta webhook (ack rate and latency vs a bare node:http baseline) and end-to-end processing; prints one JSON object'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Seconds of load per server (in one-second slices)', default: 6 })
  declare seconds: number

  @flags.number({ description: 'Requests in flight at once', default: 16 })
  declare concurrency: number

  @flags.number({ description: 'Messages for the end-to-end measurement', default: 300 })
  declare messages: number

  async run() {
    const { spawn } = await import('node:child_process')
    const { readFileSync } = await import('node:fs')
    const { createServer } = await import('node:net')
    const http = await import('node:http')
    const { randomBytes } = await import('node:crypto')
    const { default: app } = await import('@adonisjs/core/services/app')
    const { default: db } = await import('@adonisjs/lucid/services/db')
    // The database only: the spawned web and worker processes use the configured keys
    const { prepareBenchDatabase } = await import('#keys/bench_setup')
    const { queueNamed } = await import('#core/queue')
    const { jobRegistry } = await import('#start/jobs')
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { connectChannel } = await import('#conversations/channels/connect_channel')
    const { signatureOf } = await import('#conversations/webhooks/signature')
    const { RESPOND_JOB, respondJobId } = await import('#conversations/processing/inbound_hook')

    await prepareBenchDatabase()

    const freePort = async () => {
      const probe = createServer()
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
      const address = probe.address() as { port: number }
      await new Promise((resolve) => probe.close(resolve))
      return address.port
    }
    const secret = randomBytes(24).toString('hex')
    const tag = `${Date.now().toString(36)}${process.pid}`
    const digits = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        i === 0 ? (1 + Math.random() * 9) | 0 : (Math.random() * 10) | 0
      ).join('')
    const ackNumber = digits(15)
    const e2eNumber = digits(15)
    const table = `bench_webhook_baseline_${process.pid}`

    /** A WhatsApp text delivery as Meta sends it (escaped Arabic included), signed. */
    let sequence = 0
    const delivery = (phoneNumberId: string, customers: number) => {
      sequence += 1
      const from = `2010${String(sequence % customers).padStart(8, '0')}`
      const body =
        `{"object":"whatsapp_business_account","entry":[{"id":"1029384756","changes":[{"field":"messages","value":` +
        `{"messaging_product":"whatsapp","metadata":{"display_phone_number":"201000000000","phone_number_id":"${phoneNumberId}"},` +
        `"contacts":[{"profile":{"name":"Bench Customer"},"wa_id":"${from}"}],"messages":[{"from":"${from}",` +
        `"id":"wamid.BENCH${tag}${sequence}","timestamp":"${Math.floor(Date.now() / 1000)}","type":"text",` +
        `"text":{"body":"\\u0639\\u0627\\u064a\\u0632 \\u0627\\u0637\\u0644\\u0628 2 \\u0642\\u0645\\u064a\\u0635, how much is delivery to Giza?"}}]}}]}]}`
      return { body, signature: signatureOf(secret, body) }
    }

    const start = (args: string[], extraEnv: Record<string, string>, ready: string | null) => {
      const child = spawn(process.execPath, args, {
        cwd: app.appRoot.pathname,
        env: { ...process.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let output = ''
      // Kept short: the web process logs a line per request
      const keep = (chunk: Buffer) => {
        if (output.length < 10_000) output += chunk
      }
      child.stdout!.on('data', keep)
      child.stderr!.on('data', keep)
      return {
        child,
        output: () => output,
        stop: async () => {
          if (child.exitCode !== null) return
          const exited = new Promise((resolve) => child.once('exit', resolve))
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
          await exited
          clearTimeout(timer)
        },
        ready,
      }
    }

    const agent = new http.Agent({ keepAlive: true, maxSockets: this.concurrency })
    const post = (port: number, item: { body: string; signature: string }) =>
      new Promise<number>((resolve, reject) => {
        const request = http.request(
          {
            host: '127.0.0.1',
            port,
            path: '/webhooks/meta',
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(item.body),
              'x-hub-signature-256': item.signature,
            },
          },
          (response) => {
            response.resume()
            response.on('end', () => resolve(response.statusCode ?? 0))
          }
        )
        request.on('error', reject)
        request.end(item.body)
      })

    const waitUp = async (port: number, exited: () => boolean) => {
      const deadline = Date.now() + 60_000
      while (Date.now() < deadline) {
        if (exited()) throw new Error('server exited during start')
        const up = await fetch(`http://127.0.0.1:${port}/health`).then(
          () => true,
          () => false
        )
        if (up) return
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      throw new Error('server did not start')
    }

    /** CPU time a process has used (Linux /proc; null elsewhere), in ms: load-independent cost. */
    const cpuMs = (pid: number | undefined) => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
        return (Number(fields[11]) + Number(fields[12])) * 10
      } catch {
        return null
      }
    }
    const warmUp = async (port: number, phoneNumberId: string) => {
      for (let i = 0; i < 300; i++) await post(port, delivery(phoneNumberId, 1000))
    }
    /** `concurrency` clients posting for `seconds`; latencies and errors go into `into`. */
    const slice = async (
      port: number,
      pid: number | undefined,
      phoneNumberId: string,
      seconds: number,
      into: { latencies: number[]; errors: number; elapsed: number; cpu: number | null }
    ) => {
      const cpuBefore = cpuMs(pid)
      const started = performance.now()
      const deadline = started + seconds * 1000
      await Promise.all(
        Array.from({ length: this.concurrency }, async () => {
          while (performance.now() < deadline) {
            const item = delivery(phoneNumberId, 1000)
            const sent = performance.now()
            const status = await post(port, item).catch(() => 0)
            into.latencies.push(performance.now() - sent)
            if (status !== 200) into.errors++
          }
        })
      )
      into.elapsed += (performance.now() - started) / 1000
      // Responses are in; the server's own work for them is done (enqueues flush within ms)
      await new Promise((resolve) => setTimeout(resolve, 50))
      const cpuAfter = cpuMs(pid)
      into.cpu =
        cpuBefore === null || cpuAfter === null || into.cpu === null
          ? null
          : into.cpu + cpuAfter - cpuBefore
    }
    const summary = (run: {
      latencies: number[]
      errors: number
      elapsed: number
      cpu: number | null
    }): LoadResult => {
      const sorted = [...run.latencies].sort((a, b) => a - b)
      return {
        cpuMsPerRequest: run.cpu === null ? null : round(run.cpu / sorted.length, 3),
        requests: sorted.length,
        errors: run.errors,
        rps: Math.round(sorted.length / run.elapsed),
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
      }
    }

    const merchant = await Merchant.create({
      slug: `bench-webhooks-${tag}`,
      legalName: 'Webhook benchmark (scratch)',
      countryCode: 'EG',
      status: 'active',
    })
    const processes: Array<{ stop: () => Promise<void> }> = []
    try {
      await connectChannel(
        merchant,
        { channel: 'whatsapp', externalId: e2eNumber, label: 'bench' },
        { type: 'system', id: 'bench' }
      )
      const serverEnv = (port: number) => ({
        PORT: String(port),
        HOST: '127.0.0.1',
        // Both servers log warnings only (the app otherwise writes a line per request)
        LOG_LEVEL: 'warn',
        META_APP_SECRET: secret,
        INSTAGRAM_APP_SECRET: secret,
      })

      // 1. The app (signed posts to a number no merchant has: stored, acknowledged, queued) and
      //    the baseline, both running; the load alternates between them in slices, so a busy
      //    machine weighs on both alike
      const appPort = await freePort()
      const web = start(
        ['--import', 'ts-node-maintained/register/esm', 'bin/server.js'],
        serverEnv(appPort),
        null
      )
      processes.push(web)
      await db.rawQuery(
        `CREATE TABLE ${table} (id serial PRIMARY KEY, dedupe_key varchar(255) UNIQUE NOT NULL, payload text NOT NULL)`
      )
      const basePort = await freePort()
      const base = start(
        ['--input-type=module', '-e', BASELINE_SERVER],
        { PORT: String(basePort), BENCH_SECRET: secret, BENCH_TABLE: table },
        'ready'
      )
      processes.push(base)
      await waitUp(appPort, () => web.child.exitCode !== null)
      const baseDeadline = Date.now() + 30_000
      while (!base.output().includes('ready')) {
        if (base.child.exitCode !== null || Date.now() > baseDeadline) {
          throw new Error(`baseline did not start: ${base.output().slice(0, 300)}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await warmUp(appPort, ackNumber)
      await warmUp(basePort, ackNumber)
      const appRun = { latencies: [] as number[], errors: 0, elapsed: 0, cpu: 0 as number | null }
      const baseRun = { latencies: [] as number[], errors: 0, elapsed: 0, cpu: 0 as number | null }
      const rounds = Math.max(1, Math.round(this.seconds))
      for (let sliceIndex = 0; sliceIndex < rounds; sliceIndex++) {
        await slice(appPort, web.child.pid, ackNumber, this.seconds / rounds, appRun)
        await slice(basePort, base.child.pid, ackNumber, this.seconds / rounds, baseRun)
      }
      const ack = summary(appRun)
      const baseline = summary(baseRun)

      // The ack phase's events were scratch: drop them and their queued jobs (stored events
      // lose nothing to a drained queue: the sweeper re-enqueues what is still pending)
      const queue = queueNamed('conversations')
      await queue.drain()
      await db.from('webhook_events').where('channel_external_id', ackNumber).delete()

      // 3. End to end: a worker process, and messages to the merchant's number
      const worker = start(['ace.js', 'queue:work', '--queues=conversations'], {}, null)
      processes.push(worker)
      await new Promise((resolve) => setTimeout(resolve, 3000))
      const e2eStarted = performance.now()
      const items = Array.from({ length: this.messages }, () => delivery(e2eNumber, 50))
      for (let i = 0; i < items.length; i += this.concurrency) {
        await Promise.all(items.slice(i, i + this.concurrency).map((item) => post(appPort, item)))
      }
      const e2eDeadline = Date.now() + 300_000
      let processed = 0
      while (Date.now() < e2eDeadline) {
        const [{ total }] = await db
          .from('webhook_events')
          .where('channel_external_id', e2eNumber)
          .where('state', 'processed')
          .count('* as total')
        processed = Number(total)
        if (processed >= this.messages) break
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      // Then each message's reply step (guard, classification, reply queued in the outbox)
      const inbound = await db
        .from('messages')
        .where('merchant_id', merchant.id)
        .where('direction', 'inbound')
        .select('id', 'created_at')
      const respondQueue = queueNamed(jobRegistry[RESPOND_JOB].queue)
      let replied = 0
      for (const row of inbound) {
        const jobId = respondJobId({ id: row.id, createdAt: row.created_at.getTime() })
        while (Date.now() < e2eDeadline) {
          const job = await respondQueue.getJob(jobId)
          const state = await job?.getState()
          if (state === 'completed' || state === 'failed') {
            if (state === 'completed') replied++
            break
          }
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
      const e2eSeconds = (performance.now() - e2eStarted) / 1000

      const result = {
        ack_rps: ack.rps,
        ack_p50_ms: ack.p50,
        ack_p99_ms: ack.p99,
        ack_errors: ack.errors,
        baseline_rps: baseline.rps,
        baseline_p50_ms: baseline.p50,
        baseline_p99_ms: baseline.p99,
        ack_ratio: round(ack.rps / baseline.rps),
        // Server CPU per request: what the rates come to on an idle machine with spare cores
        ack_cpu_ms: ack.cpuMsPerRequest,
        baseline_cpu_ms: baseline.cpuMsPerRequest,
        cpu_ratio:
          ack.cpuMsPerRequest && baseline.cpuMsPerRequest
            ? round(baseline.cpuMsPerRequest / ack.cpuMsPerRequest)
            : null,
        e2e_msgs_s: round(replied / e2eSeconds, 1),
        e2e_messages: processed,
        e2e_replied: replied,
        e2e_scope: 'stored, processed, classified, reply queued (the respond job completed)',
        log_level: 'warn',
        concurrency: this.concurrency,
        seconds: this.seconds,
        node: process.version,
      }
      this.logger.log(JSON.stringify(result))
    } finally {
      for (const child of processes.reverse()) await child.stop()
      agent.destroy()
      await db.rawQuery(`DROP TABLE IF EXISTS ${table}`)
      await db
        .from('webhook_events')
        .whereIn('channel_external_id', [ackNumber, e2eNumber])
        .delete()
      await merchant.delete()
    }
  }
}
