import { DateTime } from 'luxon'
import User from '#access/models/user'
import ApiToken from '#access/models/api_token'
import Merchant from '#merchants/models/merchant'
import { rolesOf } from '#access/services/authorization'
import auditTrail from '#audit/services/audit_trail'
import type { ReportBuilder } from '#reports/registry'
import { barChart, heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'

/** Accounts unused for this long are flagged as dormant: access nobody uses should be removed. */
const DORMANT_AFTER_DAYS = 90

interface ReviewedUser {
  user: User
  roles: string[]
  tokens: { active: number; total: number }
  dormant: boolean
}

const dateOf = (value: DateTime | null) => (value ? value.toUTC().toFormat('yyyy-MM-dd') : 'never')

function status(user: User) {
  return user.disabledAt ? 'disabled' : 'active'
}

function tokenStats(tokens: ApiToken[]) {
  const counts = { active: 0, expired: 0, revoked: 0, activeWithoutExpiry: 0 }
  for (const token of tokens) {
    counts[token.status]++
    if (token.status === 'active' && !token.expiresAt) counts.activeWithoutExpiry++
  }
  return counts
}

/**
 * The periodic access-control review: who can sign in, with which roles, whether MFA protects
 * the account, when it was last used, and the API tokens that act for each merchant.
 */
const accessReview: ReportBuilder = async ({ merchant, actor, progress }) => {
  const now = DateTime.utc()
  const dormantBefore = now.minus({ days: DORMANT_AFTER_DAYS })

  const userQuery = User.query().whereNot('kind', 'service').orderBy('kind').orderBy('id')
  if (merchant) userQuery.where('merchant_id', merchant.id)
  const users = await userQuery
  // Names and e-mails of every account: a read of personal data, recorded with its purpose
  await auditTrail.record({
    action: 'personal_data.read',
    actor: actor ?? { type: 'system' },
    merchantId: merchant?.id ?? null,
    purpose: 'access_review',
    meta: { subject: 'users', count: users.length },
  })
  const tokenQuery = ApiToken.query().orderBy('id')
  if (merchant) tokenQuery.where('merchant_id', merchant.id)
  const tokens = await tokenQuery
  const merchants = merchant ? [merchant] : await Merchant.query().orderBy('slug')
  const merchantSlug = new Map(merchants.map((m) => [m.id, m.slug]))
  await progress(20)

  const reviewed: ReviewedUser[] = []
  for (const [index, user] of users.entries()) {
    const own = tokens.filter((token) => token.createdBy === user.id)
    reviewed.push({
      user,
      roles: await rolesOf(user.id, user.domain),
      tokens: { active: own.filter((t) => t.status === 'active').length, total: own.length },
      dormant: !user.disabledAt && (!user.lastLoginAt || user.lastLoginAt < dormantBefore),
    })
    if (index % 50 === 49) await progress(20 + Math.round((60 * index) / users.length))
  }
  await progress(80)

  const active = reviewed.filter((r) => !r.user.disabledAt)
  const staff = reviewed.filter((r) => r.user.kind === 'staff')
  const merchantUsers = reviewed.filter((r) => r.user.kind === 'merchant')
  const staffWithoutMfa = staff.filter((r) => !r.user.disabledAt && !r.user.mfaEnabled)
  const withoutRole = active.filter((r) => r.roles.length === 0)
  const dormant = reviewed.filter((r) => r.dormant)
  const totals = tokenStats(tokens)
  const mfaShare = active.length
    ? Math.round((100 * active.filter((r) => r.user.mfaEnabled).length) / active.length)
    : 100

  const roleCounts = new Map<string, number>()
  for (const r of active)
    for (const role of r.roles) roleCounts.set(role, (roleCounts.get(role) ?? 0) + 1)

  const blocks: ReportBlock[] = [
    heading('Summary'),
    keyValues([
      ['Scope', merchant ? `Merchant ${merchant.slug} only` : 'Platform staff and every merchant'],
      [
        'Accounts',
        `${reviewed.length} (${active.length} active, ${reviewed.length - active.length} disabled)`,
      ],
      ['MFA enrolled', `${mfaShare}% of active accounts`],
      ['Staff without MFA', String(staffWithoutMfa.length)],
      [`Dormant (no login in ${DORMANT_AFTER_DAYS} days)`, String(dormant.length)],
      ['Active accounts without a role', String(withoutRole.length)],
      [
        'API tokens',
        `${totals.active} active (${totals.activeWithoutExpiry} without expiry), ${totals.expired} expired, ${totals.revoked} revoked`,
      ],
    ]),
    barChart(
      'Active accounts per role',
      [...roleCounts.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([label, value]) => ({ label, value }))
    ),
    heading('Findings to act on'),
    paragraph(
      "Each finding below needs a decision from the account owner's manager: confirm the access is still needed, or remove it. MFA is mandatory for every staff role."
    ),
    heading('Staff accounts without MFA', 2),
    table(
      ['Name', 'E-mail', 'Roles'],
      staffWithoutMfa.map((r) => [r.user.fullName, r.user.email, r.roles.join(', ') || '-']),
      {
        empty: 'None: every active staff account has MFA enrolled.',
      }
    ),
    heading(`Dormant accounts (no login since ${dateOf(dormantBefore)})`, 2),
    table(
      ['Name', 'E-mail', 'Merchant', 'Last login'],
      dormant.map((r) => [
        r.user.fullName,
        r.user.email,
        r.user.merchantId
          ? (merchantSlug.get(r.user.merchantId) ?? String(r.user.merchantId))
          : 'staff',
        dateOf(r.user.lastLoginAt),
      ]),
      { empty: 'None.' }
    ),
    heading('Active accounts without a role', 2),
    table(
      ['Name', 'E-mail', 'Domain'],
      withoutRole.map((r) => [r.user.fullName, r.user.email, r.user.domain]),
      {
        empty: 'None.',
      }
    ),
  ]

  const accountColumns = [
    { header: 'Name', width: 1.3 },
    { header: 'E-mail', width: 1.6 },
    { header: 'Roles', width: 1.3 },
    { header: 'MFA', width: 0.5 },
    { header: 'Last login', width: 0.8 },
    { header: 'Status', width: 0.6 },
    { header: 'Tokens (active/total)', width: 0.8, align: 'right' as const },
  ]
  const accountRow = (r: ReviewedUser) => [
    r.user.fullName,
    r.user.email,
    r.roles.join(', ') || '-',
    r.user.mfaEnabled ? 'yes' : 'no',
    dateOf(r.user.lastLoginAt),
    status(r.user),
    `${r.tokens.active}/${r.tokens.total}`,
  ]

  if (!merchant) {
    blocks.push(
      heading('Staff accounts'),
      table(accountColumns, staff.map(accountRow), { empty: 'No staff accounts.' })
    )
  }
  for (const m of merchants) {
    const own = merchantUsers.filter((r) => r.user.merchantId === m.id)
    const stats = tokenStats(tokens.filter((t) => t.merchantId === m.id))
    blocks.push(
      heading(`Merchant ${m.slug}`),
      keyValues([
        ['Legal name', m.legalName],
        ['Status', m.status],
        ['Accounts', String(own.length)],
        [
          'API tokens',
          `${stats.active} active (${stats.activeWithoutExpiry} without expiry), ${stats.expired} expired, ${stats.revoked} revoked`,
        ],
      ]),
      table(accountColumns, own.map(accountRow), { empty: 'No user accounts.' })
    )
  }
  blocks.push(
    paragraph(
      `Roles are read from the authorization policy store at generation time. "Dormant" means no sign-in for ${DORMANT_AFTER_DAYS} days or never. Token counts include every token the account created.`,
      { muted: true }
    )
  )
  await progress(100)

  return {
    subtitle: merchant ? `Merchant: ${merchant.legalName} (${merchant.slug})` : 'All accounts',
    blocks,
  }
}

export default accessReview
