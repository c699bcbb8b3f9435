import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { DomainError } from '#core/errors'

/** Scheduled runs and auditors' automation: any registered kind, stored and signed like the console's. */
export default class ReportsGenerate extends BaseCommand {
  static commandName = 'reports:generate'
  static description = 'Generate, store and sign a report, and write the PDF to --out'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Report kind, e.g. access-review (see the registry)' })
  declare kind: string

  @flags.string({ description: 'Merchant slug, for per-merchant kinds' })
  declare merchant?: string

  @flags.string({ description: 'Period: 2026, 2026-H1, 2026-Q3 or 2026-07' })
  declare period?: string

  @flags.string({
    description: 'Case reference (or record id) for kinds about one record, e.g. GR-2026-0001',
  })
  declare case?: string

  @flags.string({ description: 'Where to write the PDF', required: true })
  declare out: string

  async run() {
    const { default: Merchant } = await import('#merchants/models/merchant')
    const { default: reportService } = await import('#reports/services/report_service')
    const { reportKinds } = await import('#reports/registry')

    const merchant = this.merchant ? await Merchant.findBy('slug', this.merchant) : null
    if (this.merchant && !merchant) {
      this.logger.error(`no merchant with slug "${this.merchant}"`)
      this.exitCode = 1
      return
    }
    try {
      const report = await reportService.generate({
        kind: this.kind,
        merchant,
        period: this.period,
        record: this.case,
        generatedBy: 'system (reports:generate)',
        actor: { type: 'system' },
      })
      const out = resolve(process.cwd(), this.out)
      await writeFile(out, await reportService.read(report))
      this.logger.success(`${report.kind} report ${report.documentId} written to ${out}`)
      this.logger.info(`sha256 ${report.sha256}`)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      this.logger.error(error.message)
      if (error.code === 'validation_failed' && /kind/.test(error.message)) {
        this.logger.info(
          `known kinds: ${reportKinds()
            .map((k) => k.kind)
            .join(', ')}`
        )
      }
      this.exitCode = 1
    }
  }
}
