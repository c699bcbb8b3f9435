import { DateTime } from 'luxon'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { Conflict, DomainError, FieldInvalid, NotFound } from '#core/errors'
import { dispatch } from '#core/queue'
import { auditedWrite } from '#audit/services/audited_write'
import type { AuditActor } from '#audit/actor'
import User from '#access/models/user'
import DsrCase, {
  CLOSED_STATUSES,
  type DsrStatus,
  type DsrType,
  type RefusalCode,
  type WaitingOn,
} from '#dsr/models/dsr_case'
import DsrCaseComment from '#dsr/models/dsr_case_comment'
import DsrCaseTask from '#dsr/models/dsr_case_task'
import { recordEvent, type TimelineEntry } from '#dsr/services/timeline'
import { dsrDeadline, today } from '#dsr/services/deadlines'
import legalHolds from '#dsr/services/legal_holds'
import reminders from '#dsr/services/reminders'
import callbacks from '#dsr/services/callbacks'
import { notifyMerchant, type DsrNoticeKind } from '#dsr/services/merchant_notices'
import { matchCustomers } from '#dsr/services/subject_matching'
import { locateSubject } from '#dsr/execution/locator'
import { executeCase } from '#dsr/execution/execute_case'

const TRANSITIONS: Record<DsrStatus, DsrStatus[]> = {
  received: ['in_progress', 'awaiting_merchant', 'refused', 'cancelled'],
  in_progress: ['awaiting_merchant', 'completed', 'refused', 'cancelled'],
  awaiting_merchant: ['in_progress', 'refused', 'cancelled'],
  completed: [],
  refused: [],
  cancelled: [],
}

/** Types whose answer is a judgement, not a mechanical step: staff decide before they run. */
export const HUMAN_DECISION_TYPES: DsrType[] = ['objection', 'automated_decision_review']
/** Types a legal hold stops: they would destroy or change held data. */
export const HELD_TYPES: DsrType[] = ['erasure', 'rectification']

const NOTICE_ON: Partial<Record<DsrStatus, DsrNoticeKind>> = {
  awaiting_merchant: 'awaiting_merchant',
  completed: 'completed',
  refused: 'refused',
}

export class InvalidTransition extends Conflict {
  constructor(from: DsrStatus, to: DsrStatus) {
    super(
      'dsr_invalid_transition',
      `A ${from.replace('_', ' ')} case cannot become ${to.replace('_', ' ')}.`
    )
  }
}

interface MoveOptions {
  kind: string
  detail?: TimelineEntry['detail']
  waitingOn?: WaitingOn | null
  actor?: AuditActor
  changes?: Partial<
    Pick<DsrCase, 'refusalCode' | 'refusalText' | 'customerId' | 'identityVerified' | 'type'>
  >
  extra?: (trx: TransactionClientContract) => Promise<void>
}

export type ProcessOutcome =
  | { state: 'skipped'; status: DsrStatus }
  | { state: 'waiting'; waitingOn: WaitingOn }
  | { state: 'completed'; recordsFound: number | null }

/**
 * The life of a case: received → in progress → (awaiting merchant) → completed, refused or
 * cancelled. Every change is one transaction with its timeline entry and audit event; after it
 * commits, reminders follow the case and the merchant's callback hears of the new status.
 */
export class DsrWorkflow {
  async find(id: number) {
    const dsrCase = await DsrCase.find(id)
    if (!dsrCase) throw new NotFound('case')
    return dsrCase
  }

  /** Moves a case to `to`, checking the transition against the row as locked in the transaction. */
  async move(dsrCase: DsrCase, to: DsrStatus, options: MoveOptions) {
    let from = dsrCase.status
    await auditedWrite(
      async (trx) => {
        const current = await trx
          .from('dsr_cases')
          .where('id', dsrCase.id)
          .forUpdate()
          .select('status')
          .first()
        if (!current) throw new NotFound('case')
        from = current.status
        if (!TRANSITIONS[from].includes(to)) throw new InvalidTransition(from, to)
        dsrCase.useTransaction(trx)
        dsrCase.merge({
          ...options.changes,
          status: to,
          waitingOn: options.waitingOn ?? null,
          closedAt: CLOSED_STATUSES.includes(to) ? DateTime.utc() : null,
        })
        await dsrCase.save()
        await recordEvent(
          dsrCase,
          { kind: options.kind, from, to, detail: options.detail, actor: options.actor },
          trx
        )
        const notice = NOTICE_ON[to]
        if (notice) await notifyMerchant(dsrCase, notice, trx)
        if (options.extra) await options.extra(trx)
      },
      () => ({
        action: `dsr.case.${options.kind}`,
        actor: options.actor,
        merchantId: dsrCase.merchantId,
        target: { type: 'dsr_case', id: dsrCase.id },
        meta: { from, to, ...(options.detail ?? {}) },
      })
    )
    await this.afterChange(dsrCase)
    return dsrCase
  }

