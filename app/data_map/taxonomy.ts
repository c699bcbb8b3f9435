import { TRANSFER_MECHANISMS } from '#vendors/models/subprocessor'

/*
 * The data map's fixed vocabulary. Purpose codes come from DESIGN.md §5; the prohibited ones are
 * also refused by the database (migration 5500), so this list and that check must agree.
 */
export const ALLOWED_PURPOSE_CODES = [
  'service.delivery',
  'service.ai_assistance',
  'service.order_processing',
  'service.human_handoff',
  'security',
  'legal.obligation',
] as const

export const PROHIBITED_PURPOSE_CODES = [
  'marketing.advertising',
  'ai.model_training',
  'profiling.cross_merchant',
  'data.sale',
] as const

export function isProhibitedPurpose(code: string) {
  return (PROHIBITED_PURPOSE_CODES as readonly string[]).includes(code)
}

export const SENSITIVITIES = ['low', 'medium', 'high'] as const
export type Sensitivity = (typeof SENSITIVITIES)[number]

export const SYSTEM_KINDS = [
  'database',
  'cache',
  'file_storage',
  'external_api',
  'channel',
  'kms',
] as const
export type SystemKind = (typeof SYSTEM_KINDS)[number]

/** `domestic` = the data stays in the processor's own country (Egypt); the rest are the vendor register's. */
export const FLOW_MECHANISMS = ['domestic', ...TRANSFER_MECHANISMS] as const
export type FlowMechanism = (typeof FLOW_MECHANISMS)[number]

export const RETENTION_STARTS = [
  'created_at',
  'last_activity_at',
  'closed_at',
  'account_terminated_at',
] as const
export type RetentionStart = (typeof RETENTION_STARTS)[number]

/** Dot-path taxonomy codes: `customer.contact.phone`. */
export const CATEGORY_CODE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/
export const SIMPLE_CODE_PATTERN = /^[a-z][a-z0-9_.]*$/
