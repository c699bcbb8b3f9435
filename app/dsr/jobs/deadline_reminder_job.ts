import type { JobHandler } from '#core/queue'
import DsrCase from '#dsr/models/dsr_case'
import workflow from '#dsr/services/workflow'
import type { ReminderKind } from '#dsr/services/reminders'

interface Payload {
  caseId: number
  kind: ReminderKind
  dueAt: string
}

/**
 * `dsr.deadline_reminder`: the delayed reminder or escalation of one case. A case closed or
 * extended since the job was scheduled is left alone (its jobs were replaced or removed; this is
 * the belt to that brace).
 */
export default class DeadlineReminderJob implements JobHandler<Payload> {
  async handle(payload: Payload) {
    const dsrCase = await DsrCase.find(payload.caseId)
    if (!dsrCase || !dsrCase.isOpen || dsrCase.dueAt.toISODate() !== payload.dueAt) {
      return { sent: false }
    }
    await workflow.note(dsrCase, {
      kind: payload.kind === 'reminder' ? 'reminder_due' : 'escalated',
      detail: {
        internal_due_at: dsrCase.internalDueAt.toISODate(),
        due_at: dsrCase.dueAt.toISODate(),
      },
      actor: { type: 'system' },
    })
    return { sent: true, kind: payload.kind }
  }
}
