import type { FieldContext, MessagesProviderContact } from '@vinejs/vine/types'

/**
 * Field names as the console's forms label them. A validation message names the field the way
 * the user sees it ("Expiry must be between 1 and 365 days"), never the input's name.
 */
export const FIELD_LABELS: Record<string, string> = {
  action: 'Action',
  activities: 'Processing activities',
  actorId: 'Actor',
  actorType: 'Actor type',
  address: 'Address',
  aiAbuseLogRetentionDays: 'Abuse-log retention (days)',
  aiNotes: 'AI notes',
  basis: 'Legal basis',
  categoryIds: 'Data categories',
  code: 'Code',
  contact: 'Contact',
  country: 'Country',
  countryCode: 'Country',
  currentPassword: 'Current password',
  dataCategories: 'Data categories',
  dataCategoryId: 'Data category',
  description: 'Description',
  destinationCountry: 'Destination country',
  dpaSignedOn: 'DPA signed on',
  dueState: 'Review due',
  durationDays: 'Retention (days)',
  email: 'E-mail address',
  expiresInDays: 'Expiry',
  from: 'From',
  fullName: 'Full name',
  governingLawCountry: 'Governing law',
  joinedOn: 'Joined on',
  kind: 'Kind of user',
  legalEntity: 'Legal entity',
  locationCountry: 'Location',
  mechanism: 'Transfer mechanism',
  merchant: 'Merchant',
  merchantId: 'Merchant',
  module: 'SCC module',
  name: 'Name',
  newPassword: 'New password',
  nextReviewOn: 'Next review',
  note: 'Note',
  objectionWindowDays: 'Objection window (days)',
  outcome: 'Outcome',
  password: 'Password',
  period: 'Period',
  processingCountries: 'Processing countries',
  processingNature: 'Nature of processing',
  provider: 'Provider',
  purpose: 'Purpose',
  purposeId: 'Purpose',
  q: 'Search',
  reason: 'Reason',
  reference: 'Reference',
  report: 'Report',
  retentionDays: 'Retention (days)',
  retentionNote: 'Retention note',
  reviewedOn: 'Reviewed on',
  riskRating: 'Risk rating',
  role: 'Role',
  scope: 'Key scope',
  scopes: 'Scopes',
  securityMeasures: 'Security measures',
  sensitivity: 'Sensitivity',
  service: 'Service',
  signedOn: 'Signed on',
  special: 'Special category',
  specialCategory: 'Special category',
  state: 'State',
  status: 'Status',
  step1Transfers: 'Step 1: the transfers',
  step2Tool: 'Step 2: the transfer tool',
  step3Assessment: 'Step 3: the law and practice',
  step4Measures: 'Step 4: supplementary measures',
  step5Procedural: 'Step 5: procedural steps',
  step6Reevaluation: 'Step 6: re-evaluation',
  subjectIds: 'Data subjects',
  subprocessorId: 'Subprocessor',
  summary: 'Summary',
  supervisoryAuthority: 'Supervisory authority',
  supplementaryMeasures: 'Supplementary measures',
  systemId: 'System',
  systemIds: 'Systems',
  title: 'Title',
  to: 'To',
  transferFrequency: 'Transfer frequency',
  transferMechanism: 'Transfer mechanism',
  website: 'Website',
}

/** Messages in the words of someone filling a form; `{{ field }}` is the label above. */
const MESSAGES: Record<string, string> = {
  'required': '{{ field }} is required.',
  'string': '{{ field }} must be text.',
  'email': 'Enter a valid e-mail address, like name@example.com.',
  'regex': '{{ field }} is not in the expected format.',
  'url': '{{ field }} must be a full address, like https://example.com.',
  'minLength': '{{ field }} needs at least {{ min }} characters.',
  'maxLength': '{{ field }} can hold at most {{ max }} characters; shorten it.',
  'fixedLength': '{{ field }} must be exactly {{ size }} characters.',
  'in': '{{ field }}: choose one of the listed options.',
  'enum': '{{ field }}: choose one of the listed options.',
  'boolean': '{{ field }}: tick the box or leave it empty.',
  'number': '{{ field }} must be a number.',
  'min': '{{ field }} must be at least {{ min }}.',
  'max': '{{ field }} must be at most {{ max }}.',
  'range': '{{ field }} must be between {{ min }} and {{ max }}.',
  'positive': '{{ field }} must be a positive number.',
  'withoutDecimals': '{{ field }} must be a whole number.',
  'array': '{{ field }}: choose from the list.',
  'array.minLength': '{{ field }}: choose at least {{ min }}.',
  'array.maxLength': '{{ field }}: choose at most {{ max }}.',
  'distinct': '{{ field }} lists the same entry twice.',
  'object': '{{ field }} is not in the expected shape.',
  'date': '{{ field }} must be a date (YYYY-MM-DD).',
  'date.after': '{{ field }} must be after {{ expectedValue }}.',
  'date.before': '{{ field }} must be before {{ expectedValue }}.',
  'date.afterOrEqual': '{{ field }} must be {{ expectedValue }} or later.',
  'date.beforeOrEqual': '{{ field }} cannot be later than {{ expectedValue }}.',
  'date.afterField': '{{ field }} must be after {{ otherField }}.',
  'date.afterOrSameAs': '{{ field }} must be on or after {{ otherField }}.',
  'date.beforeField': '{{ field }} must be before {{ otherField }}.',
  'date.beforeOrSameAs': '{{ field }} must be on or before {{ otherField }}.',
}

/** "aiAbuseLogRetentionDays" → "Ai abuse log retention days", for a field nobody labelled. */
function humanize(name: string) {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

export function fieldLabel(name: string) {
  return FIELD_LABELS[name] ?? humanize(name)
}

/** An array member is named by its list: "Data categories (entry 2)". */
function labelOf(field: FieldContext) {
  const path = field.wildCardPath.split('.').filter((part) => part !== '*')
  const own = path.at(-1) ?? String(field.name)
  const label = fieldLabel(own)
  return field.isArrayMember ? `${label} (entry ${Number(field.name) + 1})` : label
}

function sentenceCase(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * The app-wide VineJS messages provider. Rules without a message here keep their own (custom
 * rules such as the country rule already word theirs for users).
 */
export class ConsoleMessagesProvider implements MessagesProviderContact {
  constructor(private overrides: Record<string, string> = {}) {}

  getMessage(rawMessage: string, rule: string, field: FieldContext, args?: Record<string, any>) {
    const path = field.wildCardPath
    const template =
      this.overrides[`${path}.${rule}`] ??
      this.overrides[path] ??
      MESSAGES[rule] ??
      (rawMessage.includes('{{ field }}') ? rawMessage : null)
    if (!template) return rawMessage
    const label = labelOf(field)
    const values: Record<string, unknown> = { ...args, field: label }
    if (args?.otherField) values.otherField = fieldLabel(String(args.otherField))
    const message = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key) => String(values[key] ?? ''))
    return sentenceCase(message)
  }
}
