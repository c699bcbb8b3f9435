import logger from '@adonisjs/core/services/logger'
import type { JobContext, JobHandler } from '#core/queue'
import terminations from '#dsr/termination/termination_service'

/** Hourly: runs every approved termination whose grace period has passed. */
export default class ExecuteTerminationsJob implements JobHandler {
  async handle(_payload: unknown, { progress }: JobContext) {
    const due = await terminations.due()
    const done: number[] = []
    for (const [index, termination] of due.entries()) {
      try {
        await terminations.execute(termination)
        done.push(termination.id)
      } catch (error) {
        // A legal hold placed during the grace period keeps it waiting; the next run retries
        logger.warn(
          { termination: termination.id, err: { message: (error as Error).message } },
          'termination not executed'
        )
      }
      await progress(Math.round(((index + 1) / due.length) * 100))
    }
    return { executed: done }
  }
}
