import { defineFieldInventory } from '#data_map/inventory/definition'

/* The data map's own tables describe processing; none of them holds personal data. */
export default defineFieldInventory({
  module: 'data_map',
  tables: {
    data_categories: {
      nonPersonal: [
        'id',
        'code',
        'name',
        'description',
        'sensitivity',
        'special_category',
        'created_at',
        'updated_at',
      ],
    },
    data_subject_categories: {
      nonPersonal: ['id', 'code', 'name', 'description', 'created_at', 'updated_at'],
    },
    purposes: {
      nonPersonal: ['id', 'code', 'name', 'description', 'status', 'created_at', 'updated_at'],
    },
    systems: {
      nonPersonal: [
        'id',
        'code',
        'name',
        'kind',
        'description',
        'location_country',
        'subprocessor_id',
        'security_measures',
        'created_at',
        'updated_at',
      ],
    },
    processing_activities: {
      nonPersonal: [
        'id',
        'code',
        'name',
        'description',
        'merchant_id',
        'purpose_id',
        'retention_days',
        'retention_note',
        'security_measures',
        'status',
        'created_at',
        'updated_at',
      ],
    },
    processing_activity_categories: { nonPersonal: ['processing_activity_id', 'data_category_id'] },
    processing_activity_subjects: {
      nonPersonal: ['processing_activity_id', 'data_subject_category_id'],
    },
    processing_activity_systems: { nonPersonal: ['processing_activity_id', 'system_id'] },
    data_flows: {
      nonPersonal: [
        'id',
        'name',
        'system_id',
        'subprocessor_id',
        'destination_country',
        'transfer_mechanism',
        'description',
        'created_at',
        'updated_at',
      ],
    },
    data_flow_categories: { nonPersonal: ['data_flow_id', 'data_category_id'] },
    retention_rules: {
      nonPersonal: [
        'id',
        'data_category_id',
        'duration_days',
        'starts_from',
        'basis',
        'created_at',
        'updated_at',
      ],
    },
    merchant_retention_overrides: {
      nonPersonal: [
        'id',
        'merchant_id',
        'data_category_id',
        'duration_days',
        'reason',
        'recorded_by',
        'created_at',
        'updated_at',
      ],
    },
    retention_runs: {
      nonPersonal: [
        'id',
        'status',
        'triggered_by',
        'started_at',
        'finished_at',
        'tables_checked',
        'rows_purged',
        'rows_held',
        'evidence',
        'error_code',
      ],
    },
  },
})
