import db from '@adonisjs/lucid/services/db'
import type { Job } from 'bullmq'
import { queueNamed, queueNames } from '#core/queue'
import { SUBJECT_TABLE } from '#dsr/execution/inventory_plan'
import type { RowSelection } from '#dsr/execution/locator'

export interface LocatedJob {
  queue: string
  id: string
  name: string
  state: string
}

/** Jobs that have not finished yet, or failed and may be retried: their payloads still act. */
const LIVE_STATES = ['waiting', 'delayed', 'failed', 'paused', 'prioritized', 'waiting-children']

/*
 * Payloads hold ids only (`#core/queue`). A key `customerId` / `customer_id` names a row of
 * `customers`, `messageId` one of `messages`, `webhookEventId` one of `webhook_events`: the
 * table is the key's snake-case stem plus `s`.
 */
function tableOfKey(key: string) {
  const match = /^(.+?)_?[Ii]d$/.exec(key)
  if (!match) return null
  const stem = match[1].replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
  return `${stem}s`
}

function idsInPayload(data: unknown) {
  const found: Array<{ table: string; id: number }> = []
  if (!data || typeof data !== 'object') return found
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const table = tableOfKey(key)
    const values = Array.isArray(value) ? value : [value]
    if (!table) continue
    for (const item of values) {
      const id = Number(item)
      if (Number.isSafeInteger(id) && id > 0) found.push({ table, id })
    }
  }
  return found
}

async function liveJobs() {
  const jobs: Array<{ queue: string; job: Job; state: string }> = []
  for (const name of queueNames()) {
    const queue = queueNamed(name)
    const batch = await queue.getJobs(LIVE_STATES as any, 0, 999)
    for (const job of batch) {
      if (!job) continue
      const state = job.failedReason ? 'failed' : job.delay ? 'delayed' : 'waiting'
      jobs.push({ queue: name, job, state })
    }
  }
  return jobs
}

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`

/**
 * Queued or failed jobs whose payload names one of the subject's rows. A named row counts when
 * it is one of the located customers, or a row of a located table that the subject's selection
 * picks (checked in SQL, so only the ids the jobs mention are looked up).
 */
export async function findSubjectJobs(
  customers: number[],
  selections: RowSelection[]
): Promise<LocatedJob[]> {
  const jobs = await liveJobs()
  if (!jobs.length) return []
  const byTable = new Map<string, RowSelection>(selections.map((s) => [s.spec.table, s]))
  const wanted = new Map<string, Set<number>>()
  const named = jobs.map(({ job }) => idsInPayload(job.data))
  for (const ids of named) {
    for (const { table, id } of ids) {
      if (table === SUBJECT_TABLE || byTable.has(table)) {
        if (!wanted.has(table)) wanted.set(table, new Set())
        wanted.get(table)!.add(id)
      }
    }
  }
  const subjectRows = new Map<string, Set<number>>([[SUBJECT_TABLE, new Set(customers)]])
  for (const [table, ids] of wanted) {
    if (table === SUBJECT_TABLE) continue
    const selection = byTable.get(table)!
    const result = await db.rawQuery(
      `SELECT id FROM ${q(table)} WHERE id = ANY(?) AND ${selection.where}`,
      [[...ids], ...selection.bindings]
    )
    subjectRows.set(table, new Set((result.rows as { id: number }[]).map((r) => Number(r.id))))
  }
  const located: LocatedJob[] = []
  jobs.forEach(({ queue, job, state }, index) => {
    if (named[index].some(({ table, id }) => subjectRows.get(table)?.has(id))) {
      located.push({ queue, id: String(job.id), name: job.name, state })
    }
  })
  return located
}

/** Removes the located jobs (a job that is running right now is left to fail on its missing rows). */
export async function removeJobs(jobs: LocatedJob[]) {
  let removed = 0
  for (const located of jobs) {
    const job = await queueNamed(located.queue).getJob(located.id)
    if (!job) continue
    try {
      await job.remove()
      removed += 1
    } catch {
      // Locked by a worker: it will find the rows gone
    }
  }
  return removed
}

/** Termination: every queued or failed job that names the merchant (`merchantId`). */
export async function removeMerchantJobs(merchantId: number) {
  const jobs = await liveJobs()
  const named = jobs.filter(({ job }) =>
    idsInPayload(job.data).some(({ table, id }) => table === 'merchants' && id === merchantId)
  )
  return removeJobs(
    named.map(({ queue, job, state }) => ({ queue, id: String(job.id), name: job.name, state }))
  )
}
