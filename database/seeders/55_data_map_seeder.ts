import logger from '@adonisjs/core/services/logger'
import { BaseSeeder } from '@adonisjs/lucid/seeders'
import Subprocessor, { type AiTerms, type TransferMechanism } from '#vendors/models/subprocessor'
import DataCategory from '#data_map/models/data_category'
import DataSubjectCategory from '#data_map/models/data_subject_category'
import Purpose from '#data_map/models/purpose'
import System from '#data_map/models/system'
import DataFlow from '#data_map/models/data_flow'
import ProcessingActivity from '#data_map/models/processing_activity'
import RetentionRule from '#data_map/models/retention_rule'
import {
  ALLOWED_PURPOSE_CODES,
  PROHIBITED_PURPOSE_CODES,
  type FlowMechanism,
  type RetentionStart,
  type Sensitivity,
  type SystemKind,
} from '#data_map/taxonomy'

/*
 * The real picture of the platform, from the privacy policy (shared/seed/privacy-policy.txt):
 * Conversera processes merchants' customer conversations from WhatsApp and Instagram (Meta is
 * the channel), classifies intents with an AI provider, processes orders, routes to humans and
 * monitors security; data is hosted with a cloud/KMS provider. Idempotent: rows are matched by
 * code and left untouched when present, so edits made in the console survive a re-seed.
 */

const CATEGORIES: Array<
  [
    code: string,
    name: string,
    sensitivity: Sensitivity,
    special: boolean,
    days: number,
    from: RetentionStart,
    basis: string,
  ]
> = [
  [
    'customer.contact.phone',
    'Customer phone number',
    'medium',
    false,
    730,
    'last_activity_at',
    'Needed to keep answering the customer on WhatsApp',
  ],
  [
    'customer.contact.email',
    'Customer e-mail address',
    'medium',
    false,
    730,
    'last_activity_at',
    'Given by the customer for order updates',
  ],
  [
    'customer.identity.profile_name',
    'Customer profile name',
    'medium',
    false,
    730,
    'last_activity_at',
    'Shown to merchant agents in handed-off conversations',
  ],
  [
    'customer.identity.channel_id',
    'WhatsApp ID / BSUID / Instagram-scoped ID',
    'medium',
    false,
    730,
    'last_activity_at',
    'Routes messages to the right customer',
  ],
  [
    'customer.content.message',
    'Conversation message text',
    'high',
    false,
    365,
    'last_activity_at',
    'Conversation history for the merchant; may contain anything the customer writes',
  ],
  [
    'customer.content.media',
    'Images, voice notes and files sent in conversations',
    'high',
    false,
    180,
    'created_at',
    'Order evidence; kept shorter than text',
  ],
  [
    'customer.commerce.order',
    'Orders and purchase enquiries',
    'medium',
    false,
    1095,
    'created_at',
    'Merchant order records and disputes',
  ],
  [
    'customer.commerce.address',
    'Delivery address',
    'medium',
    false,
    1095,
    'created_at',
    'Fulfilment of the order',
  ],
  [
    'customer.ai.intent',
    'Classified intent and extracted entities',
    'low',
    false,
    365,
    'created_at',
    'Routing and quality of the merchant’s service',
  ],
  [
    'customer.preferences.opt_out',
    'Messaging opt-out and restriction flags',
    'low',
    false,
    1825,
    'created_at',
    'Kept to keep honouring the opt-out',
  ],
  [
    'customer.profile.minor_indicator',
    'Suspected-minor indicator',
    'high',
    true,
    365,
    'last_activity_at',
    'Stops AI processing; all children’s data is sensitive under PDPL',
  ],
  [
    'merchant.user.account',
    'Merchant user account (name, e-mail, sign-in)',
    'medium',
    false,
    90,
    'account_terminated_at',
    'Account administration',
  ],
  [
    'merchant.controller.contact',
    'Controller contacts (DPO, Art. 27 representative, contact mailbox)',
    'low',
    false,
    90,
    'account_terminated_at',
    'Art. 30(2)(a) record of each controller served',
  ],
  [
    'staff.user.account',
    'Conversera staff account',
    'medium',
    false,
    90,
    'account_terminated_at',
    'Account administration',
  ],
  [
    'authority.officer.contact',
    'Contact of an authority officer (name, e-mail, phone)',
    'low',
    false,
    3650,
    'created_at',
    'Register of authority requests, kept for the contract term (SCC Cl. 15.1(d))',
  ],
  [
    'authority.request.subject',
    'Identifiers named in authority requests and the record of what was disclosed about whom',
    'high',
    false,
    3650,
    'created_at',
    'Register of authority requests, kept for the contract term (SCC Cl. 15.1(d))',
  ],
  [
    'security.access.event',
    'Sign-in and access events (IP address, user agent)',
    'low',
    false,
    365,
    'created_at',
    'Security monitoring and incident investigation',
  ],
]

