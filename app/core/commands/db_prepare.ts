import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import env from '#start/env'
import { ensureDatabase } from '#core/database_bootstrap'

/** Creates the database if missing, migrates it and (optionally) seeds demo data. */
export default class DbPrepare extends BaseCommand {
  static commandName = 'db:prepare'
  static description = 'Create the database if missing, run migrations, and seed demo data'
  static options: CommandOptions = { startApp: false }

  @flags.boolean({ description: 'Also run the seeders (idempotent)', default: false })
  declare seed: boolean

  async run() {
    const created = await ensureDatabase({
      host: env.get('DB_HOST'),
      port: env.get('DB_PORT'),
      user: env.get('DB_USER'),
      password: env.get('DB_PASSWORD'),
      database: env.get('DB_DATABASE'),
    })
    if (created) this.logger.success(`created database ${env.get('DB_DATABASE')}`)

    const migrate = await this.kernel.exec('migration:run', ['--force'])
    if (migrate.exitCode) {
      this.exitCode = migrate.exitCode
      return
    }
    if (this.seed) {
      const seed = await this.kernel.exec('db:seed', [])
      if (seed.exitCode) this.exitCode = seed.exitCode
    }
  }
}
