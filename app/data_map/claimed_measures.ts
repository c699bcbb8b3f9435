import { existsSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/*
 * The registry of measures the hub's documents claim (RoPA Art. 30(2)(d), SCC Annex II, TIAs,
 * ARCHITECTURE.md). Each claim names the module that implements it; a document prints the claim
 * only while that module exists, and free text that states a claim whose module does not exist
 * yet is held back (`withoutUnbackedClaims`). A new module switches its claims on by existing.
 */

export interface ClaimedMeasure {
  id: string
  /** The wording documents print. */
  text: string
  /**
   * What implements it, under `app/`: a module, or the folder or file of a module that is only
   * partly built (the conversation module's AI layer exists before its webhooks).
   */
  module: string
  /** Phrases that state this measure as fact, matched in free text (seeds, console entries). */
  patterns: RegExp[]
  /** Printed among the platform-wide measures of the RoPA and Annex II. */
  platform: boolean
}

export const CLAIMED_MEASURES: ClaimedMeasure[] = [
  {
    id: 'field_encryption',
    text: 'Personal data encrypted at rest with AES-256-GCM under keys wrapped by a per-merchant KMS key',
    module: 'keys',
    patterns: [/AES-256-GCM/i],
    platform: true,
  },
  {
    id: 'crypto_shredding',
    text: 'Erasure by crypto-shredding of subject and merchant keys',
    module: 'keys',
    patterns: [/crypto-shred/i],
    platform: true,
  },
  {
    id: 'access_control',
    text: 'Role-based access control with mandatory MFA for staff; merchant data isolated per tenant',
    module: 'access',
    patterns: [/role-based access control/i],
    platform: true,
  },
  {
    id: 'login_limits',
    text: 'Sign-in attempts rate-limited',
    module: 'access',
    patterns: [/login rate limiting/i, /rate-limited/i],
    platform: true,
  },
  {
    id: 'audit_chain',
    text: 'Append-only, hash-chained audit trail of access and changes, verifiable with audit:verify',
    module: 'audit',
    patterns: [/hash-chained audit trail/i],
    platform: true,
  },
  {
    id: 'retention_purge',
    text: 'Retention rules per data category, enforced by a daily purge that leaves evidence',
    module: 'data_map',
    patterns: [/retention rules? .*enforced/i],
    platform: true,
  },
  {
    id: 'subprocessor_notice',
    text: 'Subprocessors bound by written contracts with the same duties (Cl. 9(b)); changes announced with an objection window of at least 30 days and applied only after it closes',
    module: 'vendors',
    patterns: [/objection window/i],
    platform: true,
  },
  {
    id: 'webhook_signatures',
    text: 'Webhook signatures verified (X-Hub-Signature-256)',
    module: 'conversations/webhooks',
    patterns: [/webhook signature/i, /X-Hub-Signature/i],
    platform: false,
  },
  {
    id: 'minimisation',
    text: 'Phone numbers, e-mails, card and national ID numbers replaced by placeholders before every AI call',
    module: 'conversations/ai/minimization.ts',
    patterns: [/placeholder/i, /\bminimi[sz](ed|es|ation|e)\b/i],
    platform: false,
  },
  {
    id: 'purpose_guard',
    text: 'Purpose guard before every AI call',
    module: 'conversations/guards',
    patterns: [/purpose guard/i],
    platform: false,
  },
  {
    id: 'messaging_window',
    text: '24-hour window and opt-outs enforced before any reply',
    module: 'conversations/outbox',
    patterns: [/24-hour window/i, /opt-outs? (are |is )?enforced/i],
    platform: false,
  },
  {
    id: 'agent_isolation',
    text: 'Agents see only their own merchant’s conversations',
    module: 'conversations/inbox',
    patterns: [/agents see only/i],
    platform: false,
  },
  {
    id: 'dsr_location',
    text: 'Assistance with data-subject requests: requests are located across every mapped table and answered on the exporter’s instruction (Cl. 10)',
    module: 'dsr/execution',
    patterns: [/located across every mapped table/i, /subject-data locator/i],
    platform: true,
  },
  {
    id: 'breach_notice',
    text: 'Breach notification to the exporter without undue delay (Cl. 8.6)',
    module: 'breaches',
    patterns: [/breach notification/i],
    platform: true,
  },
  {
    id: 'government_request_register',
    text: 'Government requests: legality assessed, challenged where appropriate, minimum disclosure, exporter notified, every request recorded in a register (Cl. 15)',
    module: 'government_requests',
    patterns: [
      /government-request (register|policy)/i,
      /challenge, minimi[sz]e, notify/i,
      /requests?: legality assessed/i,
    ],
    platform: true,
  },
  {
    id: 'transparency_reports',
    text: 'Semi-annual transparency report on authority requests',
    module: 'government_requests',
    patterns: [/transparency report/i],
    platform: true,
  },
]

const byId = new Map(CLAIMED_MEASURES.map((claim) => [claim.id, claim]))

/** Modules switched on (or off) for tests; production asks the file system only. */
const simulated = new Set<string>()
const absent = new Set<string>()

const within = (set: Set<string>, module: string) =>
  [...set].some((m) => module === m || module.startsWith(`${m}/`))

export function moduleExists(module: string) {
  if (within(absent, module)) return false
  return within(simulated, module) || existsSync(app.makePath('app', module))
}

export function claimNamed(id: string) {
  const found = byId.get(id)
  if (!found) throw new Error(`Unknown claimed measure "${id}"`)
  return found
}

/** Whether the claim's module exists, so the claim may be printed as fact. */
export function isBacked(id: string) {
  return moduleExists(claimNamed(id).module)
}

/** Claims whose module does not exist yet. */
export function unbackedClaims() {
  return CLAIMED_MEASURES.filter((c) => !moduleExists(c.module))
}

/** The unbacked claims a piece of free text states. */
export function unbackedClaimsIn(text: string) {
  return unbackedClaims().filter((c) => c.patterns.some((pattern) => pattern.test(text)))
}

/** The platform-wide measures that may be printed today. */
export function platformMeasures() {
  return CLAIMED_MEASURES.filter((c) => c.platform && moduleExists(c.module)).map((c) => c.text)
}

/**
 * Measures for a document: free-text entries that state an unbacked claim are held back,
 * blanks and duplicates dropped (case and spacing ignored), stray separators trimmed.
 */
export function withoutUnbackedClaims(measures: string[]) {
  const seen = new Set<string>()
  const kept: string[] = []
  for (const raw of measures) {
    const text = raw.replace(/^[\s;,.]+|[\s;,]+$/g, '').replace(/\s+/g, ' ')
    const key = text.toLowerCase()
    if (!text || seen.has(key) || unbackedClaimsIn(text).length) continue
    seen.add(key)
    kept.push(text)
  }
  return kept
}

/** For tests: pretend `module` exists until the returned function is called. */
export function simulateModule(module: string) {
  simulated.add(module)
  return () => simulated.delete(module)
}

/** For tests: pretend `module` is not built yet, until the returned function is called. */
export function simulateAbsentModule(module: string) {
  absent.add(module)
  return () => absent.delete(module)
}
