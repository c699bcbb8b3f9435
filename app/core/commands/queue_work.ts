import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Run the background worker for every queue in start/jobs.ts'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Jobs processed at once per queue', default: 4 })
  declare concurrency: number

  async run() {
    const { startWorkers, queueNames } = await import('#core/queue')
    // start/lifecycle.ts closes the workers on shutdown
    await startWorkers(this.concurrency)
    this.logger.info(`worker listening on queues: ${queueNames().join(', ')}`)
  }
}
