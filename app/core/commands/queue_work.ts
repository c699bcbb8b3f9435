import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'

export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Run the background worker for every queue in start/jobs.ts'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Jobs processed at once per queue', default: 4 })
  declare concurrency: number

  @flags.array({
    description: 'Only these queues (and their scheduled jobs); default: every queue',
  })
  declare queues?: string[]

  async run() {
    const { startWorkers, queueNames } = await import('#core/queue')
    const only = this.queues?.flatMap((q) => q.split(',')).filter(Boolean)
    const unknown = (only ?? []).filter((q) => !queueNames().includes(q))
    if (unknown.length) {
      this.logger.error(
        `Unknown queue(s): ${unknown.join(', ')}. Known: ${queueNames().join(', ')}`
      )
      this.exitCode = 1
      return
    }
    // start/lifecycle.ts closes the workers on shutdown
    await startWorkers(this.concurrency, only)
    this.logger.info(`worker listening on queues: ${(only ?? queueNames()).join(', ')}`)
  }
}
