import { defineFieldInventory } from '#data_map/inventory/definition'
import type { PersonalColumn } from '#data_map/inventory/definition'

const sealed = (category: string, identifiesSubject = true): PersonalColumn => ({
  category,
  identifiesSubject,
  encrypted: true,
  retention: category,
})
const index = (category: string): PersonalColumn => ({ ...sealed(category), form: 'keyed_hash' })

/*
 * DSR cases are the controller's evidence of how a request was answered (Art. 5(2)
 * accountability, PDPL ER request logs), so they carry no retention purge. The subject's
 * identifiers are sealed under the merchant's key with blind indexes; timelines hold codes only.
 * Cases and legal holds are `evidence`: erasing the subject strips their identifiers and link to
 * the customer and keeps the rows.
 * Execution: packages are files sealed under the merchant's key (`file_path` points at
 * ciphertext) and name their customer by id, so erasing that customer removes them too; erasure
 * and termination records hold counts, hashes and ids of rows that no longer exist.
 */
export default defineFieldInventory({
  module: 'dsr',
  tables: {
    dsr_cases: {
      personal: {
        subject_phone: sealed('customer.contact.phone'),
        subject_phone_bidx: index('customer.contact.phone'),
        subject_wa_id: sealed('customer.identity.channel_id'),
        subject_wa_id_bidx: index('customer.identity.channel_id'),
        subject_bsuid: sealed('customer.identity.channel_id'),
        subject_bsuid_bidx: index('customer.identity.channel_id'),
        subject_instagram_id: sealed('customer.identity.channel_id'),
        subject_instagram_id_bidx: index('customer.identity.channel_id'),
        subject_email: sealed('customer.contact.email'),
        subject_email_bidx: index('customer.contact.email'),
        subject_customer_ref: sealed('customer.identity.channel_id'),
        rectification_values: sealed('customer.identity.profile_name'),
        notes: sealed('customer.content.message', false),
        refusal_text: sealed('customer.content.message', false),
      },
      nonPersonal: [
        'id',
        'reference',
        'merchant_id',
        'type',
        'status',
        'waiting_on',
        'source',
        'customer_id',
        'identity_verified',
        'received_on',
        'jurisdiction',
        'original_due_at',
        'due_at',
        'internal_due_at',
        'extension_months',
        'extension_reason',
        'extended_at',
        'records_found',
        'legal_hold_id',
        'refusal_code',
        'assignee_user_id',
        'created_by_user_id',
        'api_token_id',
        'idempotency_key',
        'customer_rights_request_id',
        'staff_approved_at',
        'staff_approved_by_user_id',
        'report_document_id',
        'closed_at',
        'created_at',
        'updated_at',
        'outcome',
        'artifacts',
        'executed_at',
      ],
      evidence: 'dsr_case',
    },
    dsr_case_events: {
      nonPersonal: [
        'id',
        'dsr_case_id',
        'kind',
        'from_status',
        'to_status',
        'actor_type',
        'actor_id',
        'detail',
        'created_at',
      ],
    },
    dsr_case_comments: {
      personal: { body: sealed('customer.content.message', false) },
      nonPersonal: ['id', 'dsr_case_id', 'merchant_id', 'author_user_id', 'created_at'],
    },
    dsr_case_tasks: {
      nonPersonal: [
        'id',
        'dsr_case_id',
        'title',
        'due_on',
        'assignee_user_id',
        'created_by_user_id',
        'done_at',
        'done_by_user_id',
        'created_at',
        'updated_at',
      ],
    },
    // The merchant's integration endpoint: a business URL
    dsr_callback_endpoints: {
      nonPersonal: [
        'id',
        'merchant_id',
        'url',
        'active',
        'updated_by_user_id',
        'created_at',
        'updated_at',
      ],
    },
    dsr_callback_deliveries: {
      nonPersonal: [
        'id',
        'merchant_id',
        'dsr_case_id',
        'event_id',
        'case_status',
        'url',
        'state',
        'attempts',
        'last_status_code',
        'last_error',
        'next_attempt_at',
        'delivered_at',
        'created_at',
        'updated_at',
      ],
    },
    // Reasons may name a proceeding or a person: sealed under the platform key
    legal_holds: {
      personal: {
        reason: sealed('customer.content.message', false),
        lift_reason: sealed('customer.content.message', false),
      },
      nonPersonal: [
        'id',
        'scope',
        'merchant_id',
        'customer_id',
        'source',
        'source_ref',
        'placed_by_user_id',
        'placed_at',
        'expires_at',
        'lift_requested_by_user_id',
        'lift_requested_at',
        'lifted_by_user_id',
        'lifted_at',
        'created_at',
        'updated_at',
      ],
      evidence: 'legal_hold',
    },
    dsr_exports: {
      nonPersonal: [
        'id',
        'merchant_id',
        'dsr_case_id',
        'merchant_termination_id',
        'customer_id',
        'case_reference',
        'format',
        'records',
        'summary',
        'sha256',
        'size_bytes',
        'file_path',
        'downloads',
        'expires_at',
        'created_at',
      ],
      // The sealed package (#dsr/execution/exports)
      files: {
        async remove(rows) {
          const { removeExportFiles } = await import('#dsr/execution/exports')
          await removeExportFiles(rows)
        },
      },
    },
    dsr_download_links: {
      nonPersonal: ['id', 'dsr_export_id', 'token_hash', 'expires_at', 'consumed_at', 'created_at'],
    },
    dsr_erasures: {
      nonPersonal: [
        'id',
        'merchant_id',
        'dsr_case_id',
        'case_reference',
        'counts',
        'subject_keys_destroyed',
        'evidence',
        'subprocessor_notes',
        'outcome',
        'started_at',
        'finished_at',
        'certificate_document_id',
      ],
    },
    merchant_terminations: {
      nonPersonal: [
        'id',
        'merchant_id',
        'choice',
        'status',
        'requested_by_user_id',
        'requested_by_token_id',
        'requested_at',
        'delete_after',
        'dsr_export_id',
        'prepared_by_user_id',
        'prepared_at',
        'approved_by_user_id',
        'approved_at',
        'executed_at',
        'counts',
        'certificate_document_id',
        'created_at',
        'updated_at',
      ],
    },
  },
})