  private async afterChange(dsrCase: DsrCase) {
    if (!dsrCase.isOpen) {
      await reminders.cancel(dsrCase)
      // Every case closes with its signed report
      await dispatch('dsr.case_report', { caseId: dsrCase.id })
    }
    await callbacks.enqueue(dsrCase)
  }

  /** A timeline entry without a status change, audited with it. */
  async note(dsrCase: DsrCase, entry: TimelineEntry, changes: Partial<DsrCase> = {}) {
    await auditedWrite(
      async (trx) => {
        dsrCase.useTransaction(trx)
        dsrCase.merge(changes)
        await dsrCase.save()
        await recordEvent(dsrCase, entry, trx)
      },
      {
        action: `dsr.case.${entry.kind}`,
        actor: entry.actor,
        merchantId: dsrCase.merchantId,
        target: { type: 'dsr_case', id: dsrCase.id },
        meta: entry.detail ?? {},
      }
    )
    return dsrCase
  }

  /**
   * Runs a case on the merchant's instruction (the `dsr.process_case` job): it waits for staff
   * only for a human decision, an ambiguous identity or a legal hold; otherwise it locates and
   * executes through the execution module and completes.
   */
  async process(caseId: number): Promise<ProcessOutcome> {
    const actor: AuditActor = { type: 'system' }
    const dsrCase = await DsrCase.find(caseId)
    if (!dsrCase || !['received', 'in_progress'].includes(dsrCase.status)) {
      return { state: 'skipped', status: dsrCase?.status ?? 'cancelled' }
    }
    if (dsrCase.status === 'received') {
      await this.move(dsrCase, 'in_progress', { kind: 'started', actor })
    }
    if (HUMAN_DECISION_TYPES.includes(dsrCase.type) && !dsrCase.staffApprovedAt) {
      return this.wait(dsrCase, 'human_decision', {}, actor)
    }
    if (dsrCase.customerId === null) {
      const matches = await matchCustomers(dsrCase.merchantId, dsrCase.subject)
      if (matches.length > 1) {
        return this.wait(dsrCase, 'ambiguous_identity', { matches: matches.length }, actor)
      }
      if (matches.length === 1) dsrCase.customerId = matches[0]
    }
    if (HELD_TYPES.includes(dsrCase.type)) {
      const hold = await legalHolds.activeHoldsFor(dsrCase.merchantId, dsrCase.customerId).first()
      if (hold) return this.wait(dsrCase, 'legal_hold', { legal_hold_id: hold.id }, actor, hold.id)
    }
    const located = await locateSubject(dsrCase.merchantId, dsrCase.subject)
    await this.note(
      dsrCase,
      {
        kind: 'located',
        detail: { records_found: located.total, customers: located.customers.length },
        actor,
      },
      { recordsFound: located.total, customerId: dsrCase.customerId, waitingOn: null }
    )
    try {
      await executeCase(dsrCase, { actor })
    } catch (error) {
      if (error instanceof DomainError && error.code === 'legal_hold') {
        return this.wait(dsrCase, 'legal_hold', {}, actor)
      }
      if (error instanceof DomainError && error.code === 'ambiguous_identity') {
        return this.wait(
          dsrCase,
          'ambiguous_identity',
          { matches: located.customers.length },
          actor
        )
      }
      throw error
    }
    await dsrCase.refresh()
    await this.move(dsrCase, 'completed', {
      kind: 'executed',
      actor,
      detail: { records_found: dsrCase.recordsFound },
    })
    return { state: 'completed', recordsFound: dsrCase.recordsFound }
  }

  private async wait(
    dsrCase: DsrCase,
    waitingOn: WaitingOn,
    detail: TimelineEntry['detail'],
    actor: AuditActor,
    legalHoldId: number | null = null
  ): Promise<ProcessOutcome> {
    if (dsrCase.waitingOn !== waitingOn || (dsrCase.legalHoldId ?? null) !== legalHoldId) {
      await this.note(
        dsrCase,
        { kind: 'waiting_for_staff', detail: { waiting_on: waitingOn, ...detail }, actor },
        { waitingOn, legalHoldId, customerId: dsrCase.customerId }
      )
    }
    return { state: 'waiting', waitingOn }
  }

