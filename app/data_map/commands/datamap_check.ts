import { BaseCommand } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

/**
 * CI gate: every column of every table is classified in a module's `field_inventory.ts`, and
 * every personal-data column is encrypted. Exits 1 listing the offending columns.
 */
export default class DatamapCheck extends BaseCommand {
  static commandName = 'datamap:check'
  static description =
    'Compare the field inventory with the live schema; fail on unmapped, missing or unencrypted columns'
  static options: CommandOptions = { startApp: true }

  async run() {
    const { checkFieldInventory } = await import('#data_map/inventory/schema_check')
    const result = await checkFieldInventory()
    if (result.issues.length === 0) {
      this.logger.success(
        `field inventory matches the schema: ${result.tables} tables, ${result.columns} columns`
      )
      return
    }
    for (const issue of result.issues) {
      this.logger.error(
        `${issue.kind.padEnd(14)} ${issue.table}${issue.column ? `.${issue.column}` : ''}: ${issue.message}`
      )
    }
    this.logger.error(
      `${result.issues.length} problem(s) in ${result.tables} tables / ${result.columns} columns`
    )
    this.exitCode = 1
  }
}
