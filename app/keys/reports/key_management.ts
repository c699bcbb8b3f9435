import db from '@adonisjs/lucid/services/db'
import keysConfig from '#config/keys'
import type { ReportBuilder } from '#reports/registry'
import { barChart, heading, keyValues, paragraph, table, type ReportBlock } from '#reports/content'
import { keyInventoryAll, type InventoryRow } from '#keys/services/key_inventory'
import KeyRotation from '#keys/models/key_rotation'

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '-')
const scopeLabel = (row: InventoryRow) => (row.merchant ? row.merchant.slug : 'platform')

/**
 * The key-management report: which keys protect whose data, how they were rotated, and what was
 * destroyed (erasures and terminations). Ids, versions and dates only, never key material.
 */
const keyManagement: ReportBuilder = async ({ merchant, progress }) => {
  const rows = await keyInventoryAll(merchant ? { merchantId: merchant.id } : {})
  await progress(30)
  const rotationQuery = KeyRotation.query().orderBy('id', 'desc').limit(100)
  if (merchant) rotationQuery.where('merchant_id', merchant.id)
  const rotations = await rotationQuery
  const destructionQuery = db
    .from('audit_events')
    .whereIn('action', [
      'keys.subject_key_destroyed',
      'keys.merchant_keys_destroyed',
      'keys.kms_key_deleted',
    ])
    .orderBy('id', 'desc')
    .limit(200)
  if (merchant) destructionQuery.where('merchant_id', merchant.id)
  const destructions = await destructionQuery
  await progress(60)

  const subjectTotals = rows.reduce(
    (sum, r) => ({
      active: sum.active + r.subjectKeys.active,
      destroyed: sum.destroyed + r.subjectKeys.destroyed,
    }),
    { active: 0, destroyed: 0 }
  )
  const blocks: ReportBlock[] = [
    heading('Summary'),
    keyValues([
      ['KMS provider in use', keysConfig.provider],
      [
        'Scopes',
        `${rows.length} (${rows.filter((r) => r.state === 'enabled').length} usable, ${rows.filter((r) => r.state === 'pending_deletion').length} pending deletion, ${rows.filter((r) => r.state === 'destroyed').length} destroyed)`,
      ],
      [
        'Subject keys',
        `${subjectTotals.active} active, ${subjectTotals.destroyed} destroyed by erasure`,
      ],
      [
        'Rotations listed',
        `${rotations.length} (${rotations.filter((r) => r.status === 'completed').length} completed)`,
      ],
      [
        'Key cache bounds',
        `${keysConfig.cache.ttlMs / 1000} s and ${keysConfig.cache.maxUses} uses per unwrapped key`,
      ],
      ['Deletion window on termination', `${keysConfig.deletionWindowDays} days`],
    ]),
    paragraph(
      'Hierarchy: each scope (a merchant, or the platform for staff data) has its own KMS key. It wraps versioned data keys; each data key version wraps the subject keys of that scope. Personal data is sealed with AES-256-GCM under a subject key or the scope data key, with merchant, subject, table and column bound as associated data.'
    ),
    barChart(
      'Data key versions per scope',
      rows.map((r) => ({ label: scopeLabel(r), value: r.versions.length })),
      { unit: ['version', 'versions'] }
    ),
    heading('Keys per scope'),
    table(
      [
        { header: 'Scope', width: 1.1 },
        { header: 'Provider / key', width: 1.8 },
        { header: 'State', width: 0.9 },
        { header: 'Current', width: 0.5, align: 'right' },
        { header: 'Versions', width: 1.6 },
        { header: 'Subject keys active / destroyed', width: 0.9, align: 'right' },
        { header: 'Created', width: 0.8 },
        { header: 'Deletion', width: 0.8 },
      ],
      rows.map((r) => [
        scopeLabel(r),
        `${r.provider}: ${r.keyAlias ?? r.keyId}`,
        r.state.replace('_', ' '),
        r.currentVersion ? `v${r.currentVersion}` : '-',
        r.versions.map((v) => `v${v.version} ${v.state}`).join(', '),
        `${r.subjectKeys.active}/${r.subjectKeys.destroyed}`,
        day(r.createdAt),
        r.deletionDate ? day(r.deletionDate) : '-',
      ]),
      { empty: 'No keys have been created yet.' }
    ),
    heading('Rotations'),
    table(
      ['#', 'Scope', 'From', 'To', 'Status', 'Subject keys', 'Rows', 'Started', 'Finished'],
      rotations.map((r) => [
        String(r.id),
        r.scope,
        `v${r.fromVersion}`,
        `v${r.toVersion}`,
        r.status,
        `${r.subjectKeysDone}/${r.subjectKeysTotal}`,
        `${r.rowsDone}/${r.rowsTotal}`,
        day(r.createdAt.toUTC().toISO()),
        day(r.finishedAt?.toUTC().toISO() ?? null),
      ]),
      { empty: 'No rotations yet.' }
    ),
    heading('Destructions (crypto-shredding)'),
    table(
      ['When (UTC)', 'What', 'Scope', 'Covered'],
      destructions.map((e) => [
        new Date(e.occurred_at).toISOString().slice(0, 16).replace('T', ' '),
        e.action === 'keys.subject_key_destroyed'
          ? 'subject key (erasure)'
          : e.action === 'keys.merchant_keys_destroyed'
            ? 'merchant keys (termination)'
            : 'KMS key deleted',
        String(e.meta?.scope ?? '-'),
        e.action === 'keys.subject_key_destroyed'
          ? `${e.meta?.rowsCovered ?? 0} sealed values`
          : e.action === 'keys.merchant_keys_destroyed'
            ? `data key versions ${(e.meta?.dataKeyVersions ?? []).join(', ') || '-'}; ${e.meta?.subjectKeysDestroyed ?? 0} subject keys; deletion ${day(e.meta?.deletionDate ?? null)}`
            : `${e.meta?.provider ?? ''} key removed`,
      ]),
      { empty: 'Nothing has been destroyed.' }
    ),
    paragraph(
      'Destroying a subject key makes every value sealed under it unreadable, in backups too once their copies of the wrapped key expire. Scheduling deletion of a merchant KMS key makes every wrapped key of the merchant unreadable, backups included. This report contains no key material.',
      { muted: true }
    ),
  ]
  await progress(100)
  return {
    subtitle: merchant
      ? `Merchant: ${merchant.legalName} (${merchant.slug})`
      : 'Platform and all merchants',
    blocks,
  }
}

export default keyManagement
