/*
 * Every report kind the hub can produce, by its stable name.
 *
 * To add a kind:
 *   1. Write a builder module whose default export is a `ReportBuilder`: it reads what it needs
 *      and returns `ReportContent` made with the helpers in `#reports/content` (heading,
 *      paragraph, keyValues, table, barChart, pageBreak). It never touches pdfkit: the shared
 *      layout adds title, organisation, generated at/by, "Page x of y" and the document id.
 *      Put it in your own module, e.g. `app/vendors/reports/subprocessor_list.ts`.
 *   2. Add one entry below: title, the permission needed to download it (add that permission
 *      to the right roles in `app/access/roles.ts`), whether it takes `--merchant`/`--period`,
 *      and `build: () => import('#your_module/reports/x')`.
 * The kind then appears in the console's reports page, `node ace reports:generate <kind>`, the
 * `reports.generate` job, and is stored, signed and verifiable like every other report.
 */
import type Merchant from '#merchants/models/merchant'
import type { ReportContent } from '#reports/content'
import type { AuditActor } from '#audit/services/audit_trail'

export interface ReportBuildContext {
  /** Set when the kind takes a merchant (`merchant: 'optional' | 'required'`). */
  merchant?: Merchant
  /** Validated against `PERIOD_FORMAT`; see `periodRange()` in `#reports/period`. */
  period?: string
  /**
   * Set when the kind is about one record (`record: 'required'`), as its module names it: a case
   * reference (`GR-2026-0001`) or, for records without one, the id (`recordId()` reads it).
   */
  record?: string
  /** Who asked for it, as printed on the report (a name or "system"); never an e-mail. */
  generatedBy: string
  /** Who the build acts for, for builders that audit their reads of personal data. */
  actor?: AuditActor
  /** 0–100 within the build step, shown on the console's progress bar for long builds. */
  progress: (percent: number) => Promise<void>
}

export type ReportBuilder = (ctx: ReportBuildContext) => Promise<ReportContent>

export type ArgumentUse = 'none' | 'optional' | 'required'

/** The id a record argument names, or null when it names none (builders then report "not found"). */
export function recordId(record: string | undefined) {
  return record && /^[1-9]\d{0,9}$/.test(record) ? Number(record) : null
}

export interface ReportKindDefinition {
  title: string
  /** One line for the console's generate form. */
  description: string
  /** Permission needed to download (and generate) this kind, on top of `reports:read`. */
  permission: string
  merchant: ArgumentUse
  period: ArgumentUse
  /** Whether it is about one record (`--case <reference>`: a government request, an erasure); absent = none. */
  record?: ArgumentUse
  /**
   * `platform`: the stored file is sealed under the platform key even for a merchant's report, so
   * it outlives the merchant's keys (a termination certificate).
   */
  sealedUnder?: 'platform'
  build: () => Promise<{ default: ReportBuilder }>
}