const SUBJECTS: Array<[string, string, string]> = [
  ['customer', 'Merchants’ customers', 'People who message a merchant on WhatsApp or Instagram'],
  ['merchant_user', 'Merchant staff', 'Admins and agents of a merchant using the portal or API'],
  [
    'conversera_staff',
    'Conversera staff',
    'DPO, analysts, counsel, auditors and admins using the console',
  ],
]

const PURPOSE_NAMES: Record<string, string> = {
  'service.delivery': 'Delivering the merchant’s contracted messaging service',
  'service.ai_assistance':
    'AI assistance: classifying intents and drafting replies for the merchant',
  'service.order_processing': 'Processing orders and purchase enquiries',
  'service.human_handoff': 'Routing conversations between the AI and human agents',
  'security': 'Securing the platform and detecting abuse',
  'legal.obligation': 'Complying with a legal obligation',
  'marketing.advertising': 'Advertising or marketing (never allowed)',
  'ai.model_training': 'Training AI models on customer content (never allowed)',
  'profiling.cross_merchant': 'Profiling customers across merchants (never allowed)',
  'data.sale': 'Selling or sharing data (never allowed)',
}

type SubprocessorKey = 'cloud' | 'ai' | 'meta'

/* Matched by name; created (as in the privacy policy) only if the vendor register lacks them. */
const SUBPROCESSORS: Record<
  SubprocessorKey,
  {
    like: string[]
    name: string
    service: string
    purpose: string
    countries: string[]
    mechanism: TransferMechanism
    ai: AiTerms | null
  }
> = {
  cloud: {
    like: ['amazon%', 'aws%'],
    name: 'Amazon Web Services',
    service: 'Cloud hosting, storage and key management (KMS)',
    purpose:
      'Hosting the hub database, cache, files and encryption keys in Frankfurt; US staff access only for support',
    countries: ['DE', 'US'],
    mechanism: 'scc_module_3',
    ai: null,
  },
  ai: {
    like: ['openai%'],
    name: 'OpenAI',
    service: 'AI model API',
    purpose: 'Classifying intents and drafting replies from message text',
    countries: ['US'],
    mechanism: 'scc_module_3',
    ai: {
      trainsOnCustomerData: false,
      abuseLogRetentionDays: 30,
      zeroDataRetention: false,
      notes: 'API data is not used for training',
    },
  },
  meta: {
    like: ['meta%'],
    name: 'Meta Platforms',
    service: 'WhatsApp Cloud API and Instagram Messaging (the channel)',
    purpose: 'Delivering messages between merchants and their customers',
    countries: ['US', 'IE'],
    mechanism: 'dpf',
    ai: null,
  },
}

