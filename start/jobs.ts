/*
 * Every background job, by its stable name. Add a job here and nowhere else; the worker and
 * `dispatch()` resolve handlers through this map only.
 */
import type { JobDefinition } from '#core/queue'

export const jobRegistry = {
  'audit.verify_chain': { load: () => import('#audit/jobs/verify_chain_job') },
  // Signed checkpoints of the chain head, so a deleted tail is caught within minutes
  'audit.checkpoint': {
    load: () => import('#audit/jobs/checkpoint_chain_job'),
    every: '*/5 * * * *',
  },
  'audit.flush_aggregates': {
    load: () => import('#audit/jobs/flush_aggregates_job'),
    every: '* * * * *',
  },
  'reports.generate': {
    load: () => import('#reports/jobs/generate_report_job'),
    queue: 'reports',
    options: { attempts: 2 },
  },
  'vendors.send_change_notice_emails': {
    load: () => import('#vendors/jobs/send_change_notice_emails_job'),
  },
  'vendors.apply_noticed_changes': {
    load: () => import('#vendors/jobs/apply_noticed_changes_job'),
    every: '*/15 * * * *',
  },
  'vendors.flag_due_tias': {
    load: () => import('#vendors/jobs/flag_due_tias_job'),
    every: '15 6 * * *',
  },
  // Daily retention purge; a retried run is harmless (already-purged rows are gone)
  'data_map.purge_expired': {
    load: () => import('#data_map/jobs/purge_expired_job'),
    every: '30 2 * * *',
    options: { attempts: 2 },
  },
  'keys.rotate': {
    load: () => import('#keys/jobs/rotate_keys_job'),
    queue: 'keys',
    options: { attempts: 5 },
  },
  'keys.purge_deleted': {
    load: () => import('#keys/jobs/purge_deleted_keys_job'),
    queue: 'keys',
    every: '17 * * * *',
  },
  // Meta webhook events, by id: stored by the webhook, processed here (Redis holds ids only)
  'conversations.process_event': {
    load: () => import('#conversations/events/process_event_job'),
    queue: 'conversations',
    options: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  },
  // A webhook burst's event ids, one job each from here (keeps Redis work off the web process)
  'conversations.fan_out_events': {
    load: () => import('#conversations/events/fan_out_events_job'),
    queue: 'conversations',
    options: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  },
  // Stored events no job picked up (Redis was down when they arrived)
  'conversations.sweep_events': {
    load: () => import('#conversations/events/sweep_events_job'),
    queue: 'conversations',
    every: '* * * * *',
  },
  // An inbound message id: guard, AI, routing; the outbox makes a retry send nothing twice
  'conversations.respond': {
    load: () => import('#conversations/processing/jobs/respond_job'),
    queue: 'conversations',
    options: { attempts: 5 },
  },
  // An inbound WhatsApp media message id, when its channel has a token: the file, sealed
  'conversations.fetch_media': {
    load: () => import('#conversations/media/fetch_media_job'),
    queue: 'conversations',
    options: { attempts: 3, backoff: { type: 'exponential', delay: 5000 } },
  },
  // Retries are scheduled by the outbox itself (backoff per row), so one attempt per job
  'conversations.send_outbound': {
    load: () => import('#conversations/outbox/jobs/send_outbound_job'),
    queue: 'conversations',
    options: { attempts: 1 },
  },
  'conversations.outbox_sweep': {
    load: () => import('#conversations/outbox/jobs/sweep_outbox_job'),
    every: '* * * * *',
  },
  'government_requests.build_disclosure': {
    load: () => import('#government_requests/jobs/build_disclosure_job'),
    // A refusal is final: retrying cannot supply the missing process
    options: { attempts: 1 },
  },
  'government_requests.send_notice_emails': {
    load: () => import('#government_requests/jobs/send_notice_emails_job'),
  },
  // Notices deferred under a gag order go out the day after it lapses
  'government_requests.send_due_notices': {
    load: () => import('#government_requests/jobs/send_due_notices_job'),
    every: '20 * * * *',
  },
  // Data-subject requests: the automatic run, deadline reminders, merchant callbacks
  'dsr.process_case': {
    load: () => import('#dsr/jobs/process_case_job'),
    queue: 'dsr',
  },
  'dsr.deadline_reminder': {
    load: () => import('#dsr/jobs/deadline_reminder_job'),
    queue: 'dsr',
  },
  'dsr.deliver_callback': {
    load: () => import('#dsr/jobs/deliver_callback_job'),
    queue: 'dsr',
  },
  'dsr.case_report': {
    load: () => import('#dsr/jobs/case_report_job'),
    queue: 'dsr',
  },
  'dsr.convert_rights_requests': {
    load: () => import('#dsr/jobs/convert_rights_requests_job'),
    queue: 'dsr',
    every: '* * * * *',
  },
  // Merchant terminations whose grace period has passed (approved by two staff members)
  'dsr.execute_terminations': {
    load: () => import('#dsr/jobs/execute_terminations_job'),
    every: '40 * * * *',
    options: { attempts: 1 },
  },
} satisfies Record<string, JobDefinition>

export type JobName = keyof typeof jobRegistry
