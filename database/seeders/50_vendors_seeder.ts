import { DateTime } from 'luxon'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import db from '@adonisjs/lucid/services/db'
import Merchant from '#merchants/models/merchant'
import Subprocessor, { type AiTerms, type TransferMechanism } from '#vendors/models/subprocessor'
import SccAgreement, { type SccModule } from '#vendors/models/scc_agreement'
import SccParty from '#vendors/models/scc_party'
import TransferImpactAssessment, {
  type RiskRating,
  type SupplementaryMeasure,
} from '#vendors/models/transfer_impact_assessment'
import changeNotices from '#vendors/services/change_notices'
import { dueStateOf } from '#vendors/services/transfer_assessments'
import { runJob } from '#core/queue'

/*
 * The vendor picture from the privacy policy (shared/seed/privacy-policy.txt): OpenAI as the AI
 * provider, the cloud/KMS host, Meta as the channel; the Module 2 SCCs merchants accede to and
 * the Module 3 SCCs with OpenAI and the cloud host; TIAs for Egypt and the US. Idempotent:
 * rows are matched by name, reference or country and left alone when present.
 */

/* Annex I.A prints the hub's address and DPO from the environment (PROCESSOR_ADDRESS, DPO_*). */
const CONVERSERA = {
  name: 'Conversera Technologies',
  address: 'Cairo, Egypt',
  countryCode: 'EG',
  contact: 'Data Protection Officer, privacy@conversera.io',
}

interface VendorSeed {
  name: string
  legalEntity: string
  service: string
  purpose: string
  dataCategories: string[]
  processingCountries: string[]
  transferMechanism: TransferMechanism
  dpaSignedOn: string
  website: string
  aiTerms: AiTerms | null
  address: string
  privacyContact: string
  /** Only for vendors relying on the DPF: the list entry and the date it was checked. */
  dpf?: { entry: string; certifiedOn: string }
}

const VENDORS: VendorSeed[] = [
  {
    name: 'OpenAI',
    legalEntity: 'OpenAI, L.L.C. (San Francisco, USA)',
    service: 'AI model API',
    purpose:
      'Classifying customer intents, extracting order details and drafting replies from message text, on behalf of each merchant.',
    dataCategories: ['customer.content.message', 'customer.ai.intent', 'customer.commerce.order'],
    processingCountries: ['US'],
    transferMechanism: 'scc_module_3',
    dpaSignedOn: '2026-01-12',
    website: 'https://openai.com/policies/data-processing-addendum',
    address: '1455 3rd Street, San Francisco, CA 94158, USA',
    privacyContact: 'Privacy team, privacy@openai.com',
    aiTerms: {
      trainsOnCustomerData: false,
      abuseLogRetentionDays: 30,
      zeroDataRetention: false,
      notes:
        'API data is not used for training (since 1 March 2023, no opt-in given). Abuse-monitoring logs kept up to 30 days; Zero Data Retention not yet approved. Also certified under the EU-US DPF; the SCCs are relied on.',
    },
  },
  {
    name: 'Amazon Web Services',
    legalEntity: 'Amazon Web Services EMEA SARL (Luxembourg)',
    service: 'Cloud hosting, storage and key management (KMS)',
    purpose:
      'Hosting the hub database, job queues, files and the per-merchant KMS keys in the eu-central-1 (Frankfurt) region; US staff access only for support under the AWS DPA.',
    dataCategories: [
      'customer.contact.phone',
      'customer.contact.email',
      'customer.identity.profile_name',
      'customer.identity.channel_id',
      'customer.content.message',
      'customer.content.media',
      'customer.commerce.order',
      'customer.commerce.address',
      'merchant.user.account',
    ],
    processingCountries: ['DE', 'US'],
    transferMechanism: 'scc_module_3',
    dpaSignedOn: '2026-01-08',
    website: 'https://aws.amazon.com/compliance/gdpr-center/',
    address: '38 Avenue John F. Kennedy, L-1855 Luxembourg',
    privacyContact: 'AWS EMEA privacy, aws-EU-privacy@amazon.com',
    aiTerms: null,
  },
  {
    name: 'Meta Platforms',
    legalEntity: 'Meta Platforms Ireland Ltd / Meta Platforms, Inc.',
    service: 'WhatsApp Cloud API and Instagram Messaging (the channel)',
    purpose:
      'Delivering messages between merchants and their customers on WhatsApp and Instagram, under the WhatsApp Business Solution Terms.',
    dataCategories: [
      'customer.contact.phone',
      'customer.identity.profile_name',
      'customer.identity.channel_id',
      'customer.content.message',
      'customer.content.media',
    ],
    processingCountries: ['IE', 'US'],
    transferMechanism: 'dpf',
    dpaSignedOn: '2026-01-05',
    website: 'https://www.whatsapp.com/legal/business-solution-terms',
    address: 'Merrion Road, Dublin 4, D04 X2K5, Ireland',
    privacyContact:
      'Data Protection Officer, Meta Platforms Ireland Ltd (contact form linked from Meta’s privacy policy)',
    dpf: {
      entry:
        'Meta Platforms, Inc.: Data Privacy Framework List, https://www.dataprivacyframework.gov/list',
      certifiedOn: '2026-01-05',
    },
    aiTerms: null,
  },
]