  /** Queues the automatic run (after the transaction that made the case runnable commits). */
  schedule(dsrCase: DsrCase) {
    return dispatch('dsr.process_case', { caseId: dsrCase.id })
  }

  /**
   * Staff resolve what a case waits for (choosing the customer when identity was ambiguous,
   * approving a human-decision type, or after a hold was lifted); the case then runs again.
   */
  async proceed(dsrCase: DsrCase, userId: number, input: { customerId?: number }) {
    if (dsrCase.status !== 'in_progress' || !dsrCase.waitingOn) {
      throw new Conflict('dsr_not_waiting', 'This case is not waiting for a staff decision.')
    }
    const changes: Partial<DsrCase> = { waitingOn: null }
    if (dsrCase.waitingOn === 'ambiguous_identity') {
      const matches = await matchCustomers(dsrCase.merchantId, dsrCase.subject)
      if (!input.customerId || !matches.includes(input.customerId)) {
        throw new FieldInvalid(
          'customerId',
          'Choose one of the customers the identifiers match.',
          'dsr_customer_not_matched'
        )
      }
      changes.customerId = input.customerId
    }
    if (dsrCase.waitingOn === 'legal_hold') {
      await legalHolds.assertNotHeld(dsrCase.merchantId, dsrCase.customerId)
      changes.legalHoldId = null
    }
    if (dsrCase.waitingOn === 'human_decision') {
      changes.staffApprovedAt = DateTime.utc()
      changes.staffApprovedByUserId = userId
    }
    await this.note(
      dsrCase,
      { kind: 'staff_proceeded', detail: { waited_on: dsrCase.waitingOn } },
      changes
    )
    await this.schedule(dsrCase)
    return dsrCase
  }

  /** The merchant instructs the hub on a customer-initiated request (optionally naming its type). */
  async instruct(dsrCase: DsrCase, input: { type?: DsrType }) {
    if (dsrCase.status !== 'awaiting_merchant') {
      throw new Conflict(
        'dsr_not_awaiting_merchant',
        'This case is not waiting for your instruction.'
      )
    }
    await this.move(dsrCase, 'in_progress', {
      kind: 'merchant_instructed',
      changes: { identityVerified: true, ...(input.type ? { type: input.type } : {}) },
      detail: { type: input.type ?? dsrCase.type },
    })
    await reminders.schedule(dsrCase)
    await this.schedule(dsrCase)
    return dsrCase
  }

  /** The merchant declines a customer's own request: the controller decides, the case closes. */
  async decline(dsrCase: DsrCase, userId: number | null) {
    if (dsrCase.status !== 'awaiting_merchant') {
      throw new Conflict(
        'dsr_not_awaiting_merchant',
        'This case is not waiting for your instruction.'
      )
    }
    return this.cancel(
      dsrCase,
      'Declined by the merchant (controller).',
      userId,
      'merchant_declined'
    )
  }

  /** Art. 12(3): one extension of up to two months, with reasons, before the first deadline passes. */
  async extend(dsrCase: DsrCase, months: 1 | 2, reason: string) {
    if (!dsrCase.isOpen) throw new Conflict('dsr_closed', 'A closed case cannot be extended.')
    if (dsrCase.extensionMonths) {
      throw new Conflict(
        'dsr_already_extended',
        'This case was already extended; Art. 12(3) allows one extension.'
      )
    }
    if (today(dsrCase.jurisdiction) > dsrCase.originalDueAt) {
      throw new DomainError(
        'dsr_extension_too_late',
        `The deadline (${dsrCase.originalDueAt.toISODate()}) has passed: an extension must be decided within the first month.`,
        { status: 422, details: [{ field: 'months', rule: 'before_deadline' }] }
      )
    }
    const deadlines = dsrDeadline(dsrCase.receivedOn, dsrCase.jurisdiction, {
      extensionMonths: months,
    })
    await auditedWrite(
      async (trx) => {
        dsrCase.useTransaction(trx)
        dsrCase.merge({
          extensionMonths: months,
          extensionReason: reason,
          extendedAt: DateTime.utc(),
          dueAt: deadlines.dueOn,
          internalDueAt: deadlines.internalDueOn,
        })
        await dsrCase.save()
        await recordEvent(
          dsrCase,
          { kind: 'extended', detail: { months, due_at: deadlines.dueOn.toISODate() } },
          trx
        )
        await notifyMerchant(dsrCase, 'extended', trx)
      },
      {
        action: 'dsr.case.extended',
        merchantId: dsrCase.merchantId,
        target: { type: 'dsr_case', id: dsrCase.id },
        meta: { months, due_at: deadlines.dueOn.toISODate() },
      }
    )
    await reminders.schedule(dsrCase)
    return dsrCase
  }

