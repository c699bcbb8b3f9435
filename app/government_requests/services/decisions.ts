import { DateTime } from 'luxon'
import { auditedWrite } from '#audit/services/audited_write'
import { assertNotSameActor } from '#access/services/segregation_of_duties'
import { Conflict, FieldInvalid, NotFound } from '#core/errors'
import Decision from '#government_requests/models/decision'
import GovernmentRequest from '#government_requests/models/government_request'
import {
  LAWFULNESS_ITEMS,
  PRODUCING_OUTCOMES,
  type ChallengeResult,
} from '#government_requests/policy'
import register, { isAssessmentComplete } from '#government_requests/services/register'
import preservation from '#government_requests/services/preservation'
import type { DecisionInput } from '#government_requests/validators/government_request'

/**
 * Decisions on a request: reject, challenge, narrow, or comply (fully or in part), with reasons.
 * Someone proposes; a second person approves (`assertNotSameActor`). Only an approved narrow or
 * comply decision opens the way to a package, and only within the scope it approved.
 */
export class RequestDecisions {
  async find(id: number) {
    const decision = await Decision.find(id)
    if (!decision) throw new NotFound('decision')
    return decision
  }

  /** The decision in force: the approved one, or null. */
  approvedFor(request: GovernmentRequest) {
    return Decision.query()
      .where({ requestId: request.id, status: 'approved' })
      .orderBy('approved_at', 'desc')
      .first()
  }

  async propose(request: GovernmentRequest, input: DecisionInput, actorUserId: number) {
    register.assertOpen(request)
    if (await this.approvedFor(request)) {
      throw new Conflict('already_decided', 'This request already has an approved decision.')
    }
    if (!isAssessmentComplete(request.assessment)) {
      throw new Conflict(
        'assessment_incomplete',
        'Complete the assessment (every item answered, with its reasoning) before deciding.'
      )
    }
    const producing = PRODUCING_OUTCOMES.includes(input.outcome)
    const scope = {
      identifiers: [] as number[],
      merchantIds: [] as number[],
      categories: [] as string[],
    }
    if (producing) {
      if (request.informal) {
        throw new FieldInvalid(
          'outcome',
          'An informal request is answered, never complied with: data is produced only under a legal instrument.',
          'government_outcome_informal'
        )
      }
      const failed = LAWFULNESS_ITEMS.filter((item) => request.assessment[item]?.answer === 'no')
      if (failed.length) {
        throw new FieldInvalid(
          'outcome',
          `The assessment answered no to: ${failed.join(', ')}. Reject or challenge this request instead.`,
          'government_outcome_assessment_failed'
        )
      }
      if (input.outcome === 'comply_full' && request.assessment.proportionate?.answer === 'no') {
        throw new FieldInvalid(
          'outcome',
          'The assessment found the request overbroad: narrow it or comply in part.',
          'government_outcome_overbroad'
        )
      }
      Object.assign(scope, this.approvedScope(request, input))
    }
    const decision = new Decision()
    decision.merge({
      requestId: request.id,
      outcome: input.outcome,
      reasons: input.reasons,
      status: 'proposed',
      approvedIdentifiers: scope.identifiers,
      approvedMerchantIds: scope.merchantIds,
      approvedCategories: scope.categories,
      proposedByUserId: actorUserId,
      proposedAt: DateTime.utc(),
    })
    await auditedWrite(
      async (trx) => {
        await Decision.query({ client: trx })
          .where({ requestId: request.id, status: 'proposed' })
          .update({ status: 'superseded', updated_at: DateTime.utc().toSQL() })
        decision.useTransaction(trx)
        await decision.save()
        request.useTransaction(trx)
        request.status = 'decision_pending'
        await request.save()
      },
      () => ({
        action: 'government_request.decision_proposed',
        target: { type: 'government_request', id: request.id },
        meta: {
          decisionId: decision.id,
          outcome: decision.outcome,
          identifiers: scope.identifiers.length,
          categories: scope.categories,
        },
      })
    )
    return decision
  }

