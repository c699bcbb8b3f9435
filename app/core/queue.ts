import {
  Queue,
  QueueEvents,
  Worker,
  type Job,
  type ConnectionOptions,
  type JobsOptions,
  type Processor,
  type WorkerOptions,
} from 'bullmq'
import env from '#start/env'
import logger from '@adonisjs/core/services/logger'
import { jobRegistry, type JobName } from '#start/jobs'

/**
 * Background jobs on BullMQ. Jobs are addressed by the stable names in `start/jobs.ts`, never by
 * file path, so a job queued before a deploy or a file move still finds its handler.
 */

export interface JobContext {
  /** 0–100; shown wherever the job's progress is displayed. */
  progress(percent: number, detail?: Record<string, unknown>): Promise<void>
  jobId: string
  attempt: number
}

export interface JobHandler<Payload = any> {
  handle(payload: Payload, ctx: JobContext): Promise<unknown>
}

export interface JobDefinition {
  load: () => Promise<{ default: new () => JobHandler }>
  queue?: string
  options?: JobsOptions
  /** A cron pattern: the worker keeps one scheduler per repeatable job. */
  every?: string
}

export const DEFAULT_QUEUE = 'default'

export function redisConnection(): ConnectionOptions {
  return {
    host: env.get('REDIS_HOST'),
    port: env.get('REDIS_PORT'),
    password: env.get('REDIS_PASSWORD') || undefined,
    db: env.get('REDIS_DB', 0),
    maxRetriesPerRequest: null,
  }
}

const queues = new Map<string, Queue>()
/** Every worker and event listener opened here, so `closeQueues()` releases all their connections. */
const listeners = new Set<Worker | QueueEvents>()

function tracked<T extends Worker | QueueEvents>(listener: T): T {
  listeners.add(listener)
  return listener
}

/** A worker on one queue, with this app's connection and prefix; closed by `closeQueues()`. */
export function createWorker(
  queueName: string,
  processor: Processor,
  options: Partial<WorkerOptions> = {}
) {
  return tracked(
    new Worker(queueName, processor, {
      connection: redisConnection(),
      prefix: env.get('QUEUE_PREFIX'),
      ...options,
    })
  )
}

/** Completion and progress events of one queue; closed by `closeQueues()`. */
export function queueEvents(queueName: string) {
  return tracked(
    new QueueEvents(queueName, { connection: redisConnection(), prefix: env.get('QUEUE_PREFIX') })
  )
}

export function queueNamed(name: string) {
  let queue = queues.get(name)
  if (!queue) {
    queue = new Queue(name, { connection: redisConnection(), prefix: env.get('QUEUE_PREFIX') })
    queue.on('error', (error) => logger.warn({ err: error, queue: name }, 'queue connection error'))
    queues.set(name, queue)
  }
  return queue
}

const registry: Record<string, JobDefinition> = jobRegistry

function definitionOf(name: JobName): JobDefinition {
  const definition = registry[name]
  if (!definition) throw new Error(`Unknown job "${name}"`)
  return definition
}

function jobOptions(definition: JobDefinition, options: JobsOptions = {}): JobsOptions {
  return {
    attempts: 3,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { count: 1000 },
    removeOnFail: { count: 1000 },
    ...definition.options,
    ...options,
  }
}

/** Enqueues a named job. Payloads hold ids, never personal data: Redis is not encrypted. */
export async function dispatch(
  name: JobName,
  payload: Record<string, unknown>,
  options: JobsOptions = {}
) {
  const definition = definitionOf(name)
  return queueNamed(definition.queue ?? DEFAULT_QUEUE).add(
    name,
    payload,
    jobOptions(definition, options)
  )
}

/**
 * Enqueues many jobs of one name in one Redis round trip (same defaults as `dispatch`), for
 * producers that batch, such as the webhook's event ids.
 */
