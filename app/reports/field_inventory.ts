import { defineFieldInventory } from '#data_map/inventory/definition'

/* generated_by holds the generating person's name as printed on the report: personal data. */
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
