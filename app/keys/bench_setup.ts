import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import env from '#start/env'
import { ensureDatabase } from '#core/database_bootstrap'
import { LocalKms } from '#keys/kms/local_kms'
import { useKms } from '#keys/kms/main'
import keyring from '#keys/services/keyring'

/** Every `bench:*` command's database: created if missing and migrated quietly (stdout carries only the JSON). */
export async function prepareBenchDatabase() {
  await ensureDatabase({
    host: env.get('DB_HOST'),
    port: env.get('DB_PORT'),
    user: env.get('DB_USER'),
    password: env.get('DB_PASSWORD'),
    database: env.get('DB_DATABASE'),
  })
  const migrator = new MigrationRunner(db, app, { direction: 'up', dryRun: false })
  await migrator.run()
  if (migrator.error) throw migrator.error
}

/**
 * What an in-process `bench:*` command starts with: its database, and a throw-away local keystore,
 * so a bench never touches a real key. Returns the cleanup that removes the keystore.
 */
export async function prepareBench(name: string) {
  await prepareBenchDatabase()
  const keystore = await mkdtemp(join(tmpdir(), `bench-${name}-`))
  useKms(new LocalKms({ directory: keystore }))
  keyring.reset()
  return () => rm(keystore, { recursive: true, force: true })
}