const SYSTEMS: Array<{
  code: string
  name: string
  kind: SystemKind
  country: string
  operator: SubprocessorKey | null
  description: string
  measures: string[]
}> = [
  {
    code: 'hub_postgres',
    name: 'Hub PostgreSQL',
    kind: 'database',
    country: 'DE',
    operator: 'cloud',
    description: 'System of record: customers, conversations, orders, cases, audit trail',
    // Field encryption, MFA, the audit chain and rate limits are platform measures, listed once
    measures: ['Encrypted storage volumes and backups', 'Private network only'],
  },
  {
    code: 'hub_redis',
    name: 'Hub Redis (queues)',
    kind: 'cache',
    country: 'DE',
    operator: 'cloud',
    description: 'Job queues and rate limits; payloads carry ids only',
    measures: ['Job payloads hold ids, never personal data', 'Private network only'],
  },
  {
    code: 'hub_file_storage',
    name: 'Hub file storage',
    kind: 'file_storage',
    country: 'DE',
    operator: 'cloud',
    description: 'Reports, exports and message media',
    measures: ['Files encrypted at rest', 'Signed, access-checked downloads'],
  },
  {
    code: 'cloud_kms',
    name: 'Cloud KMS',
    kind: 'kms',
    country: 'DE',
    operator: 'cloud',
    description: 'Per-merchant master keys that wrap data keys',
    measures: ['Keys never leave the KMS', 'Key deletion crypto-shreds a merchant'],
  },
  {
    code: 'ai_provider_api',
    name: 'AI provider API',
    kind: 'external_api',
    country: 'US',
    operator: 'ai',
    description: 'Intent classification and reply drafting',
    measures: [
      'Identifiers replaced by placeholders before every call',
      'No training on API data; abuse logs kept at most 30 days',
    ],
  },
  {
    code: 'meta_channel',
    name: 'Meta WhatsApp / Instagram channel',
    kind: 'channel',
    country: 'US',
    operator: 'meta',
    description: 'Inbound webhooks and outbound Graph API messages',
    measures: ['Webhook signatures verified (X-Hub-Signature-256)', 'TLS to the Graph API'],
  },
]

const FLOWS: Array<{
  name: string
  system: string
  to: SubprocessorKey
  country: string
  mechanism: FlowMechanism
  categories: string[]
}> = [
  {
    name: 'Database hosting',
    system: 'hub_postgres',
    to: 'cloud',
    country: 'DE',
    mechanism: 'scc_module_3',
    categories: [
      'customer.contact.phone',
      'customer.contact.email',
      'customer.identity.profile_name',
      'customer.identity.channel_id',
      'customer.content.message',
      'customer.commerce.order',
      'customer.commerce.address',
      'customer.ai.intent',
      'customer.preferences.opt_out',
      'customer.profile.minor_indicator',
      'merchant.user.account',
      'staff.user.account',
      'security.access.event',
    ],
  },
  {
    name: 'Queue hosting',
    system: 'hub_redis',
    to: 'cloud',
    country: 'DE',
    mechanism: 'scc_module_3',
    categories: [],
  },
  {
    name: 'File hosting',
    system: 'hub_file_storage',
    to: 'cloud',
    country: 'DE',
    mechanism: 'scc_module_3',
    categories: ['customer.content.media', 'customer.commerce.order'],
  },
  {
    name: 'Key wrapping (KMS)',
    system: 'cloud_kms',
    to: 'cloud',
    country: 'DE',
    mechanism: 'scc_module_3',
    categories: [],
  },
  {
    name: 'Message text to the AI provider',
    system: 'ai_provider_api',
    to: 'ai',
    country: 'US',
    mechanism: 'scc_module_3',
    categories: ['customer.content.message', 'customer.ai.intent'],
  },
  {
    name: 'Messages via the WhatsApp / Instagram channel',
    system: 'meta_channel',
    to: 'meta',
    country: 'US',
    mechanism: 'dpf',
    categories: [
      'customer.contact.phone',
      'customer.identity.channel_id',
      'customer.identity.profile_name',
      'customer.content.message',
      'customer.content.media',
    ],
  },
]