  refuse(dsrCase: DsrCase, code: RefusalCode, text?: string | null) {
    return this.move(dsrCase, 'refused', {
      kind: 'refused',
      detail: { refusal_code: code },
      changes: { refusalCode: code, refusalText: text ?? null },
    })
  }

  cancel(dsrCase: DsrCase, reason: string, userId: number | null, kind = 'cancelled') {
    return this.move(dsrCase, 'cancelled', {
      kind,
      extra: async (trx) => {
        await DsrCaseComment.create(
          {
            dsrCaseId: dsrCase.id,
            merchantId: dsrCase.merchantId,
            authorUserId: userId,
            body: reason,
          },
          { client: trx }
        )
      },
    })
  }

  /** Staff close a case by hand (work done outside the hub, or no execution module installed). */
  complete(dsrCase: DsrCase) {
    return this.move(dsrCase, 'completed', { kind: 'completed_by_staff' })
  }

  async assign(dsrCase: DsrCase, assigneeUserId: number | null) {
    if (assigneeUserId !== null) {
      const user = await User.find(assigneeUserId)
      if (!user || user.kind !== 'staff' || user.disabledAt) {
        throw new FieldInvalid(
          'assigneeUserId',
          'Choose an active staff member.',
          'dsr_assignee_inactive'
        )
      }
    }
    return this.note(
      dsrCase,
      { kind: 'assigned', detail: { assignee_user_id: assigneeUserId } },
      { assigneeUserId }
    )
  }

  async comment(dsrCase: DsrCase, body: string, userId: number) {
    return auditedWrite(
      async (trx) => {
        const comment = await DsrCaseComment.create(
          { dsrCaseId: dsrCase.id, merchantId: dsrCase.merchantId, authorUserId: userId, body },
          { client: trx }
        )
        await recordEvent(dsrCase, { kind: 'commented', detail: { comment_id: comment.id } }, trx)
        return comment
      },
      (comment) => ({
        action: 'dsr.case.commented',
        merchantId: dsrCase.merchantId,
        target: { type: 'dsr_case', id: dsrCase.id },
        meta: { comment_id: comment.id },
      })
    )
  }

  async addTask(
    dsrCase: DsrCase,
    input: { title: string; dueOn?: Date; assigneeUserId?: number },
    userId: number
  ) {
    return auditedWrite(
      async (trx) => {
        const task = await DsrCaseTask.create(
          {
            dsrCaseId: dsrCase.id,
            title: input.title,
            dueOn: input.dueOn ? DateTime.fromJSDate(input.dueOn) : null,
            assigneeUserId: input.assigneeUserId ?? null,
            createdByUserId: userId,
          },
          { client: trx }
        )
        await recordEvent(dsrCase, { kind: 'task_added', detail: { task_id: task.id } }, trx)
        return task
      },
      (task) => ({
        action: 'dsr.case.task_added',
        merchantId: dsrCase.merchantId,
        target: { type: 'dsr_case', id: dsrCase.id },
        meta: { task_id: task.id },
      })
    )
  }

  async completeTask(dsrCase: DsrCase, taskId: number, userId: number) {
    const task = await DsrCaseTask.query().where({ id: taskId, dsrCaseId: dsrCase.id }).first()
    if (!task) throw new NotFound('task')
    if (task.doneAt) throw new Conflict('task_done', 'This task is already done.')
    return auditedWrite(
      async (trx) => {
        task.useTransaction(trx)
        task.merge({ doneAt: DateTime.utc(), doneByUserId: userId })
        await task.save()
        await recordEvent(dsrCase, { kind: 'task_done', detail: { task_id: task.id } }, trx)
        return task
      },
      {
        action: 'dsr.case.task_done',
        merchantId: dsrCase.merchantId,
        target: { type: 'dsr_case', id: dsrCase.id },
        meta: { task_id: task.id },
      }
    )
  }
}

const workflow = new DsrWorkflow()
export default workflow
