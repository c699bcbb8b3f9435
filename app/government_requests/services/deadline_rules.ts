import { DateTime } from 'luxon'
import { FieldInvalid } from '#core/errors'
import { countryName, isEea } from '#core/countries'
import { addHours, addWorkingDays, endOfDay } from '#dsr/services/deadlines'
import {
  E_EVIDENCE_DAYS,
  E_EVIDENCE_EMERGENCY_HOURS,
  PDPL_WORKING_DAYS,
  RULES_FOR_INSTRUMENT,
  type DeadlineRule,
  type InstrumentType,
} from '#government_requests/policy'

/** An emergency answered on a custom clock still gets an expedited one. */
export const EMERGENCY_MAX_HOURS = 48

export interface DeadlineQuestion {
  rule: DeadlineRule
  instrumentType: InstrumentType
  authorityCountry: string
  receivedAt: DateTime
  customDueAt?: DateTime | null
}

/**
 * When the answer is due. PDPL Art. 10: 6 working days on Egypt's calendar (the DSR module's,
 * weekend Friday–Saturday). EU e-Evidence (Reg. 2023/1543 Art. 10): 10 days, or 8 hours for an
 * emergency. A rule that does not fit the instrument or the authority is refused on the field.
 */
export function dueAtFor(question: DeadlineQuestion): DateTime {
  const { rule, instrumentType, receivedAt } = question
  if (!RULES_FOR_INSTRUMENT[instrumentType].includes(rule)) {
    // PDPL's working days are ruled out only for emergencies, which need an expedited clock
    if (rule === 'pdpl_art10') {
      throw new FieldInvalid(
        'deadlineRule',
        'An emergency request needs an expedited clock: choose EU e-Evidence (8 hours) or a custom deadline.',
        'government_deadline_emergency_expedited'
      )
    }
    throw new FieldInvalid(
      'deadlineRule',
      'This deadline rule does not apply to this kind of instrument.',
      'government_deadline_rule_instrument'
    )
  }
  switch (rule) {
    case 'pdpl_art10':
      // The day of receipt is not counted; the answer is due by the end of the sixth working day
      return endOfDay(addWorkingDays(receivedAt, PDPL_WORKING_DAYS, 'EG'), 'EG')
    case 'eu_e_evidence':
      if (!isEea(question.authorityCountry)) {
        throw new FieldInvalid(
          'deadlineRule',
          `The EU e-Evidence clock binds only orders of EU authorities, not of ${countryName(question.authorityCountry)}.`,
          'government_deadline_eu_authority'
        )
      }
      return instrumentType === 'emergency_request'
        ? addHours(receivedAt, E_EVIDENCE_EMERGENCY_HOURS).toUTC()
        : receivedAt.plus({ days: E_EVIDENCE_DAYS }).toUTC()
    case 'custom': {
      const due = question.customDueAt
      if (!due) {
        throw new FieldInvalid(
          'customDueAt',
          'A custom deadline needs its date and time.',
          'government_deadline_custom_missing'
        )
      }
      if (due <= receivedAt) {
        throw new FieldInvalid(
          'customDueAt',
          'The deadline must come after the date received.',
          'government_deadline_before_received'
        )
      }
      if (
        instrumentType === 'emergency_request' &&
        due > receivedAt.plus({ hours: EMERGENCY_MAX_HOURS })
      ) {
        throw new FieldInvalid(
          'customDueAt',
          `An emergency request is answered within ${EMERGENCY_MAX_HOURS} hours of receipt.`,
          'government_deadline_emergency_too_late'
        )
      }
      return due.toUTC()
    }
  }
}
