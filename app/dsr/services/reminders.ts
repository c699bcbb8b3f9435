import { DateTime } from 'luxon'
import logger from '@adonisjs/core/services/logger'
import { dispatch, queueNamed } from '#core/queue'
import { jobRegistry } from '#start/jobs'
import { endOfDay } from '#dsr/services/deadlines'
import type DsrCase from '#dsr/models/dsr_case'

export type ReminderKind = 'reminder' | 'escalation'
const KINDS: ReminderKind[] = ['reminder', 'escalation']

/** One id per case and kind, so a reschedule replaces the job and a close can find it. */
export function reminderJobId(caseId: number, kind: ReminderKind) {
  return `dsr-${caseId}-${kind}`
}

function queue() {
  return queueNamed(jobRegistry['dsr.deadline_reminder'].queue)
}

/**
 * Deadline reminders as delayed BullMQ jobs (kept in Redis, so they outlive a restart): a
 * reminder when the hub's internal target day begins, and an escalation to the DPO once it has
 * passed with the case still open (the legal deadline is then days away). Days are the merchant's
 * jurisdiction's. Payloads hold the case id only.
 */
export class Reminders {
  /** When each job fires for this case (UTC). */
  firingTimes(dsrCase: DsrCase): Record<ReminderKind, DateTime> {
    return {
      reminder: endOfDay(dsrCase.internalDueAt.minus({ days: 1 }), dsrCase.jurisdiction),
      escalation: endOfDay(dsrCase.internalDueAt, dsrCase.jurisdiction),
    }
  }

  async schedule(dsrCase: DsrCase) {
    await this.cancel(dsrCase)
    const times = this.firingTimes(dsrCase)
    for (const kind of KINDS) {
      await dispatch(
        'dsr.deadline_reminder',
        { caseId: dsrCase.id, kind, dueAt: dsrCase.dueAt.toISODate() },
        {
          jobId: reminderJobId(dsrCase.id, kind),
          delay: Math.max(0, times[kind].toMillis() - Date.now()),
        }
      )
    }
  }

  /** Removes the case's pending reminders (a job running right now finishes by itself). */
  async cancel(dsrCase: DsrCase) {
    for (const kind of KINDS) {
      try {
        await queue().remove(reminderJobId(dsrCase.id, kind))
      } catch (error) {
        logger.warn(
          { caseId: dsrCase.id, kind, err: { message: (error as Error).message } },
          'reminder not removed'
        )
      }
    }
  }

  async pending(dsrCase: DsrCase) {
    const found = []
    for (const kind of KINDS) {
      const job = await queue().getJob(reminderJobId(dsrCase.id, kind))
      if (job) found.push({ kind, state: await job.getState(), delay: job.opts.delay ?? 0 })
    }
    return found
  }
}

const reminders = new Reminders()
export default reminders