export const reportRegistry = {
  'access-review': {
    title: 'Access-control review',
    description: 'Users, roles, MFA status, last login and API tokens, for periodic review.',
    permission: 'access_review:read',
    merchant: 'optional',
    period: 'none',
    build: () => import('#reports/kinds/access_review'),
  },
  'ropa': {
    title: 'Record of processing activities',
    description: 'GDPR Art. 30(2) processor record from the data map, overall or for one merchant.',
    permission: 'ropa:read',
    merchant: 'optional',
    period: 'none',
    build: () => import('#data_map/reports/ropa'),
  },
  'key-management': {
    title: 'Key management',
    description:
      'KMS keys per merchant, data key versions, rotations and destructions; no key material.',
    permission: 'keys:read',
    merchant: 'optional',
    period: 'none',
    build: () => import('#keys/reports/key_management'),
  },
  'subprocessors': {
    title: 'Subprocessor list',
    description:
      'The subprocessor register with transfer compliance, objections and change notices.',
    permission: 'vendors:read',
    merchant: 'none',
    period: 'none',
    build: () => import('#vendors/reports/subprocessor_list'),
  },
  'scc-annexes': {
    title: 'SCC Annexes I–III',
    description:
      'Parties, transfer description, TOMs and subprocessors of each active SCC agreement, from the registers.',
    permission: 'scc:read',
    merchant: 'optional',
    period: 'none',
    build: () => import('#vendors/reports/scc_annexes'),
  },
  'tia': {
    title: 'Transfer impact assessments',
    description: 'Approved TIAs per destination country with the six EDPB 01/2020 steps.',
    permission: 'tia:read',
    merchant: 'none',
    period: 'none',
    build: () => import('#vendors/reports/tia'),
  },
  'audit-evidence': {
    title: 'Audit evidence pack',
    description:
      'Chain verification verdict, event counts per action, denials and the events in scope.',
    permission: 'audit:read',
    merchant: 'optional',
    period: 'optional',
    build: () => import('#audit/reports/audit_evidence'),
  },
  'ai-processing': {
    title: 'AI processing',
    description:
      'AI calls per merchant and period: providers, subprocessors, guard denials, redactions, latency.',
    permission: 'ai_logs:read',
    merchant: 'optional',
    period: 'optional',
    build: () => import('#conversations/reports/ai_processing'),
  },
  'government-request': {
    title: 'Government request record',
    description:
      'One authority request: intake, assessment, decisions and approvals, disclosures as hashes, notices and its timeline.',
    permission: 'government_requests:read',
    merchant: 'none',
    period: 'none',
    record: 'required',
    build: () => import('#government_requests/reports/government_request'),
  },
  'government-refusal': {
    title: 'Refusal of an authority request',
    description: 'The reasoned refusal letter of a rejected authority request.',
    permission: 'government_requests:read',
    merchant: 'none',
    period: 'none',
    record: 'required',
    build: () => import('#government_requests/reports/refusal_letter'),
  },
  'government-challenge': {
    title: 'Challenge of an authority request',
    description:
      'The notice to the authority that a request is being challenged (SCC Cl. 15.2), with its grounds.',
    permission: 'government_requests:read',
    merchant: 'none',
    period: 'none',
    record: 'required',
    build: () => import('#government_requests/reports/challenge_letter'),
  },
  'transparency': {
    title: 'Transparency report',
    description:
      'Half-yearly figures on authority requests by country, authority, instrument and outcome; small counts banded.',
    permission: 'transparency:read',
    merchant: 'none',
    period: 'required',
    build: () => import('#government_requests/reports/transparency'),
  },
  'dsr-case': {
    title: 'DSR case report',
    description:
      'One data-subject request: what was asked, the Art. 12(3) deadlines, what was done, the evidence issued and the timeline.',
    permission: 'dsr_certificates:read',
    merchant: 'required',
    period: 'none',
    record: 'required',
    build: () => import('#dsr/reports/dsr_case'),
  },
  'deletion-certificate': {
    title: 'Deletion certificate',
    description:
      'What a DSR erasure removed, per system, with evidence hashes and subprocessor notes.',
    permission: 'dsr_certificates:read',
    merchant: 'required',
    period: 'none',
    record: 'required',
    build: () => import('#dsr/reports/deletion_certificate'),
  },
  'dsr-access-report': {
    title: 'Access report (GDPR Art. 15)',
    description:
      'Purposes, categories, recipients, retention, transfers, source and automated decisions for one access request.',
    permission: 'dsr_certificates:read',
    merchant: 'required',
    period: 'none',
    record: 'required',
    build: () => import('#dsr/reports/access_report'),
  },
  'termination-certificate': {
    title: 'Termination certificate',
    description:
      'What ending a merchant’s service returned, shredded and purged; sealed and signed under the platform key.',
    permission: 'dsr_certificates:read',
    merchant: 'required',
    period: 'none',
    record: 'required',
    sealedUnder: 'platform',
    build: () => import('#dsr/reports/termination_certificate'),
  },
} satisfies Record<string, ReportKindDefinition>

export type ReportKind = keyof typeof reportRegistry

const kinds: Record<string, ReportKindDefinition> = reportRegistry

export function isReportKind(name: string): name is ReportKind {
  return Object.hasOwn(kinds, name)
}

export function reportKind(name: string): ReportKindDefinition | undefined {
  return isReportKind(name) ? kinds[name] : undefined
}

export function reportKinds(): Array<{ kind: ReportKind } & ReportKindDefinition> {
  return (Object.keys(kinds) as ReportKind[]).map((kind) => ({ kind, ...kinds[kind] }))
}
