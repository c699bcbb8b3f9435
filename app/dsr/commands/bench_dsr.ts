import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
const round = (ms: number) => Math.round(ms * 10) / 10

/**
 * `npm run bench:dsr` (on its own database, `privacy_hub_bench`): one JSON object with the DSR
 * figures of issue 10, each beside a baseline from the same run.
 *
 * Seeding is set-based SQL. The bystanders' messages (about 1M) carry copies of one
 * valid-shaped ciphertext: the locator and the deletes never decrypt them, and they would not
 * open (the AAD binds each row). The subject's 10k messages are sealed for real, row by row,
 * because the export opens them.
 */
export default class BenchDsr extends BaseCommand {
  static commandName = 'bench:dsr'
  static description =
    'Measure locating (1M messages), erasing and exporting (10k) and shredding a merchant (100k); prints JSON'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Messages in the haystack', default: 1_000_000 })
  declare messages: number

  @flags.number({ description: 'Messages of the subject (erase and export)', default: 10_000 })
  declare subjectMessages: number

  @flags.number({ description: 'Messages of the merchant being shredded', default: 100_000 })
  declare merchantMessages: number

  async run() {
    const { default: db } = await import('@adonisjs/lucid/services/db')
    const { default: env } = await import('#start/env')
    const { prepareBench } = await import('#keys/bench_setup')
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { default: keyring } = await import('#keys/services/keyring')
    const { default: fieldCipher } = await import('#keys/services/field_cipher')
    const { default: keyDestruction } = await import('#keys/services/key_destruction')
    const { default: Customer } = await import('#conversations/models/customer')
    const { DateTime } = await import('luxon')
    const { locate, locateSubject } = await import('#dsr/execution/locator')
    const { createExport } = await import('#dsr/execution/exports')
    const { eraseSubject } = await import('#dsr/execution/erasure')

    if (!/bench/.test(env.get('DB_DATABASE'))) {
      this.logger.error('bench:dsr runs on its own database: npm run bench:dsr (privacy_hub_bench)')
      this.exitCode = 1
      return
    }
    const removeKeystore = await prepareBench('dsr')
    // A fresh haystack each run (this database is the bench's alone)
    await db.rawQuery(
      'TRUNCATE messages, conversations, customers, channel_connections RESTART IDENTITY CASCADE'
    )
    const stamp = Date.now().toString(36)
    const newMerchant = (name: string) =>
      Merchant.create({
        slug: `bench-dsr-${name}-${stamp}`,
        legalName: `DSR benchmark ${name} (scratch)`,
        countryCode: 'EG',
        status: 'active',
      })

    /** Customers, one conversation each, and `perCustomer` copied-ciphertext messages each. */
    const haystack = async (merchantId: number, customers: number, perCustomer: number) => {
      const [connection] = await db
        .table('channel_connections')
        .insert({
          merchant_id: merchantId,
          channel: 'whatsapp',
          external_id: `bench-${merchantId}-${stamp}`,
          status: 'active',
          created_at: new Date(),
          updated_at: new Date(),
        })
        .returning('id')
      await db.rawQuery(
        `INSERT INTO customers (merchant_id, reference, phone_bidx, first_seen_at, last_seen_at, created_at, updated_at)
         SELECT ?, 'cus_b' || ? || '_' || g, md5(g::text || ?) || md5(?::text || g), now(), now(), now(), now()
           FROM generate_series(1, ?) g`,
        [merchantId, merchantId, stamp, stamp, customers]
      )
      await db.rawQuery(
        `INSERT INTO conversations (merchant_id, customer_id, channel, channel_connection_id, mode, created_at, updated_at)
         SELECT ?, id, 'whatsapp', ?, 'ai', now(), now() FROM customers WHERE merchant_id = ?`,
        [merchantId, connection.id, merchantId]
      )
      const copy = await fieldCipher.seal('Is my order on its way? It was placed last week.', {
        merchantId,
        table: 'messages',
        column: 'body',
        row: '0',
      })
      await db.rawQuery(
        `INSERT INTO messages (merchant_id, conversation_id, customer_id, direction, type, body, intent, status, created_at)
         SELECT ?, c.id, c.customer_id, 'inbound', 'text', ?, 'order_status', 'received', now()
           FROM conversations c CROSS JOIN generate_series(1, ?) g WHERE c.merchant_id = ?`,
        [merchantId, copy, perCustomer, merchantId]
      )
      // Every customer has a subject key, as in real use
      await db.rawQuery(
        `INSERT INTO subject_keys (scope, merchant_id, subject_ref, data_key_version, wrapped, created_at)
         SELECT ?, ?, 'customer:' || id, 1, decode(md5(id::text) || md5(id::text || 'k'), 'hex'), now()
           FROM customers WHERE merchant_id = ? ON CONFLICT DO NOTHING`,
        [`merchant:${merchantId}`, merchantId, merchantId]
      )
      return connection.id as number
    }

    /** A customer with `count` messages sealed for real under their own key. */
    const subject = async (
      merchantId: number,
      connectionId: number,
      phone: string,
      count: number
    ) => {
      const customer = await Customer.create({
        merchantId,
        reference: `cus_bench_${phone.slice(-6)}_${stamp}`,
        phone,
        waId: phone.replace(/\D/g, ''),
        displayName: 'Bench Subject',
        firstSeenAt: DateTime.utc(),
        lastSeenAt: DateTime.utc(),
      })
      const [conversation] = await db
        .table('conversations')
        .insert({
          merchant_id: merchantId,
          customer_id: customer.id,
          channel: 'whatsapp',
          channel_connection_id: connectionId,
          mode: 'ai',
          created_at: new Date(),
          updated_at: new Date(),
        })
        .returning('id')
      for (let done = 0; done < count; ) {
        const batch = Math.min(2000, count - done)
        const ids = await db.rawQuery(
          `SELECT nextval(pg_get_serial_sequence('messages', 'id'))::int AS id FROM generate_series(1, ?)`,
          [batch]
        )
        const rows = []
        for (const { id } of ids.rows as { id: number }[]) {
          rows.push({
            id,
            merchant_id: merchantId,
            conversation_id: conversation.id,
            customer_id: customer.id,
            direction: 'inbound',
            type: 'text',
            body: await fieldCipher.seal(`Message ${id}: where is order #${id}?`, {
              merchantId,
              subject: `customer:${customer.id}`,
              table: 'messages',
              column: 'body',
              row: String(id),
            }),
            intent: 'order_status',
            status: 'received',
            created_at: new Date(),
          })
        }
        await db.table('messages').multiInsert(rows)
        done += batch
      }
      return customer
    }

    const time = async <T>(fn: () => Promise<T>) => {
      const started = performance.now()
      const result = await fn()
      return { ms: performance.now() - started, result }
    }

    try {
      // 1. The haystack: ~1M messages at one merchant, the subject's 10k among them
      const main = await newMerchant('main')
      const perCustomer = 100
      const bystanders = Math.max(
        1,
        Math.floor((this.messages - 2 * this.subjectMessages) / perCustomer)
      )
      const connection = await haystack(main.id, bystanders, perCustomer)
      const target = await subject(main.id, connection, '+201001110001', this.subjectMessages)
      const twin = await subject(main.id, connection, '+201001110002', this.subjectMessages)
      // As autovacuum leaves a live table: statistics and the visibility map up to date
      await db.rawQuery('VACUUM ANALYZE customers, conversations, messages, subject_keys')
      const [counted] = await db.from('messages').where('merchant_id', main.id).count('* as n')
      const totalMessages = Number(counted.n)

      const identifiers = { phone: '+201001110001' }
      await locateSubject(main.id, identifiers)
      const locateRuns = []
      for (let i = 0; i < 7; i++) {
        const run = await time(() => locateSubject(main.id, identifiers))
        locateRuns.push(run.ms)
      }
      // Baseline: the same lookup with the database told not to use its indexes
      const seq = await db.transaction(async (trx) => {
        await trx.rawQuery('SET LOCAL enable_indexscan = off')
        await trx.rawQuery('SET LOCAL enable_bitmapscan = off')
        const started = performance.now()
        await trx.rawQuery(
          'SELECT count(*) FROM messages WHERE merchant_id = ? AND customer_id = ANY(?)',
          [main.id, [target.id]]
        )
        return performance.now() - started
      })

      // 2. Export the subject's 10k messages (opened, redacted, sealed at rest)
      keyring.reset()
      const exported = await time(async () =>
        createExport(main, await locate(main.id, identifiers), {
          format: 'json',
          actor: { type: 'system' },
        })
      )
      const readOnly = await time(() =>
        db.from('messages').where('customer_id', target.id).select('*')
      )

      // 3. Erase the subject; baseline: one plain DELETE of the twin's 10k messages
      const erased = await time(async () =>
        eraseSubject(main.id, await locate(main.id, identifiers), { actor: { type: 'system' } })
      )
      const plainDelete = await time(() =>
        db.from('messages').where('customer_id', twin.id).delete()
      )

      // 4. Shred a merchant with 100k messages, and one with 1k: the cost must not follow the data
      const big = await newMerchant('big')
      await haystack(big.id, Math.max(1, Math.floor(this.merchantMessages / 100)), 100)
      const small = await newMerchant('small')
      await haystack(small.id, 10, 100)
      for (const merchant of [big, small]) await keyring.currentDataKey(merchant.id)
      const shredBig = await time(() =>
        keyDestruction.destroyMerchantKeys(big.id, {
          actor: { type: 'system' },
          pendingWindowDays: 7,
        })
      )
      const shredSmall = await time(() =>
        keyDestruction.destroyMerchantKeys(small.id, {
          actor: { type: 'system' },
          pendingWindowDays: 7,
        })
      )

      this.logger.log(
        JSON.stringify(
          {
            locate_ms: round(median(locateRuns)),
            locate_messages: totalMessages,
            locate_baseline_seqscan_ms: round(seq),
            export_ms: round(exported.ms),
            export_messages: this.subjectMessages,
            export_records: exported.result.records,
            export_baseline_select_ms: round(readOnly.ms),
            erase_ms: round(erased.ms),
            erase_rows: erased.result.counts
              .filter((c) => c.system === 'postgres')
              .reduce((sum, c) => sum + c.rows, 0),
            erase_baseline_plain_delete_ms: round(plainDelete.ms),
            shred_merchant_ms: round(shredBig.ms),
            shred_merchant_messages: this.merchantMessages,
            shred_merchant_small_ms: round(shredSmall.ms),
            shred_merchant_small_messages: 1000,
            note: 'Bystander messages are copies of one valid-shaped ciphertext (never decrypted by these paths); the subject’s messages are sealed for real.',
          },
          null,
          2
        )
      )
    } finally {
      keyring.reset()
      await removeKeystore()
    }
  }
}