export async function dispatchBulk(
  name: JobName,
  jobs: Array<{ payload: Record<string, unknown>; options?: JobsOptions }>
) {
  const definition = definitionOf(name)
  return queueNamed(definition.queue ?? DEFAULT_QUEUE).addBulk(
    jobs.map((job) => ({
      name,
      data: job.payload,
      opts: jobOptions(definition, job.options),
    }))
  )
}

/** Runs a job's handler in this process (used by the worker, and by tests that need the result now). */
export async function runJob(name: JobName, payload: any, ctx?: Partial<JobContext>) {
  const { default: Handler } = await definitionOf(name).load()
  const handler = new Handler()
  return handler.handle(payload, {
    progress: ctx?.progress ?? (async () => {}),
    jobId: ctx?.jobId ?? 'inline',
    attempt: ctx?.attempt ?? 1,
  })
}

export interface JobStatus {
  id: string
  state: string
  /** Completed or failed: the page stops polling. */
  done: boolean
  /** 0–100; 100 once completed. */
  percent: number
  /** What the handler passed along with its progress (e.g. the table being purged). */
  detail: Record<string, unknown>
  /** The handler's return value once completed. */
  result: unknown
  /** Why it failed, once failed. */
  error: string | null
  /** The payload it was dispatched with (ids only), e.g. to check who may follow it. */
  payload: Record<string, unknown>
}

/**
 * The one way to read a job's progress for a page or an API answer: null when no job of that
 * name has this id, so a job id of another kind is answered like a missing one.
 */
export async function jobStatus(name: JobName, id: string): Promise<JobStatus | null> {
  const job = await queueNamed(definitionOf(name).queue ?? DEFAULT_QUEUE).getJob(id)
  if (!job || job.name !== name) return null
  const state = await job.getState()
  const progress = job.progress as number | ({ percent?: number } & Record<string, unknown>)
  const { percent = 0, ...detail } =
    typeof progress === 'object' && progress !== null ? progress : { percent: progress }
  return {
    id: job.id!,
    state,
    done: state === 'completed' || state === 'failed',
    percent: state === 'completed' ? 100 : Number(percent) || 0,
    detail,
    result: state === 'completed' ? job.returnvalue : null,
    error: state === 'failed' ? job.failedReason : null,
    payload: job.data ?? {},
  }
}

export function queueNames() {
  return [...new Set(Object.values(registry).map((d) => d.queue ?? DEFAULT_QUEUE))]
}

/**
 * Starts one worker per queue and registers the repeatable jobs; with `only`, just those queues
 * and their repeatable jobs (a worker dedicated to some queues).
 */
export async function startWorkers(concurrency = 4, only?: string[]) {
  const serves = (queue: string) => !only || only.includes(queue)
  for (const [name, definition] of Object.entries(registry) as [JobName, JobDefinition][]) {
    if (definition.every && serves(definition.queue ?? DEFAULT_QUEUE)) {
      await queueNamed(definition.queue ?? DEFAULT_QUEUE).upsertJobScheduler(
        `schedule:${name}`,
        { pattern: definition.every },
        { name, data: {} }
      )
    }
  }

  return queueNames()
    .filter(serves)
    .map((queueName) => {
      const worker = createWorker(
        queueName,
        async (job: Job) =>
          runJob(job.name as JobName, job.data, {
            jobId: job.id!,
            attempt: job.attemptsMade + 1,
            progress: async (percent, detail) => {
              await job.updateProgress(detail ? { percent, ...detail } : percent)
            },
          }),
        { concurrency }
      )
      worker.on('failed', (job, error) =>
        logger.error(
          { job: job?.name, jobId: job?.id, err: { message: error.message } },
          'job failed'
        )
      )
      worker.on('error', (error) =>
        logger.warn({ err: { message: error.message } }, 'worker error')
      )
      return worker
    })
}

/** Closes every queue, worker and event listener this process opened (shutdown, test teardown). */
export async function closeQueues() {
  const open = [...listeners, ...queues.values()]
  listeners.clear()
  queues.clear()
  // One that fails to close must not keep the others open
  await Promise.allSettled(open.map((item) => item.close()))
}
