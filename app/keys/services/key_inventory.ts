import db from '@adonisjs/lucid/services/db'
import { pageOf } from '#core/pagination'
import KmsKey, { type KmsKeyState } from '#keys/models/kms_key'
import KeyRotation from '#keys/models/key_rotation'

export interface InventoryFilters {
  q?: string
  state?: KmsKeyState
  provider?: 'local' | 'aws'
  merchantId?: number
  page?: number
  perPage?: number
}

/** What the console and the report show about a scope's keys: ids, versions and dates, never material. */
export interface InventoryRow {
  id: number
  scope: string
  merchant: { id: number; slug: string; legalName: string; status: string } | null
  provider: string
  keyId: string
  keyAlias: string | null
  state: KmsKeyState
  createdAt: string
  deletionDate: string | null
  destroyedAt: string | null
  currentVersion: number | null
  lastRotatedAt: string | null
  versions: Array<{
    version: number
    state: string
    createdAt: string
    retiredAt: string | null
    destroyedAt: string | null
  }>
  subjectKeys: { active: number; destroyed: number }
  rotation: RotationProgress | null
}

export interface RotationProgress {
  id: number
  status: string
  percent: number
  fromVersion: number
  toVersion: number
  subjectKeysDone: number
  subjectKeysTotal: number
  rowsDone: number
  rowsTotal: number
  error: string | null
  createdAt: string
  finishedAt: string | null
}

const iso = (value: { toUTC(): { toISO(): string | null } } | null | undefined) =>
  value ? value.toUTC().toISO() : null

export function rotationProgress(rotation: KeyRotation): RotationProgress {
  return {
    id: rotation.id,
    status: rotation.status,
    percent: rotation.percent,
    fromVersion: rotation.fromVersion,
    toVersion: rotation.toVersion,
    subjectKeysDone: rotation.subjectKeysDone,
    subjectKeysTotal: rotation.subjectKeysTotal,
    rowsDone: rotation.rowsDone,
    rowsTotal: rotation.rowsTotal,
    error: rotation.error,
    createdAt: iso(rotation.createdAt)!,
    finishedAt: iso(rotation.finishedAt),
  }
}

function filtered(filters: InventoryFilters) {
  const query = KmsKey.query()
    .preload('merchant')
    .preload('dataKeys', (q) => q.orderBy('version'))
  if (filters.state) query.where('state', filters.state)
  if (filters.provider) query.where('provider', filters.provider)
  if (filters.merchantId) query.where('merchant_id', filters.merchantId)
  if (filters.q) {
    const term = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query.where((where) => {
      where
        .whereILike('scope', term)
        .orWhereHas('merchant', (merchant) =>
          merchant.whereILike('slug', term).orWhereILike('legal_name', term)
        )
    })
  }
  // The platform first, then merchants by id
  return query.orderByRaw('merchant_id NULLS FIRST').orderBy('id')
}

async function rowsFor(keys: KmsKey[]): Promise<InventoryRow[]> {
  const scopes = keys.map((k) => k.scope)
  const counts = scopes.length
    ? await db
        .from('subject_keys')
        .whereIn('scope', scopes)
        .groupBy('scope')
        .select('scope')
        .select(db.raw('count(*) FILTER (WHERE destroyed_at IS NULL) AS active'))
        .select(db.raw('count(*) FILTER (WHERE destroyed_at IS NOT NULL) AS destroyed'))
    : []
  const countOf = new Map(
    counts.map((c) => [c.scope, { active: Number(c.active), destroyed: Number(c.destroyed) }])
  )
  const rotations = scopes.length
    ? await KeyRotation.query()
        .whereIn('scope', scopes)
        .distinctOn('scope')
        .orderBy('scope')
        .orderBy('id', 'desc')
    : []
  const rotationOf = new Map(rotations.map((r) => [r.scope, r]))

  return keys.map((key) => {
    const active = key.dataKeys.filter((v) => v.state === 'active')
    const newest = key.dataKeys.at(-1)
    const rotation = rotationOf.get(key.scope)
    return {
      id: key.id,
      scope: key.scope,
      merchant: key.merchant
        ? {
            id: key.merchant.id,
            slug: key.merchant.slug,
            legalName: key.merchant.legalName,
            status: key.merchant.status,
          }
        : null,
      provider: key.provider,
      keyId: key.keyId,
      keyAlias: key.keyAlias,
      state: key.state,
      createdAt: iso(key.createdAt)!,
      deletionDate: iso(key.deletionDate),
      destroyedAt: iso(key.destroyedAt),
      currentVersion: active.at(-1)?.version ?? null,
      lastRotatedAt: newest && newest.version > 1 ? iso(newest.createdAt) : null,
      versions: key.dataKeys.map((v) => ({
        version: v.version,
        state: v.state,
        createdAt: iso(v.createdAt)!,
        retiredAt: iso(v.retiredAt),
        destroyedAt: iso(v.destroyedAt),
      })),
      subjectKeys: countOf.get(key.scope) ?? { active: 0, destroyed: 0 },
      rotation: rotation ? rotationProgress(rotation) : null,
    }
  })
}

/** The paged key inventory for the console. */
export async function keyInventoryPage(filters: InventoryFilters) {
  const { page, perPage } = pageOf(filters)
  const paginator = await filtered(filters).paginate(page, perPage)
  return { paginator, rows: await rowsFor(paginator.all()) }
}

/** Every matching scope (for the PDF report). */
export async function keyInventoryAll(filters: InventoryFilters = {}) {
  return rowsFor(await filtered(filters))
}

export async function keyInventorySummary() {
  const states = await db.from('kms_keys').select('state').count('* as total').groupBy('state')
  const byState: Record<string, number> = Object.fromEntries(
    states.map((s) => [s.state, Number(s.total)])
  )
  const subjects = await db
    .from('subject_keys')
    .select(db.raw('count(*) FILTER (WHERE destroyed_at IS NULL) AS active'))
    .select(db.raw('count(*) FILTER (WHERE destroyed_at IS NOT NULL) AS destroyed'))
    .first()
  const running = await db
    .from('key_rotations')
    .whereIn('status', ['queued', 'running'])
    .count('* as total')
    .first()
  return {
    scopes: Object.values(byState).reduce((a, b) => a + b, 0),
    enabled: byState.enabled ?? 0,
    pendingDeletion: byState.pending_deletion ?? 0,
    destroyed: byState.destroyed ?? 0,
    subjectKeysActive: Number(subjects?.active ?? 0),
    subjectKeysDestroyed: Number(subjects?.destroyed ?? 0),
    rotationsInProgress: Number(running?.total ?? 0),
  }
}
