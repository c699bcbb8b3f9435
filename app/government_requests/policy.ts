/*
 * The vocabulary of government and public-authority requests: what the intake form offers, the
 * assessment checklist, the decisions, and which deadline rule fits which instrument. Labels
 * live in `resources/lang/<locale>/government.json` under the same codes.
 */

export const AUTHORITY_TYPES = [
  'court',
  'prosecutor',
  'police',
  'regulator',
  'tax_authority',
  'intelligence',
  'other',
] as const
export type AuthorityType = (typeof AUTHORITY_TYPES)[number]

export const INSTRUMENT_TYPES = [
  'court_order',
  'search_warrant',
  'subpoena',
  'administrative_order',
  'preservation_request',
  'emergency_request',
  'informal_request',
] as const
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number]

export const DEADLINE_RULES = ['pdpl_art10', 'eu_e_evidence', 'custom'] as const
export type DeadlineRule = (typeof DEADLINE_RULES)[number]

/** PDPL Art. 10: decide within 6 working days (silence counts as refusal). */
export const PDPL_WORKING_DAYS = 6
/** EU e-Evidence Regulation 2023/1543: 10 days for a production order, 8 hours in an emergency. */
export const E_EVIDENCE_DAYS = 10
export const E_EVIDENCE_EMERGENCY_HOURS = 8

/**
 * Which rules fit which instrument. The e-Evidence clock binds only orders of EU judicial or
 * prosecuting authorities (production, preservation, emergency); PDPL Art. 10 answers written
 * requests within 6 working days, too slow for an emergency, which needs an expedited clock.
 */
export const RULES_FOR_INSTRUMENT: Record<InstrumentType, readonly DeadlineRule[]> = {
  court_order: ['pdpl_art10', 'eu_e_evidence', 'custom'],
  search_warrant: ['pdpl_art10', 'eu_e_evidence', 'custom'],
  subpoena: ['pdpl_art10', 'custom'],
  administrative_order: ['pdpl_art10', 'custom'],
  preservation_request: ['pdpl_art10', 'eu_e_evidence', 'custom'],
  emergency_request: ['eu_e_evidence', 'custom'],
  informal_request: ['pdpl_art10', 'custom'],
}

/** The assessment checklist (SCC Cl. 15.2, PDPL Art. 10, GDPR Art. 48), in the order asked. */
export const CHECKLIST = [
  'written',
  'competent_authority',
  'legal_basis',
  'jurisdiction',
  'proportionate',
  'notification',
] as const
export type ChecklistItem = (typeof CHECKLIST)[number]

export const ANSWERS = ['yes', 'no', 'not_applicable'] as const
export type Answer = (typeof ANSWERS)[number]

export interface ChecklistAnswer {
  /** null while the draft has reasoning but no answer yet. */
  answer: Answer | null
  reasoning: string
}
export type Assessment = Partial<Record<ChecklistItem, ChecklistAnswer>>

/** Items that must be answered "yes" before anything may be produced. */
export const LAWFULNESS_ITEMS: readonly ChecklistItem[] = [
  'written',
  'competent_authority',
  'legal_basis',
  'jurisdiction',
]

export const OUTCOMES = ['reject', 'challenge', 'narrow', 'comply_full', 'comply_partial'] as const
export type Outcome = (typeof OUTCOMES)[number]
/** Decisions under which a package may be built (after a second person approved them). */
export const PRODUCING_OUTCOMES: readonly Outcome[] = ['narrow', 'comply_full', 'comply_partial']

export const CHALLENGE_RESULTS = ['pending', 'upheld', 'dismissed'] as const
export type ChallengeResult = (typeof CHALLENGE_RESULTS)[number]

export const REQUEST_STATUSES = [
  'intake',
  'assessed',
  'decision_pending',
  'decided',
  'disclosed',
  'referred',
] as const
export type RequestStatus = (typeof REQUEST_STATUSES)[number]
/** Open = still needs the legal team's work. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['intake', 'assessed', 'decision_pending']

/** Identifier kinds an authority may name (the customers' blind-indexed identifiers). */
export const IDENTIFIER_KINDS = [
  'phone',
  'email',
  'wa_id',
  'instagram_id',
  'customer_reference',
] as const
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number]
export interface ScopeIdentifier {
  kind: IdentifierKind
  value: string
}

/** The purpose every read for a disclosure declares (DESIGN.md §5). */
export const DISCLOSURE_PURPOSE = 'legal.obligation'

/** Transparency figures below this are printed as a band ("1–9"), never exactly. */
export const BAND_THRESHOLD = 10