const ACTIVITIES: Array<{
  code: string
  name: string
  description: string
  purpose: string
  categories: string[]
  subjects: string[]
  systems: string[]
  days: number
  note: string
  measures: string[]
}> = [
  {
    code: 'conversation_handling',
    name: 'Conversation handling',
    description:
      'Receiving, storing and answering customer messages on WhatsApp and Instagram on the merchant’s behalf.',
    purpose: 'service.delivery',
    categories: [
      'customer.contact.phone',
      'customer.identity.profile_name',
      'customer.identity.channel_id',
      'customer.content.message',
      'customer.content.media',
      'customer.preferences.opt_out',
    ],
    subjects: ['customer'],
    systems: ['meta_channel', 'hub_postgres', 'hub_redis', 'hub_file_storage', 'cloud_kms'],
    days: 1825,
    note: 'Per category, from the last message: message text 365 days, media 180, contact and identity 730, opt-out flags 1825 (to keep honouring them); shorter on the merchant’s instruction',
    measures: ['24-hour window and opt-outs enforced before any reply'],
  },
  {
    code: 'intent_classification',
    name: 'Intent classification and reply drafting',
    description:
      'An AI model classifies the customer’s intent, extracts entities and drafts a reply grounded in the merchant’s instructions.',
    purpose: 'service.ai_assistance',
    categories: ['customer.content.message', 'customer.ai.intent'],
    subjects: ['customer'],
    systems: ['ai_provider_api', 'hub_postgres', 'hub_redis'],
    days: 365,
    note: 'The AI provider keeps abuse-monitoring logs for up to 30 days',
    measures: [
      'Purpose guard before every AI call',
      'Phone numbers, e-mails, card and national ID numbers replaced by placeholders',
    ],
  },
  {
    code: 'order_processing',
    name: 'Order processing',
    description: 'Taking orders and answering purchase enquiries for the merchant.',
    purpose: 'service.order_processing',
    categories: [
      'customer.commerce.order',
      'customer.commerce.address',
      'customer.contact.phone',
      'customer.contact.email',
      'customer.identity.profile_name',
    ],
    subjects: ['customer'],
    systems: ['hub_postgres', 'hub_file_storage', 'meta_channel'],
    days: 1095,
    note: 'Orders and addresses 1095 days for disputes, contact and identity 730 from the last message; shorter on the merchant’s instruction',
    measures: [],
  },
  {
    code: 'human_routing',
    name: 'Routing to human agents',
    description:
      'Handing conversations to the merchant’s agents on request, on complaints, and when a minor is suspected.',
    purpose: 'service.human_handoff',
    categories: [
      'customer.content.message',
      'customer.identity.profile_name',
      'customer.identity.channel_id',
      'customer.profile.minor_indicator',
    ],
    subjects: ['customer', 'merchant_user'],
    systems: ['hub_postgres', 'hub_redis'],
    days: 730,
    note: 'Message text and the minor indicator 365 days, identity 730, from the last activity',
    measures: ['Agents see only their own merchant’s conversations'],
  },
  {
    code: 'security_monitoring',
    name: 'Security monitoring',
    description: 'Authentication, access logging and abuse detection for the platform.',
    purpose: 'security',
    categories: ['security.access.event', 'merchant.user.account', 'staff.user.account'],
    subjects: ['merchant_user', 'conversera_staff'],
    systems: ['hub_postgres'],
    days: 365,
    note: 'Audit events are kept as evidence for the contract term',
    measures: ['Access denials and failed sign-ins recorded in the audit trail'],
  },
  {
    code: 'authority_requests',
    name: 'Answering lawful requests of public authorities',
    description:
      'Assessing requests of courts and authorities and, only under an approved decision, disclosing the minimum fields they lawfully require.',
    purpose: 'legal.obligation',
    categories: [
      'customer.contact.phone',
      'customer.contact.email',
      'customer.identity.profile_name',
      'customer.identity.channel_id',
      'customer.content.message',
      'customer.content.media',
      'customer.commerce.order',
      'customer.commerce.address',
      'authority.officer.contact',
      'authority.request.subject',
    ],
    subjects: ['customer'],
    systems: ['hub_postgres', 'hub_file_storage', 'cloud_kms'],
    days: 3650,
    note: 'The register of requests is kept for the contract term; disclosed values are never kept, only their hashes',
    measures: [
      'Government requests: legality assessed, challenged where appropriate, minimum disclosure, exporter notified, every request recorded in a register (Cl. 15)',
    ],
  },
]

