import { defineFieldInventory } from '#data_map/inventory/definition'

/* Key material is wrapped (bytea) and subject_ref is an opaque reference, not an identifier. */
export default defineFieldInventory({
  module: 'keys',
  tables: {
    kms_keys: {
      nonPersonal: [
        'id',
        'scope',
        'merchant_id',
        'provider',
        'key_id',
        'key_alias',
        'state',
        'index_root_wrapped',
        'revocation_epoch',
        'deletion_date',
        'destroyed_at',
        'created_at',
        'updated_at',
      ],
    },
    data_keys: {
      nonPersonal: [
        'id',
        'kms_key_id',
        'scope',
        'version',
        'wrapped',
        'state',
        'created_at',
        'retired_at',
        'destroyed_at',
      ],
    },
    subject_keys: {
      nonPersonal: [
        'id',
        'scope',
        'merchant_id',
        'subject_ref',
        'data_key_version',
        'wrapped',
        'created_at',
        'rewrapped_at',
        'destroyed_at',
      ],
    },
    key_rotations: {
      nonPersonal: [
        'id',
        'scope',
        'merchant_id',
        'from_version',
        'to_version',
        'status',
        'subject_keys_total',
        'subject_keys_done',
        'rows_total',
        'rows_done',
        'requested_by',
        'error',
        'created_at',
        'started_at',
        'finished_at',
        'updated_at',
      ],
    },
  },
})
