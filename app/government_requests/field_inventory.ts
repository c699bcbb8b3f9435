import { defineFieldInventory } from '#data_map/inventory/definition'

/*
 * The register of authority requests. The officer's contact, the instrument's file name, the
 * identifiers an authority named and the record of what was disclosed about whom are personal
 * data, sealed under the platform key. They are kept as evidence for the contract term (SCC
 * Cl. 15.1(d)), so no table here has a purge rule.
 */
const subjectRecord = {
  category: 'authority.request.subject',
  identifiesSubject: true,
  encrypted: true,
  retention: 'authority.request.subject',
}

export default defineFieldInventory({
  module: 'government_requests',
  tables: {
    government_requests: {
      personal: {
        authority_contact: {
          category: 'authority.officer.contact',
          identifiesSubject: true,
          encrypted: true,
          retention: 'authority.officer.contact',
        },
        instrument_document_name: subjectRecord,
        scope_identifiers: subjectRecord,
      },
      nonPersonal: [
        'id',
        'reference',
        'status',
        'authority_name',
        'authority_country',
        'authority_type',
        'contact_verification',
        'contact_verified_at',
        'instrument_type',
        'instrument_reference',
        'instrument_document_path',
        'instrument_document_sha256',
        'instrument_document_size',
        'legal_basis',
        'received_at',
        'deadline_rule',
        'due_at',
        'scope_identifier_count',
        'scope_merchant_ids',
        'scope_categories',
        'scope_from',
        'scope_to',
        'gag_order',
        'gag_until',
        'own_conduct',
        'preserve_until',
        'assessment',
        'assessed_by_user_id',
        'assessed_at',
        'created_by_user_id',
        'answered_at',
        'created_at',
        'updated_at',
      ],
    },
    government_request_decisions: {
      nonPersonal: [
        'id',
        'request_id',
        'outcome',
        'reasons',
        'status',
        'approved_identifiers',
        'approved_merchant_ids',
        'approved_categories',
        'proposed_by_user_id',
        'proposed_at',
        'approved_by_user_id',
        'approved_at',
        'challenge_result',
        'challenge_resolved_at',
        'created_at',
        'updated_at',
      ],
    },
    government_request_disclosures: {
      // The package's content key guards subject data as much as the data does
      personal: {
        items: subjectRecord,
        delivery_key: { ...subjectRecord, identifiesSubject: false },
      },
      nonPersonal: [
        'id',
        'request_id',
        'decision_id',
        'recipient',
        'subject_count',
        'categories',
        'merchant_ids',
        'package_sha256',
        'cover_letter_sha256',
        'jwe_sha256',
        'jwe_path',
        'prepared_by_user_id',
        'approved_by_user_id',
        'channel',
        'delivered_at',
        'created_at',
        'updated_at',
      ],
    },
    government_request_notices: {
      nonPersonal: [
        'id',
        'request_id',
        'merchant_id',
        'status',
        'deferred_until',
        'deferred_at',
        'sent_at',
        'emails',
        'created_at',
        'updated_at',
      ],
    },
    transparency_reports: {
      nonPersonal: [
        'id',
        'period',
        'figures',
        'report_document_id',
        'published_by_user_id',
        'published_at',
        'created_at',
        'updated_at',
      ],
    },
  },
})