  /** A second person approves; a preservation order's holds are placed with the approval. */
  async approve(decision: Decision, actorUserId: number) {
    const request = await register.find(decision.requestId)
    if (decision.status !== 'proposed') {
      throw new Conflict('decision_not_proposed', 'Only a proposed decision can be approved.')
    }
    await assertNotSameActor(decision.proposedByUserId, actorUserId, {
      what: 'government request decision',
      target: { type: 'government_request', id: request.id },
    })
    const now = DateTime.utc()
    await auditedWrite(
      async (trx) => {
        decision.useTransaction(trx)
        decision.merge({
          status: 'approved',
          approvedByUserId: actorUserId,
          approvedAt: now,
          challengeResult: decision.outcome === 'challenge' ? 'pending' : null,
        })
        await decision.save()
        request.useTransaction(trx)
        request.merge({ status: 'decided', answeredAt: request.answeredAt ?? now })
        await request.save()
      },
      {
        action: 'government_request.decision_approved',
        target: { type: 'government_request', id: request.id },
        meta: {
          decisionId: decision.id,
          outcome: decision.outcome,
          proposedBy: decision.proposedByUserId,
        },
      }
    )
    if (request.preservation && PRODUCING_OUTCOMES.includes(decision.outcome)) {
      await preservation.hold(request, decision, actorUserId)
    }
    return decision
  }

  async resolveChallenge(decision: Decision, result: Exclude<ChallengeResult, 'pending'>) {
    if (decision.outcome !== 'challenge' || decision.status !== 'approved') {
      throw new Conflict('not_a_challenge', 'Only an approved challenge has a result.')
    }
    await auditedWrite(
      async (trx) => {
        decision.useTransaction(trx)
        decision.merge({ challengeResult: result, challengeResolvedAt: DateTime.utc() })
        await decision.save()
      },
      {
        action: 'government_request.challenge_resolved',
        target: { type: 'government_request', id: decision.requestId },
        meta: { decisionId: decision.id, result },
      }
    )
    return decision
  }

  /** comply_full takes the whole scope; narrow and comply_partial a non-empty part of it. */
  private approvedScope(request: GovernmentRequest, input: DecisionInput) {
    const all = {
      identifiers: request.identifiers.map((_, index) => index),
      merchantIds: request.scopeMerchantIds,
      categories: request.scopeCategories,
    }
    if (input.outcome === 'comply_full') return all
    const picked = {
      identifiers: [...new Set(input.identifierIndexes ?? all.identifiers)],
      merchantIds: [...new Set(input.merchantIds ?? all.merchantIds)],
      categories: [...new Set(input.categories ?? all.categories)],
    }
    const outside = <T>(chosen: T[], allowed: T[]) => chosen.filter((c) => !allowed.includes(c))
    const checks: Array<[keyof typeof picked, string]> = [
      ['identifiers', 'identifierIndexes'],
      ['merchantIds', 'merchantIds'],
      ['categories', 'categories'],
    ]
    for (const [key, field] of checks) {
      const extra = outside<unknown>(picked[key], all[key])
      if (extra.length) {
        throw new FieldInvalid(
          field,
          `Outside the request’s scope: ${extra.join(', ')}.`,
          'government_decision_outside_scope'
        )
      }
      if (!picked[key].length) {
        throw new FieldInvalid(
          field,
          'Approve at least one item of the scope.',
          'government_decision_scope_empty'
        )
      }
    }
    if (
      input.outcome === 'narrow' &&
      checks.every(([key]) => picked[key].length === all[key].length)
    ) {
      throw new FieldInvalid(
        'categories',
        'A narrowed scope must leave out some identifiers, merchants or categories.',
        'government_decision_not_narrower'
      )
    }
    return picked
  }
}

const requestDecisions = new RequestDecisions()
export default requestDecisions
