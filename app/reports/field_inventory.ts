import { defineFieldInventory } from '#data_map/inventory/definition'

/*
 * generated_by holds the generating person's name as printed on the report: personal data, still
 * plaintext, so `datamap:check` flags it. The signed manifest (jsonb) repeats that name; fixing
 * generated_by (seal it, or keep only generated_by_user_id) should fix the manifest copy too.
 */
export default defineFieldInventory({
  module: 'reports',
  tables: {
    reports: {
      personal: {
        generated_by: {
          category: 'staff.user.account',
          identifiesSubject: true,
          encrypted: false,
          retention: 'staff.user.account',
        },
      },
      nonPersonal: [
        'id',
        'document_id',
        'kind',
        'title',
        'merchant_id',
        'period',
        'sha256',
        'size_bytes',
        'manifest',
        'jws',
        'file_path',
        'generated_by_user_id',
        'created_at',
      ],
    },
  },
})
