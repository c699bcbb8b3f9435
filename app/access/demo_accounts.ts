/*
 * The demo tenants and logins seeded for development, printed by `node ace demo:logins`.
 * Development only: the seeder and both commands refuse to run in production.
 */
import type { MerchantRole, StaffRole } from '#access/roles'

export const DEMO_PASSWORD = 'Demo-Privacy-Hub-2026'

export const DEMO_MERCHANTS = [
  { slug: 'nile-fashion', legalName: 'Nile Fashion S.A.E.', countryCode: 'EG' },
  { slug: 'delta-electronics', legalName: 'Delta Electronics LLC', countryCode: 'EG' },
] as const

export interface DemoStaff {
  email: string
  fullName: string
  role: StaffRole
  /** Fixed base32 TOTP secret, so the printed secrets keep working across re-seeds. */
  totpSecret: string
}

export interface DemoMerchantUser {
  email: string
  fullName: string
  role: MerchantRole
  merchantSlug: (typeof DEMO_MERCHANTS)[number]['slug']
  /** Merchant admins must use MFA (they can mint API tokens); agents may opt in. */
  totpSecret?: string
}

export const DEMO_STAFF: DemoStaff[] = [
  {
    email: 'admin@conversera.test',
    fullName: 'Amira Hassan',
    role: 'admin',
    totpSecret: 'KVKFKRCPNZQUYMLXOVYDSQKJKZDTSRLD',
  },
  {
    email: 'dpo@conversera.test',
    fullName: 'Karim Mansour',
    role: 'dpo',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  },
  {
    email: 'analyst@conversera.test',
    fullName: 'Salma Fawzy',
    role: 'privacy_analyst',
    totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  },
  {
    email: 'counsel@conversera.test',
    fullName: 'Omar Naguib',
    role: 'legal_counsel',
    totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
  },
  {
    email: 'auditor@conversera.test',
    fullName: 'Laila Ibrahim',
    role: 'auditor',
    totpSecret: 'ONSWG4TFOQQGK3TDN5SGKZBAMFXGIIDT',
  },
]

export const DEMO_MERCHANT_USERS: DemoMerchantUser[] = [
  {
    email: 'admin@nile-fashion.test',
    fullName: 'Mona Adel',
    role: 'merchant_admin',
    merchantSlug: 'nile-fashion',
    totpSecret: 'NFUWYZJNMFSG22LOEBWG6Z3JNZZTAMBR',
  },
  {
    email: 'agent@nile-fashion.test',
    fullName: 'Youssef Samir',
    role: 'merchant_agent',
    merchantSlug: 'nile-fashion',
  },
  {
    email: 'admin@delta-electronics.test',
    fullName: 'Hany Lotfy',
    role: 'merchant_admin',
    merchantSlug: 'delta-electronics',
    totpSecret: 'MRSWY5DBFVQWI3LJNYQGY33HNFXHGMBS',
  },
  {
    email: 'agent@delta-electronics.test',
    fullName: 'Nour El-Sayed',
    role: 'merchant_agent',
    merchantSlug: 'delta-electronics',
  },
]