interface TiaSeed {
  countryCode: string
  title: string
  riskRating: RiskRating
  reviewedOn: string
  nextReviewOn: string
  measures: SupplementaryMeasure[]
  steps: [string, string, string, string, string, string]
}

const TIAS: TiaSeed[] = [
  {
    countryCode: 'EG',
    title: 'Transfers from merchants to Conversera in Egypt',
    riskRating: 'medium',
    reviewedOn: '2025-12-15',
    nextReviewOn: '2026-12-15',
    measures: [
      'encryption_in_transit',
      'encryption_at_rest',
      'access_controls',
      'government_request_policy',
      'transparency_reports',
    ],
    steps: [
      'Merchants (controllers) send customer conversations, contact details and orders to Conversera (processor) in Cairo. Onward transfers: OpenAI (US), AWS (DE/US), Meta (IE/US), all in the subprocessor register.',
      'SCCs Module 2 (Decision 2021/914), merchants accede under Clause 7. Egypt has no EU adequacy decision; Art. 49 derogations are not used for regular transfers.',
      'PDPL 151/2020 and its Executive Regulations (2025) give data-subject rights and a regulator (PDPC); disclosure requests must be written and from a party with standing (Art. 10). Broad national-security access powers exist with limited independent oversight; assessed as a material but manageable risk.',
      'Field-level encryption with per-merchant KMS keys held in the EU region; personal data readable only inside the application. Authority requests go through the hub’s government-request register (app/government_requests): each is assessed for its legal basis, refused, challenged or narrowed where it is unlawful or overbroad, answered with the minimum fields under a decision approved by a second person, and notified to the merchant unless a gag order defers it; a semi-annual transparency report is published.',
      'SCCs incorporated unchanged into the DPA; Clause 15 commitments (notice, legality review, minimum disclosure, records) are kept in the government-request register, owned by legal counsel and the DPO.',
      'Annual review, and at once on any change to Egyptian law (PDPL regulations, PDPC licensing) or on a government request.',
    ],
  },
  {
    countryCode: 'US',
    title: 'Onward transfers to the United States (OpenAI, AWS support, Meta)',
    riskRating: 'medium',
    reviewedOn: '2026-01-12',
    nextReviewOn: '2027-01-12',
    measures: ['encryption_in_transit', 'zero_retention', 'contractual_audit'],
    steps: [
      'Message text to OpenAI for intent classification and reply drafting; AWS US staff support access to EU-hosted systems; Meta US infrastructure for the channel.',
      'SCCs Module 3 with OpenAI and AWS; Meta and OpenAI also certified under the EU-US Data Privacy Framework.',
      'FISA s.702 and EO 12333 can reach electronic communication service providers; EO 14086 adds necessity/proportionality and the Data Protection Review Court. Risk assessed as medium for message text.',
      'TLS 1.2+; OpenAI does not train on API data and keeps abuse logs at most 30 days; keys stay in the EU KMS. Identifiers are not yet removed before AI calls: that step comes with the conversation module and this assessment is to be reviewed then.',
      'Module 3 SCCs signed with each US importer; sub-processing flowed down (Cl. 9(b)).',
      'Annual review, and on any change to FISA s.702, the DPF, or a provider’s retention or training terms.',
    ],
  },
]

export default class VendorsSeeder extends BaseSeeder {
  async run() {
    const merchants = await Merchant.query().whereNot('status', 'terminated').orderBy('id')
    const vendors = new Map<string, Subprocessor>()
    for (const seed of VENDORS) vendors.set(seed.name, await this.vendor(seed))

    const module2 = await this.agreement({
      reference: 'SCC-M2-2026-01',
      title: 'Merchants to Conversera: controller-to-processor SCCs',
      module: 2,
      signedOn: '2026-01-10',
      processingNature:
        'Storage, AI-assisted classification and reply drafting, order processing, routing to human agents and security monitoring of customer conversations, on the merchant’s documented instructions.',
      subprocessor: null,
    })
    await this.party(module2, {
      side: 'importer',
      role: 'processor',
      ...CONVERSERA,
      activities: 'Operating the Conversera conversational commerce platform for the merchant.',
      joinedOn: '2026-01-10',
    })
    for (const merchant of merchants) {
      await this.party(module2, {
        side: 'exporter',
        role: 'controller',
        name: merchant.legalName,
        address: merchant.countryCode === 'EG' ? 'Egypt' : merchant.countryCode,
        countryCode: merchant.countryCode,
        contact: 'Merchant administrator, via the Conversera merchant portal',
        activities: 'Selling to its customers over WhatsApp and Instagram using Conversera.',
        merchantId: merchant.id,
        joinedVia: 'accession',
        joinedOn: '2026-02-01',
      })
    }

    for (const [name, reference, signedOn, activities] of [
      ['OpenAI', 'SCC-M3-2026-OPENAI', '2026-01-12', 'AI model inference on message text.'],
      [
        'Amazon Web Services',
        'SCC-M3-2026-AWS',
        '2026-01-08',
        'Cloud hosting, storage and key management.',
      ],
    ] as const) {
      const vendor = vendors.get(name)!
      const agreement = await this.agreement({
        reference,
        title: `Conversera to ${name}: processor-to-processor SCCs`,
        module: 3,
        signedOn,
        processingNature: vendor.purpose,
        subprocessor: vendor,
      })
      await this.party(agreement, {
        side: 'exporter',
        role: 'processor',
        ...CONVERSERA,
        activities: 'Processor for its merchants, engaging a subprocessor.',
        joinedOn: signedOn,
      })
      await this.party(agreement, {
        side: 'importer',
        role: 'processor',
        name: vendor.legalEntity ?? vendor.name,
        address: 'United States',
        countryCode: 'US',
        contact: 'Privacy team, via the provider’s DPA contact',
        activities,
        subprocessorId: vendor.id,
        joinedOn: signedOn,
      })
    }

    for (const tia of TIAS) await this.tia(tia)
  }

