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
  'dsr.convert_rights_requests': {
    load: () => import('#dsr/jobs/convert_rights_requests_job'),
    queue: 'dsr',
    every: '* * * * *',
  },
} satisfies Record<string, JobDefinition>

export type JobName = keyof typeof jobRegistry
