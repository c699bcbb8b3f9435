import { defineFieldInventory } from '#data_map/inventory/definition'

/*
 * generated_by (and the manifest's copy) names the requester by account number, never by name
 * (`#reports/generated_by`); the PDF itself is sealed at rest (`file_path` points at ciphertext).
 */
export default defineFieldInventory({
  module: 'reports',
  tables: {
    reports: {
      nonPersonal: [
        'id',
        'generated_by',
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
