/*
 * Every background job, by its stable name. Add a job here and nowhere else; the worker and
 * `dispatch()` resolve handlers through this map only.
 */
import type { JobDefinition } from '#core/queue'

export const jobRegistry = {
  'audit.verify_chain': { load: () => import('#audit/jobs/verify_chain_job') },
  'reports.generate': {
    load: () => import('#reports/jobs/generate_report_job'),
    queue: 'reports',
    options: { attempts: 2 },
  },
} satisfies Record<string, JobDefinition>

export type JobName = keyof typeof jobRegistry