/** The vocabulary alone (categories with retention rules, subjects, purposes), for other seeds and tests. */
export async function seedTaxonomy() {
  const categories = new Map<string, DataCategory>()
  for (const [code, name, sensitivity, specialCategory, days, startsFrom, basis] of CATEGORIES) {
    const category = await DataCategory.firstOrCreate(
      { code },
      { name, sensitivity, specialCategory, description: '' }
    )
    await RetentionRule.firstOrCreate(
      { dataCategoryId: category.id },
      { durationDays: days, startsFrom, basis }
    )
    categories.set(code, category)
  }
  const subjects = new Map<string, DataSubjectCategory>()
  for (const [code, name, description] of SUBJECTS) {
    subjects.set(code, await DataSubjectCategory.firstOrCreate({ code }, { name, description }))
  }
  const purposes = new Map<string, Purpose>()
  for (const code of [...ALLOWED_PURPOSE_CODES, ...PROHIBITED_PURPOSE_CODES]) {
    const status = (PROHIBITED_PURPOSE_CODES as readonly string[]).includes(code)
      ? 'prohibited'
      : 'allowed'
    purposes.set(
      code,
      await Purpose.firstOrCreate({ code }, { name: PURPOSE_NAMES[code], status, description: '' })
    )
  }
  return { categories, subjects, purposes }
}

export default class DataMapSeeder extends BaseSeeder {
  async run() {
    const { categories, subjects, purposes } = await seedTaxonomy()

    const subprocessors = new Map<SubprocessorKey, Subprocessor>()
    for (const [key, spec] of Object.entries(SUBPROCESSORS) as Array<
      [SubprocessorKey, (typeof SUBPROCESSORS)[SubprocessorKey]]
    >) {
      subprocessors.set(key, await this.subprocessor(spec))
    }

    const systems = new Map<string, System>()
    for (const spec of SYSTEMS) {
      const system = await System.firstOrCreate(
        { code: spec.code },
        {
          name: spec.name,
          kind: spec.kind,
          locationCountry: spec.country,
          subprocessorId: spec.operator ? subprocessors.get(spec.operator)!.id : null,
          description: spec.description,
          securityMeasures: spec.measures,
        }
      )
      systems.set(spec.code, system)
    }

    for (const spec of FLOWS) {
      const system = systems.get(spec.system)!
      const subprocessor = subprocessors.get(spec.to)!
      const existing = await DataFlow.query()
        .where('system_id', system.id)
        .where('subprocessor_id', subprocessor.id)
        .where('destination_country', spec.country)
        .first()
      if (existing) continue
      const flow = await DataFlow.create({
        name: spec.name,
        systemId: system.id,
        subprocessorId: subprocessor.id,
        destinationCountry: spec.country,
        transferMechanism: spec.mechanism,
        description: '',
      })
      await flow.related('categories').sync(spec.categories.map((code) => categories.get(code)!.id))
    }

    for (const spec of ACTIVITIES) {
      if (await ProcessingActivity.findBy('code', spec.code)) continue
      const activity = await ProcessingActivity.create({
        code: spec.code,
        name: spec.name,
        description: spec.description,
        merchantId: null,
        purposeId: purposes.get(spec.purpose)!.id,
        retentionDays: spec.days,
        retentionNote: spec.note,
        securityMeasures: spec.measures,
        status: 'active',
      })
      await activity
        .related('categories')
        .sync(spec.categories.map((code) => categories.get(code)!.id))
      await activity.related('subjects').sync(spec.subjects.map((code) => subjects.get(code)!.id))
      await activity.related('systems').sync(spec.systems.map((code) => systems.get(code)!.id))
    }
  }

  private async subprocessor(spec: (typeof SUBPROCESSORS)[SubprocessorKey]) {
    const found = await Subprocessor.query()
      .where((q) => spec.like.forEach((pattern) => q.orWhereILike('name', pattern)))
      .orderBy('id')
      .first()
    if (found) return found
    // Only a proposal: becoming effective takes a DPA, a notice and a closed objection window
    logger.info(
      { subprocessor: spec.name },
      'data map seed: proposing a subprocessor missing from the register'
    )
    return Subprocessor.create({
      name: spec.name,
      service: spec.service,
      purpose: spec.purpose,
      dataCategories: [],
      processingCountries: spec.countries,
      transferMechanism: spec.mechanism,
      aiTerms: spec.ai,
      status: 'proposed',
    })
  }
}