  /** Creates the vendor as effective, with the addition notice merchants were sent at the time. */
  private async vendor(seed: VendorSeed) {
    const existing = await Subprocessor.query().whereILike('name', seed.name).first()
    if (existing) return existing
    const dpa = DateTime.fromISO(seed.dpaSignedOn, { zone: 'utc' })
    const published = dpa.plus({ days: 1 }).set({ hour: 9 })
    const { vendor, notice } = await db.transaction(async (trx) => {
      const { dpf, ...fields } = seed
      const created = await Subprocessor.create(
        {
          ...fields,
          dpfCertificationEntry: dpf?.entry ?? null,
          dpfCertifiedOn: dpf ? DateTime.fromISO(dpf.certifiedOn, { zone: 'utc' }) : null,
          dpaSignedOn: dpa,
          status: 'effective',
          effectiveAt: published.plus({ days: 30 }),
        },
        { client: trx }
      )
      const addition = await changeNotices.publish(
        created,
        'addition',
        { publishedAt: published },
        trx
      )
      return { vendor: created, notice: addition }
    })
    await runJob('vendors.send_change_notice_emails', { noticeId: notice.id })
    return vendor
  }

  private async agreement(seed: {
    reference: string
    title: string
    module: SccModule
    signedOn: string
    processingNature: string
    subprocessor: Subprocessor | null
  }) {
    return SccAgreement.firstOrCreate(
      { reference: seed.reference },
      {
        title: seed.title,
        module: seed.module,
        signedOn: DateTime.fromISO(seed.signedOn, { zone: 'utc' }),
        status: 'active',
        dockingClause: true,
        governingLawCountry: 'IE',
        // Clause 13(a): no exporter is in the EU and none has an Art. 27 representative
        supervisoryAuthority:
          'The supervisory authority of the Member State where the data subjects are located',
        transferFrequency: 'Continuous',
        processingNature: seed.processingNature,
        subprocessorId: seed.subprocessor?.id ?? null,
      }
    )
  }

  private async party(
    agreement: SccAgreement,
    seed: {
      side: 'exporter' | 'importer'
      role: 'controller' | 'processor'
      name: string
      address: string
      countryCode: string
      contact: string
      activities: string
      merchantId?: number
      subprocessorId?: number
      joinedVia?: 'signature' | 'accession'
      joinedOn: string
    }
  ) {
    const existing = await SccParty.query()
      .where({ agreementId: agreement.id, side: seed.side, name: seed.name })
      .first()
    if (existing) return existing
    return SccParty.create({
      agreementId: agreement.id,
      ...seed,
      merchantId: seed.merchantId ?? null,
      subprocessorId: seed.subprocessorId ?? null,
      joinedVia: seed.joinedVia ?? 'signature',
      joinedOn: DateTime.fromISO(seed.joinedOn, { zone: 'utc' }),
    })
  }

  private async tia(seed: TiaSeed) {
    const existing = await TransferImpactAssessment.query()
      .where({ countryCode: seed.countryCode })
      .first()
    if (existing) return existing
    const [step1, step2, step3, step4, step5, step6] = seed.steps
    const nextReviewOn = DateTime.fromISO(seed.nextReviewOn, { zone: 'utc' })
    return TransferImpactAssessment.create({
      countryCode: seed.countryCode,
      title: seed.title,
      status: 'approved',
      step1Transfers: step1,
      step2Tool: step2,
      step3Assessment: step3,
      step4Measures: step4,
      step5Procedural: step5,
      step6Reevaluation: step6,
      riskRating: seed.riskRating,
      supplementaryMeasures: seed.measures,
      reviewedOn: DateTime.fromISO(seed.reviewedOn, { zone: 'utc' }),
      nextReviewOn,
      approvedAt: DateTime.fromISO(seed.reviewedOn, { zone: 'utc' }),
      dueState: dueStateOf(nextReviewOn),
      dueCheckedAt: DateTime.utc(),
    })
  }
}
