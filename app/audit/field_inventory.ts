import { defineFieldInventory } from '#data_map/inventory/definition'

/* Audit events carry ids and counts only (AuditEntry forbids personal data in meta). */
export default defineFieldInventory({
  module: 'audit',
  tables: {
    audit_events: {
      nonPersonal: [
        'id',
        'occurred_at',
        'action',
        'outcome',
        'actor_type',
        'actor_id',
        'merchant_id',
        'target_type',
        'target_id',
        'purpose',
        'request_id',
        'meta',
        'prev_hash',
        'hash',
      ],
    },
    audit_checkpoints: {
      nonPersonal: ['id', 'event_id', 'event_hash', 'taken_at', 'signature', 'key_id'],
    },
  },
})
